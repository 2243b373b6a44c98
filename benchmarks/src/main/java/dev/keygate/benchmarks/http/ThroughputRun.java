package dev.keygate.benchmarks.http;

import dev.keygate.AuthenticationEngine;
import dev.keygate.Keygate;
import dev.keygate.benchmarks.CountingStore;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hello endpoint five ways, driven by wrk in alternating rounds (each round runs every
 * endpoint once, the order rotated from round to round), then medians and the ratio of each
 * authenticated variant to its no-auth twin. Also counts the store writes the Keygate endpoints
 * caused: usage is batched, so there should be about one per flush interval, not one per request.
 */
final class ThroughputRun {
  private static final String[][] RATIOS = {
      {"servlet+keygate", "servlet"},
      {"servlet+jetty-basic", "servlet"},
      {"servlet+keygate", "servlet+jetty-basic"},
      {"jersey+keygate", "jersey"},
  };

  private ThroughputRun() {}

  static void run(Options o) throws Exception {
    int rounds = o.integer("rounds", 5);
    int seconds = o.integer("seconds", 10);
    int warmup = o.integer("warmup", 5);
    int threads = o.integer("threads", 1);
    int connections = o.integer("connections", 16);
    List<String> only = o.list("only", "");
    Report.machine(String.format("wrk -t%d -c%d, %d s per run, %d warm-up s per endpoint, %d rounds,"
        + " Keygate: Argon2id defaults, cache 10,000 keys / 5 min, usage flush every 10 s",
        threads, connections, seconds, warmup, rounds));

    CountingStore store = new CountingStore(new InMemoryApiKeyStore());
    Keygate keygate = Fixture.keygate(store, Fixture.argon2id()).build();
    String key = Fixture.issue(keygate.keys(), 1).get(0).plaintext();
    String password = Fixture.unknownKey().substring(Fixture.PREFIX.length() + 1, Fixture.PREFIX.length() + 33);
    List<Endpoint> endpoints = new ArrayList<>();
    AuthenticationEngine engine = keygate.engine();
    try (keygate) {
      endpoints.add(Endpoint.plainServlet());
      endpoints.add(Endpoint.keygateServlet(engine, key));
      endpoints.add(Endpoint.jettyBasic("bench", password));
      endpoints.add(Endpoint.plainJersey());
      endpoints.add(Endpoint.keygateJersey(engine, key));
      if (!only.isEmpty()) {
        endpoints.removeIf(e -> {
          boolean drop = !only.contains(e.name());
          if (drop) {
            e.close();
          }
          return drop;
        });
      }
      Probe.expectAll(endpoints);

      for (Endpoint e : endpoints) {
        System.out.printf("# warm-up %s (%s)%n", e.name(), e.uri());
        Wrk.run(e.uri(), threads, connections, warmup, e.headers(), null);
      }
      store.reset();
      long keygateRequests = 0;
      long failures = 0;
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      endpoints.forEach(e -> rates.put(e.name(), new ArrayList<>()));
      for (int r = 0; r < rounds; r++) {
        StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
        for (int i = 0; i < endpoints.size(); i++) {
          Endpoint e = endpoints.get((i + r) % endpoints.size());
          Wrk.Result result = Wrk.run(e.uri(), threads, connections, seconds, e.headers(), null);
          rates.get(e.name()).add(result.rate());
          failures += result.non2xx() + result.socketErrors();
          if (e.name().contains("keygate")) {
            keygateRequests += result.successes();
          }
          line.append(String.format("  %s %.0f", e.name(), result.rate()));
        }
        System.out.println(line);
      }
      long batches = store.usageBatches();
      long writes = store.writes();
      long lookups = store.lookups();

      System.out.println();
      System.out.printf("%-22s %12s%n", "endpoint", "median req/s");
      rates.forEach((name, list) -> System.out.printf("%-22s %12.0f%n", name, Report.median(list)));
      System.out.println();
      System.out.printf("%-44s %16s %16s%n", "ratio", "median of rounds", "of medians");
      for (String[] pair : RATIOS) {
        List<Double> a = rates.get(pair[0]);
        List<Double> b = rates.get(pair[1]);
        if (a == null || b == null) {
          continue;
        }
        List<Double> paired = new ArrayList<>();
        for (int r = 0; r < a.size(); r++) {
          paired.add(a.get(r) / b.get(r));
        }
        System.out.printf("%-44s %16.3f %16.3f%n", pair[0] + " / " + pair[1], Report.median(paired),
            Report.median(a) / Report.median(b));
      }
      System.out.println();
      System.out.printf("non-2xx responses and socket errors in measured runs: %d%n", failures);
      System.out.printf("store during measured runs: %d writes (%d usage batches) and %d lookups for"
          + " %d authenticated Keygate requests (%.2e writes per request)%n", writes, batches, lookups,
          keygateRequests, keygateRequests == 0 ? 0.0 : (double) writes / keygateRequests);
      System.out.println("engine statistics: " + engine.statistics());
      System.out.println("# load average at the end: " + Report.loadAverage());
    } finally {
      for (Endpoint e : endpoints) {
        e.close();
      }
    }
  }
}

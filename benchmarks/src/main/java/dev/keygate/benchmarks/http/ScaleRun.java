package dev.keygate.benchmarks.http;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keygate's HTTP cost as the work grows (issue 17), every variant in one run, in alternating
 * rounds: the servlet filter against the bare SHA-256 + Caffeine filter and no filter; one key
 * against 100,000 distinct cached keys picked at random by a wrk script; the JAX-RS filter against
 * Jersey without authentication. Beside each rate, the server's CPU time per request: this
 * process's CPU time over the requests a wrk run got answered (it moves much less than the rate
 * on a shared machine). With {@code pin=true} the server runs on CPU 0 and wrk on CPU 1.
 */
final class ScaleRun {
  private static final String[][] RATIOS = {
      {"servlet+keygate", "servlet"},
      {"servlet+sha256-caffeine", "servlet"},
      {"servlet+keygate", "servlet+sha256-caffeine"},
      {"keygate-100k-keys", "keygate-1-key"},
      {"jersey+keygate", "jersey"},
  };

  private ScaleRun() {}

  static void run(Options o) throws Exception {
    int rounds = o.integer("rounds", 9);
    int seconds = o.integer("seconds", 10);
    int warmup = o.integer("warmup", 5);
    int connections = o.integer("connections", 16);
    int keys = o.integer("keys", 100_000);
    boolean pin = Boolean.parseBoolean(o.text("pin", "true")) && Runtime.getRuntime().availableProcessors() > 1;
    Integer wrkCpu = pin ? 1 : null;
    if (pin) {
      pinThisProcessTo(0);
    }
    Report.machine(String.format("wrk -t1 -c%d, %d s per run, %d warm-up s per endpoint, %d rounds, %s;"
        + " Keygate: HMAC-SHA-256, %,d keys issued and cached (cache %,d keys / 1 h)", connections, seconds,
        warmup, rounds, pin ? "server on CPU 0, wrk on CPU 1" : "not pinned", keys, 2L * keys));

    Keygate keygate = Fixture.keygate(new InMemoryApiKeyStore(), Fixture.hmacSha256())
        .verifiedKeyCacheSize(2L * keys).verifiedKeyCacheDuration(Duration.ofHours(1)).build();
    AuthenticationEngine engine = keygate.engine();
    List<IssuedKey> issued = Fixture.issue(keygate.keys(), keys);
    for (IssuedKey k : issued) { // every key verified once: the run measures cached keys
      if (!(engine.authenticate(Fixture.request(k.plaintext())) instanceof AuthenticationResult.Authenticated)) {
        throw new IllegalStateException("a key was refused");
      }
    }
    String one = issued.get(0).plaintext();
    Path oneKey = Files.createTempFile("keygate-1-key", ".txt");
    Path allKeys = Files.createTempFile("keygate-keys", ".txt");
    Path script = Files.createTempFile("keygate-keys", ".lua");
    Files.writeString(oneKey, one + "\n");
    Files.write(allKeys, issued.stream().map(IssuedKey::plaintext).toList());
    try (InputStream lua = ScaleRun.class.getResourceAsStream("/wrk/keys.lua")) {
      if (lua == null) {
        throw new IllegalStateException("wrk/keys.lua is missing from the classpath");
      }
      Files.write(script, lua.readAllBytes());
    }
    Map<String, Path> keyFiles = Map.of("keygate-1-key", oneKey, "keygate-100k-keys", allKeys);

    List<Endpoint> endpoints = new ArrayList<>();
    try (keygate) {
      endpoints.add(Endpoint.plainServlet());
      endpoints.add(Endpoint.bareSha256Caffeine(one));
      endpoints.add(Endpoint.keygateServlet(engine, one));
      endpoints.add(Endpoint.keygateServlet("keygate-1-key", engine, Map.of("X-API-Key", one)));
      endpoints.add(Endpoint.keygateServlet("keygate-100k-keys", engine, Map.of("X-API-Key", one)));
      endpoints.add(Endpoint.plainJersey());
      endpoints.add(Endpoint.keygateJersey(engine, one));
      Probe.expectAll(endpoints);

      for (Endpoint e : endpoints) {
        System.out.printf("# warm-up %s (%s)%n", e.name(), e.uri());
        measure(e, keyFiles.get(e.name()), script, connections, warmup, wrkCpu);
      }
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      Map<String, List<Double>> cpu = new LinkedHashMap<>();
      endpoints.forEach(e -> {
        rates.put(e.name(), new ArrayList<>());
        cpu.put(e.name(), new ArrayList<>());
      });
      long failures = 0;
      for (int r = 0; r < rounds; r++) {
        StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
        for (int i = 0; i < endpoints.size(); i++) {
          Endpoint e = endpoints.get((i + r) % endpoints.size());
          Measured m = measure(e, keyFiles.get(e.name()), script, connections, seconds, wrkCpu);
          rates.get(e.name()).add(m.result().rate());
          cpu.get(e.name()).add(m.cpuMicrosPerRequest());
          long failed = m.result().non2xx() + m.result().socketErrors();
          failures += failed;
          line.append(String.format("  %s %.0f (%.2f µs)", e.name(), m.result().rate(), m.cpuMicrosPerRequest()))
              .append(failed == 0 ? "" : " FAILED " + failed);
        }
        System.out.println(line);
      }

      System.out.println();
      System.out.printf("%-26s %12s %22s%n", "endpoint", "median req/s", "median server CPU/req");
      rates.forEach((name, list) -> System.out.printf("%-26s %12.0f %19.2f µs%n", name, Report.median(list),
          Report.median(cpu.get(name))));
      System.out.println();
      System.out.printf("%-50s %16s %11s %18s%n", "ratio (req/s)", "median of rounds", "of medians",
          "CPU/req, of medians");
      for (String[] pair : RATIOS) {
        List<Double> a = rates.get(pair[0]);
        List<Double> b = rates.get(pair[1]);
        List<Double> paired = new ArrayList<>();
        for (int r = 0; r < a.size(); r++) {
          paired.add(a.get(r) / b.get(r));
        }
        System.out.printf("%-50s %16.3f %11.3f %18.3f%n", pair[0] + " / " + pair[1], Report.median(paired),
            Report.median(a) / Report.median(b), Report.median(cpu.get(pair[0])) / Report.median(cpu.get(pair[1])));
      }
      System.out.println();
      System.out.printf("non-2xx responses and socket errors in measured runs: %d%n", failures);
      System.out.println("engine statistics: " + engine.statistics());
      System.out.println("# load average at the end: " + Report.loadAverage());
    } finally {
      for (Endpoint e : endpoints) {
        e.close();
      }
      Files.deleteIfExists(oneKey);
      Files.deleteIfExists(allKeys);
      Files.deleteIfExists(script);
    }
  }

  private record Measured(Wrk.Result result, double cpuMicrosPerRequest) {}

  /** One wrk run; a Keygate variant with a key file gets its keys from the script. */
  private static Measured measure(Endpoint e, @Nullable Path keyFile, Path script, int connections, int seconds,
      @Nullable Integer wrkCpu) throws IOException, InterruptedException {
    long cpuBefore = processCpuNanos();
    Wrk.Result result = keyFile == null
        ? Wrk.start(e.uri(), 1, connections, seconds, e.headers(), null, List.of(), wrkCpu).await()
        : Wrk.start(e.uri(), 1, connections, seconds, Map.of(), script, List.of(keyFile.toString()), wrkCpu).await();
    long cpu = processCpuNanos() - cpuBefore;
    return new Measured(result, result.requests() == 0 ? Double.NaN : cpu / 1e3 / result.requests());
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Every thread of this JVM, and every thread it starts from now on, on {@code cpu} only. */
  private static void pinThisProcessTo(int cpu) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("taskset", "-a", "-c", "-p", Integer.toString(cpu),
        Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("taskset failed: " + out);
    }
  }
}

package dev.keygate.benchmarks.http;

import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.benchmarks.CountingStore;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Issue 12, finding 3 and issue 20, item 1 (key-id lockout, busy key refused): wrong secrets for
 * one known key id, a few a second, each from another client address (random {@code
 * X-Forwarded-For} through the trusted proxy), while the holder of that id's valid key uses it
 * from {@code clients} concurrent connections. The valid key's first use comes {@code lead}
 * seconds into the flood (the id's failure budget is spent by then); its cache entry then expires
 * every {@code cacheTtl} seconds (a short cache period standing in for the default 5 minutes), and
 * halfway through it is dropped once more with {@code engine.invalidate(id)}. Counts the valid
 * key's answers that were not 200: all of them should be 200.
 */
final class KeyIdFlood {
  private KeyIdFlood() {}

  /** The settings of one run. */
  record Settings(int seconds, int lead, int rate, int clients, int pauseMs, int cacheTtl, int hashes) {}

  /** One answer to the valid key: when its request was sent (ms after the first) and its status. */
  private record Answer(long sentMs, long doneMs, int status) {}

  static void header(Settings s) {
    System.out.printf("## one-id: wrong secrets for the valid key's id at ~%d req/s (wrk -t1 -c2), random"
        + " X-Forwarded-For, %d s; the valid key from %d connections (%d ms pause each) from %d s on;"
        + " cache period %d s, engine.invalidate(id) halfway; Argon2id defaults, hashing %d at once,"
        + " wait 200 ms; engine limits at their defaults%n", s.rate(), s.seconds(), s.clients(), s.pauseMs(),
        s.lead(), s.cacheTtl(), s.hashes());
    System.out.printf("%-4s %9s %-30s %8s %-12s %-22s %-22s %-14s %8s %8s %-16s%n", "run", "attack/s",
        "attack statuses", "valid", "first 200 ms", "first-use non-200", "later non-200", "later at s",
        "argon2id", "lookups", "load start/end");
  }

  /** One run with a fresh store, engine and server; returns the valid key's non-200 answers. */
  static long run(int run, Settings s) throws Exception {
    String loadAtStart = Report.loadAverage().split(" ")[0];
    CountingStore store = new CountingStore(new InMemoryApiKeyStore());
    Keygate keygate = Fixture.keygate(store, Fixture.argon2id()).trustedProxies(List.of("127.0.0.1"))
        .maxConcurrentHashes(s.hashes()).hashingWait(Duration.ofMillis(200))
        .verifiedKeyCacheDuration(Duration.ofSeconds(s.cacheTtl())).build();
    ApiKeyService keys = keygate.keys();
    // key 0 is the endpoint's probe key; key 1 is the customer's, not used before the flood
    List<IssuedKey> issued = Fixture.issue(keys, 2, i -> NewKey.named("customer-" + i).withOwner("customer-" + i));
    IssuedKey valid = issued.get(1);
    store.reset();
    AuthenticationEngine engine = keygate.engine();
    Path script = AttackScript.write("wrongsecret", "", List.of(valid.key().id()), "random",
        AttackScript.delayMs(2, s.rate()));
    try (keygate; Endpoint endpoint = Endpoint.keygateServlet(engine, issued.get(0).plaintext())) {
      Probe.expectAll(List.of(endpoint));
      Wrk.Run flood = Wrk.start(endpoint.uri(), 1, 2, s.seconds(), Map.of(), script);
      Thread.sleep(s.lead() * 1000L);
      ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
      long start = System.nanoTime();
      long end = start + (s.seconds() - s.lead()) * 1_000_000_000L;
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < s.clients(); c++) {
        String address = "198.51.100." + (c + 1);
        Thread t = new Thread(() -> use(client, endpoint, valid.plaintext(), address, start, end, s.pauseMs(),
            answers), "valid-client-" + c);
        t.start();
        threads.add(t);
      }
      Thread.sleep((s.seconds() - s.lead()) * 500L);
      engine.invalidate(valid.key().id());
      for (Thread t : threads) {
        t.join();
      }
      Wrk.Result attacker = flood.await();
      Map<String, Long> stats = engine.stats();
      long firstOk = answers.stream().filter(a -> a.status() == 200).mapToLong(Answer::doneMs).min()
          .orElse(Long.MAX_VALUE);
      Map<Integer, Long> firstUse = new TreeMap<>();
      Map<Integer, Long> later = new TreeMap<>();
      SortedSet<Long> laterSeconds = new TreeSet<>();
      long refused = 0;
      for (Answer a : answers) {
        if (a.status() != 200) {
          refused++;
          boolean first = a.sentMs() <= firstOk;
          (first ? firstUse : later).merge(a.status(), 1L, Long::sum);
          if (!first) {
            laterSeconds.add(a.sentMs() / 1000);
          }
        }
      }
      String when = laterSeconds.isEmpty() ? "-" : laterSeconds.stream().limit(8).map(String::valueOf)
          .collect(Collectors.joining(",")) + (laterSeconds.size() > 8 ? ",…" : "");
      System.out.printf("%-4d %9.0f %-30s %8d %-12s %-22s %-22s %-14s %8d %8d %-16s%n", run, attacker.rate(),
          attacker.statuses(), answers.size(), firstOk == Long.MAX_VALUE ? "never" : Long.toString(firstOk),
          firstUse, later, when, stats.get("verifications"), store.lookups(),
          loadAtStart + "/" + Report.loadAverage().split(" ")[0]);
      return refused;
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static void use(HttpClient client, Endpoint endpoint, String key, String address, long start, long end,
      int pauseMs, ConcurrentLinkedQueue<Answer> answers) {
    HttpRequest request = HttpRequest.newBuilder(endpoint.uri()).GET().header("X-API-Key", key)
        .header("X-Forwarded-For", address).build();
    try {
      while (System.nanoTime() < end) {
        long sent = System.nanoTime();
        int status;
        try {
          status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
          status = -1;
        }
        answers.add(new Answer((sent - start) / 1_000_000, (System.nanoTime() - start) / 1_000_000, status));
        if (pauseMs > 0) {
          Thread.sleep(pauseMs);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

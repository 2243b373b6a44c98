package dev.keygate.benchmarks.http;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.benchmarks.CountingStore;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 12, finding 4 (hashing-slot starvation): a distributed flood of wrong secrets spread over
 * many key ids the attacker owns (under many owners, as public signup allows), each request from
 * another client address (random {@code X-Forwarded-For} through the trusted proxy 127.0.0.1),
 * against an engine with its default limits and the default Argon2id hasher. Meanwhile valid keys
 * of other owners are presented for the first time, one at a time, spread evenly over the flood.
 * Counts how many of those first uses were answered 200 at their first attempt (no retry).
 */
final class FirstUseFlood {
  private FirstUseFlood() {}

  /** The settings of one run. */
  record Settings(int seconds, int ids, int owners, int firstUses, int attackConnections, int attackRate,
      int hashes) {}

  static void header(Settings s) {
    System.out.printf("## many-ids: wrong secrets for %d ids of %d owners, wrk -t1 -c%d %s, random"
        + " X-Forwarded-For, %d s; %d valid first uses from %s; Argon2id defaults, hashing %d at once,"
        + " wait 200 ms; engine limits at their defaults%n", s.ids(), s.owners(), s.attackConnections(),
        s.attackRate() <= 0 ? "as fast as answered" : "~" + s.attackRate() + " req/s", s.seconds(),
        s.firstUses(), "198.51.100.x", s.hashes());
    System.out.printf("%-4s %-14s %-22s %-15s %-20s %9s %-36s %8s %8s %8s %-16s%n", "run", "first uses 200",
        "first-use statuses", "ms median/max", "refused at s", "attack/s", "attack statuses", "argon2id",
        "lookups", "peak/max", "load start/end");
  }

  /** One run with a fresh store, engine and server; returns how many first uses got 200. */
  static int run(int run, Settings s) throws Exception {
    String loadAtStart = Report.loadAverage().split(" ")[0];
    CountingStore store = new CountingStore(new InMemoryApiKeyStore());
    Keygate keygate = Fixture.keygate(store, Fixture.argon2id()).trustedProxies(List.of("127.0.0.1"))
        .maxConcurrentHashes(s.hashes()).hashingWait(Duration.ofMillis(200)).build();
    ApiKeyService keys = keygate.keys();
    // key 0 is the endpoint's probe key (its first use happens before the flood), 1.. the customers'
    List<IssuedKey> customers = Fixture.issue(keys, s.firstUses() + 1,
        i -> NewKey.named("customer-" + i).withOwner("customer-" + i));
    List<String> floodIds = floodKeys(store, customers.get(0).key(), s.ids(), s.owners());
    store.reset();
    AuthenticationEngine engine = keygate.engine();
    Path script = AttackScript.write("wrongsecretmany", "", floodIds, "random",
        AttackScript.delayMs(s.attackConnections(), s.attackRate()));
    try (keygate; Endpoint endpoint = Endpoint.keygateServlet(engine, customers.get(0).plaintext())) {
      Probe.expectAll(List.of(endpoint));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      long lead = 2_000;
      long spread = s.seconds() * 1000L - lead - 2_000;
      Wrk.Run flood = Wrk.start(endpoint.uri(), 1, s.attackConnections(), s.seconds(), Map.of(), script);
      long start = System.nanoTime();
      Map<Integer, Long> statuses = new TreeMap<>();
      List<Double> millis = new ArrayList<>();
      List<String> refusedAt = new ArrayList<>();
      int served = 0;
      for (int i = 1; i <= s.firstUses(); i++) {
        long due = lead + spread * (i - 1) / Math.max(1, s.firstUses() - 1);
        long sleep = due - (System.nanoTime() - start) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint.uri()).GET()
            .header("X-API-Key", customers.get(i).plaintext())
            .header("X-Forwarded-For", "198.51.100." + i).build();
        long sent = System.nanoTime();
        long second = (sent - start) / 1_000_000_000L;
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        millis.add((System.nanoTime() - sent) / 1e6);
        statuses.merge(status, 1L, Long::sum);
        if (status == 200) {
          served++;
        } else {
          refusedAt.add(Long.toString(second));
        }
      }
      Wrk.Result attacker = flood.await();
      Map<String, Long> stats = engine.stats();
      System.out.printf("%-4d %-14s %-22s %-15s %-20s %9.0f %-36s %8d %8d %4d/%-3d %-16s%n", run,
          served + " of " + s.firstUses(), statuses,
          String.format("%.0f/%.0f", Report.median(millis), millis.stream().mapToDouble(d -> d).max().orElse(0)),
          refusedAt.isEmpty() ? "-" : String.join(",", refusedAt), attacker.rate(), attacker.statuses(), stats.get("verifications"), store.lookups(),
          stats.get("peakConcurrentHashes"), s.hashes(), loadAtStart + "/" + Report.loadAverage().split(" ")[0]);
      return served;
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /**
   * Stores the attacker's keys: {@code ids} records spread round-robin over {@code owners}, each
   * with a copy of one real Argon2id hash (issuing each would take ~30 ms and change nothing: a
   * wrong secret costs one full verification whatever hash it meets).
   */
  private static List<String> floodKeys(CountingStore store, ApiKey template, int ids, int owners) {
    List<String> out = new ArrayList<>(ids);
    for (int i = 0; i < ids; i++) {
      String id = Fixture.FORMAT.generate().id();
      store.create(template.toBuilder().id(id).name("flood-" + i).owner("attacker-" + (i % owners)).build());
      out.add(id);
    }
    return out;
  }
}

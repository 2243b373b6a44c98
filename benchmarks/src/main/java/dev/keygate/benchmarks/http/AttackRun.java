package dev.keygate.benchmarks.http;

import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.RateLimit;
import dev.keygate.benchmarks.CountingStore;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Valid traffic's rate under attack divided by its rate without, on the Keygate servlet endpoint.
 * Valid traffic: one key, already verified, {@code wrk -t1 -c16} from 127.0.0.1. Attack: a second
 * wrk with a Lua script sending, through the trusted proxy 127.0.0.1, a fresh key of one kind per
 * request. With {@code throttle=default} the attacker is one address ({@code X-Forwarded-For:
 * 10.66.0.1}) under the engine's default limits; with {@code off} the per-address failure throttle
 * is lifted and every request comes from a random address (a distributed attacker), the per-key-id
 * failure budget still applies (a 429 before core {@code 5d9a6c6}; since, one hash at a time for an
 * id over it, behind everyone else's); with {@code none} that budget is lifted too, leaving only
 * the hashing concurrency limit. Rounds alternate "alone" and "under attack".
 */
final class AttackRun {
  static final RateLimit UNTHROTTLED = new RateLimit(1_000_000_000, Duration.ofMinutes(1));
  private static final String ATTACKER = "10.66.0.1";

  private AttackRun() {}

  static void run(Options o) throws Exception {
    int rounds = o.integer("rounds", 3);
    int seconds = o.integer("seconds", 10);
    int warmup = o.integer("warmup", 5);
    int connections = o.integer("connections", 16);
    int attackConnections = o.integer("attack-connections", 16);
    int attackRate = o.integer("attack-rate", 2000);
    int hashes = o.integer("hashing", Runtime.getRuntime().availableProcessors());
    List<String> scenarios = o.list("scenarios", "control,bad-checksum,unknown-id,wrong-secret,revoked");
    List<String> throttles = o.list("throttle", "default,off");
    int delayMs = AttackScript.delayMs(attackConnections, attackRate);
    Report.machine(String.format("valid: wrk -t1 -c%d; attacker: wrk -t1 -c%d, %s; %d s per run,"
        + " %d rounds (alone, attacked, alternating), %d s warm-up; Argon2id defaults,"
        + " hashing %d at once, wait 200 ms", connections, attackConnections,
        delayMs == 0 ? "as fast as answered" : delayMs + " ms pause per connection (~" + attackRate + " req/s)",
        seconds, rounds, warmup, hashes));
    System.out.printf("%-13s %-8s %10s %10s %6s %9s %-34s %8s %6s %9s %6s%n", "scenario", "throttle",
        "alone/s", "attacked/s", "ratio", "attack/s", "attack statuses", "lookups", "hashes", "peak/max",
        "valid!");
    for (String scenario : scenarios) {
      for (String throttle : throttles) {
        scenario(scenario, throttle, rounds, seconds, warmup, connections, attackConnections, delayMs, hashes);
      }
    }
    System.out.println("# load average at the end: " + Report.loadAverage());
  }

  private static void scenario(String scenario, String throttle, int rounds, int seconds, int warmup,
      int connections, int attackConnections, int delayMs, int hashes) throws Exception {
    CountingStore store = new CountingStore(new InMemoryApiKeyStore());
    boolean throttled = switch (throttle) {
      case "default" -> true;
      case "off", "none" -> false;
      default -> throw new IllegalArgumentException("throttle is default, off or none, got " + throttle);
    };
    Keygate.Builder settings = Fixture.keygate(store, Fixture.argon2id()).trustedProxies(List.of("127.0.0.1"))
        .maxConcurrentHashes(hashes).hashingWait(Duration.ofMillis(200));
    if (!throttled) {
      settings.failuresPerAddress(UNTHROTTLED);
    }
    if (throttle.equals("none")) {
      settings.wrongSecretsPerKeyId(UNTHROTTLED);
    }
    Keygate keygate = settings.build();
    ApiKeyService keys = keygate.keys();
    List<IssuedKey> issued = Fixture.issue(keys, 2);
    IssuedKey valid = issued.get(0);
    IssuedKey other = issued.get(1);
    String mode;
    String fixedKey = "";
    switch (scenario) {
      case "control" -> { // a second legitimate client as busy as the attacker: the fair-share line
        mode = "valid";
        fixedKey = other.plaintext();
      }
      case "bad-checksum" -> mode = "badchecksum";
      case "unknown-id" -> mode = "unknown";
      case "wrong-secret" -> mode = "wrongsecret"; // guesses at the valid client's own key id
      case "revoked" -> {
        mode = "revoked";
        keys.revoke(other.key().id());
        fixedKey = other.plaintext();
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
    Path script = AttackScript.write(mode, fixedKey, List.of(valid.key().id()), throttled ? ATTACKER : "random",
        delayMs);
    AuthenticationEngine engine = keygate.engine();
    try (keygate; Endpoint endpoint = Endpoint.keygateServlet(engine, valid.plaintext())) {
      Probe.expectAll(List.of(endpoint));
      Wrk.run(endpoint.uri(), 1, connections, warmup, endpoint.headers(), null);
      List<Double> alone = new ArrayList<>();
      List<Double> attacked = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      List<Double> attackRates = new ArrayList<>();
      Map<Integer, Long> statuses = new TreeMap<>();
      long validFailures = 0;
      for (int r = 0; r < rounds; r++) {
        Wrk.Result quiet = null;
        if (r % 2 == 0) {
          quiet = Wrk.run(endpoint.uri(), 1, connections, seconds, endpoint.headers(), null);
        }
        Wrk.Run attack = Wrk.start(endpoint.uri(), 1, attackConnections, seconds + 1, Map.of(), script);
        Thread.sleep(500); // let the attack reach full strength first
        Wrk.Result underAttack = Wrk.run(endpoint.uri(), 1, connections, seconds, endpoint.headers(), null);
        Wrk.Result attacker = attack.await();
        if (quiet == null) {
          quiet = Wrk.run(endpoint.uri(), 1, connections, seconds, endpoint.headers(), null);
        }
        alone.add(quiet.rate());
        attacked.add(underAttack.rate());
        ratios.add(underAttack.rate() / quiet.rate());
        attackRates.add(attacker.rate());
        attacker.statuses().forEach((s, n) -> statuses.merge(s, n, Long::sum));
        validFailures += quiet.non2xx() + underAttack.non2xx() + quiet.socketErrors() + underAttack.socketErrors();
      }
      Map<String, Long> stats = engine.stats();
      System.out.printf("%-13s %-8s %10.0f %10.0f %6.3f %9.0f %-34s %8d %6d %4d/%-4d %6d%n", scenario,
          throttle, Report.median(alone), Report.median(attacked), Report.median(ratios),
          Report.median(attackRates), statuses, store.lookups(), stats.get("verifications"),
          stats.get("peakConcurrentHashes"), hashes, validFailures);
    } finally {
      Files.deleteIfExists(script);
    }
  }
}

package dev.keygate.benchmarks.http;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The HTTP benchmarks, on 127.0.0.1 only, each ending by itself:
 *
 * <ul>
 *   <li>{@code throughput}: the hello endpoint five ways (no auth, Keygate servlet filter, Jetty
 *       BASIC, Jersey, Jersey with Keygate), in alternating wrk rounds; medians and ratios;
 *   <li>{@code scale}: the servlet filter against a bare SHA-256 + Caffeine filter, one key
 *       against 100,000 cached keys at random, the JAX-RS filter against Jersey alone; rates and
 *       the server's CPU time per request;
 *   <li>{@code attack}: valid traffic's rate under a flood of bad keys of each kind, over its rate
 *       without;
 *   <li>{@code flood}: valid first uses under a wrong-secret flood over many ids, and a valid key
 *       used while its own id is flooded (issues 12 and 20);
 *   <li>{@code coldstart}: time until 1,000 distinct keys are each served once after a restart.
 * </ul>
 *
 * <p>Settings are {@code name=value} arguments; see {@code benchmarks/README.md}.
 */
public final class HttpBenchmark {
  private HttpBenchmark() {}

  /**
   * Runs one benchmark: {@code throughput}, {@code attack}, {@code flood} or {@code coldstart}, then settings.
   *
   * @param args the benchmark's name, then {@code name=value} settings
   * @throws Exception if a server fails to start or wrk fails
   */
  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "throughput" : args[0];
    List<String> settings = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
    int exit = 0;
    try {
      switch (command) {
        case "throughput" -> ThroughputRun.run(new Options(settings,
            Set.of("rounds", "seconds", "warmup", "threads", "connections", "only")));
        case "attack" -> AttackRun.run(new Options(settings, Set.of("rounds", "seconds", "warmup",
            "connections", "attack-connections", "attack-rate", "hashing", "scenarios", "throttle")));
        case "flood" -> FloodRun.run(new Options(settings, Set.of("runs", "seconds", "hashing", "scenarios",
            "ids", "owners", "first-uses", "attack-connections", "attack-rate", "lead", "id-rate", "clients",
            "pause-ms", "cache-ttl")));
        case "scale" -> ScaleRun.run(new Options(settings,
            Set.of("rounds", "seconds", "warmup", "connections", "keys", "pin")));
        case "coldstart" -> ColdStartRun.run(new Options(settings,
            Set.of("hasher", "keys", "connections", "hashing")));
        default -> throw new IllegalArgumentException(
            "unknown benchmark '" + command + "': throughput, scale, attack, flood or coldstart");
      }
    } catch (Exception e) {
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit); // Jersey and Jetty leave non-daemon threads; stop them all
  }
}

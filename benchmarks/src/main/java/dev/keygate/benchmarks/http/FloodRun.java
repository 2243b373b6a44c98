package dev.keygate.benchmarks.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The flood scenarios of issues 12 and 20, each repeated {@code runs} times with a fresh engine:
 * {@code many-ids} (valid first uses under a distributed wrong-secret flood over many ids, see
 * {@link FirstUseFlood}) and {@code one-id} (a valid key used while its id is flooded, see {@link
 * KeyIdFlood}).
 */
final class FloodRun {
  private FloodRun() {}

  static void run(Options o) throws Exception {
    int runs = o.integer("runs", 3);
    int seconds = o.integer("seconds", 30);
    int hashes = o.integer("hashing", Runtime.getRuntime().availableProcessors());
    List<String> scenarios = o.list("scenarios", "many-ids,one-id");
    Report.machine("runs " + runs + ", " + seconds + " s of flood per run, a fresh store, engine and server per run");
    for (String scenario : scenarios) {
      switch (scenario) {
        case "many-ids" -> {
          FirstUseFlood.Settings s = new FirstUseFlood.Settings(seconds, o.integer("ids", 200),
              o.integer("owners", 200), o.integer("first-uses", 20), o.integer("attack-connections", 16),
              o.integer("attack-rate", 0), hashes);
          FirstUseFlood.header(s);
          List<String> served = new ArrayList<>();
          for (int r = 1; r <= runs; r++) {
            served.add(Integer.toString(FirstUseFlood.run(r, s)));
          }
          System.out.printf("valid first uses answered 200 under the flood: %s of %d (runs 1..%d)%n",
              String.join(", ", served), s.firstUses(), runs);
        }
        case "one-id" -> {
          KeyIdFlood.Settings s = new KeyIdFlood.Settings(seconds, o.integer("lead", 5),
              o.integer("id-rate", 5), o.integer("clients", 16), o.integer("pause-ms", 10),
              o.integer("cache-ttl", 5), hashes);
          KeyIdFlood.header(s);
          List<String> refused = new ArrayList<>();
          for (int r = 1; r <= runs; r++) {
            refused.add(Long.toString(KeyIdFlood.run(r, s)));
          }
          System.out.printf("valid key's non-200 answers while its id was flooded: %s (runs 1..%d)%n",
              String.join(", ", refused), runs);
        }
        default -> throw new IllegalArgumentException("unknown flood scenario " + scenario + ": many-ids or one-id");
      }
    }
    System.out.println("# load average at the end: " + Report.loadAverage());
  }
}

package dev.keygate.benchmarks;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import dev.keygate.NewKey;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Memory per cached key (issue 17): the heap in use after full collections, with the keys issued
 * and their requests built, before and after every key has been verified once (so cached). The
 * difference is what caching costs: the verified-key entry, the remembered stored hash, the
 * principal and the cache's own structures; printed with and without the usage counter a key holds
 * while it is used in a flush interval, and broken down by class (the JVM's class histogram). Run with a fixed heap:
 * {@code java -Xms2g -Xmx2g -cp benchmarks/target/keygate-benchmarks.jar
 * dev.keygate.benchmarks.CacheFootprint 100000}.
 */
public final class CacheFootprint {
  private CacheFootprint() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try (Keygate keygate = Fixture.keygate(new InMemoryApiKeyStore(), Fixture.hmacSha256())
        .verifiedKeyCacheSize(2L * keys).usageFlushInterval(Duration.ZERO).build()) {
      AuthenticationEngine engine = keygate.engine();
      // keys as an API issues them: an owner, two scopes, an environment
      List<IssuedKey> issued = Fixture.issue(keygate.keys(), keys, i -> NewKey.named("bench-" + i)
          .withOwner("org-" + i % 10_000).withScopes(Set.of("datasets.read", "datasets.write"))
          .withEnvironment("production"));
      AuthenticationRequest[] requests = issued.stream().map(k -> Fixture.request(k.plaintext()))
          .toArray(AuthenticationRequest[]::new);
      long before = usedAfterGc();
      Map<String, long[]> histogramBefore = histogram();
      for (AuthenticationRequest r : requests) {
        if (!(engine.authenticate(r) instanceof AuthenticationResult.Authenticated)) {
          throw new IllegalStateException("a key was refused");
        }
      }
      engine.flushUsage(); // written; each key keeps its usage counter while it is in use
      long inUse = usedAfterGc();
      System.out.printf("%d keys cached and used in this flush interval: %.0f bytes per key%n", keys,
          (inUse - before) / (double) keys);
      engine.flushUsage(); // an interval with no use: the usage counters are dropped
      long cached = usedAfterGc();
      printGrowth(histogramBefore, histogram(), keys);
      System.out.printf("%d keys cached: %d bytes more heap, %.0f bytes per cached key (cache holds %d)%n", keys,
          cached - before, (cached - before) / (double) keys, engine.statistics().cachedKeys());
      if (requests.length != keys) {
        throw new IllegalStateException("keep the requests reachable until here");
      }
    }
  }

  /** Instances and bytes per class, from the JVM's own class histogram (it runs a full GC first). */
  private static Map<String, long[]> histogram() throws Exception {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {null}, new String[] {String[].class.getName()});
    Map<String, long[]> byClass = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        byClass.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return byClass;
  }

  /** The classes whose heap grew by caching, largest first, per cached key. */
  private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int keys) {
    after.entrySet().stream()
        .map(e -> {
          long[] b = before.getOrDefault(e.getKey(), new long[2]);
          return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
        })
        .filter(e -> e.getValue()[1] >= keys / 2)
        .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
        .forEach(e -> System.out.printf("%8.1f B/key %6.2f objects/key  %s%n", e.getValue()[1] / (double) keys,
            e.getValue()[0] / (double) keys, e.getKey()));
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}

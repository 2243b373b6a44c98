package dev.keygate.benchmarks;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * Memory per cached key (issue 17): the heap in use after full collections, with the keys issued
 * and their requests built, before and after every key has been verified once (so cached). The
 * difference is what caching costs: the verified-key entry, the remembered stored hash, the
 * principal and the cache's own structures. Run with a fixed heap:
 * {@code java -Xms2g -Xmx2g -cp benchmarks/target/keygate-benchmarks.jar
 * dev.keygate.benchmarks.CacheFootprint 100000}.
 */
public final class CacheFootprint {
  private CacheFootprint() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try (Keygate keygate = Fixture.keygate(new InMemoryApiKeyStore(), Fixture.hmacSha256())
        .verifiedKeyCacheSize(2L * keys).build()) {
      AuthenticationEngine engine = keygate.engine();
      List<IssuedKey> issued = Fixture.issue(keygate.keys(), keys);
      AuthenticationRequest[] requests = issued.stream().map(k -> Fixture.request(k.plaintext()))
          .toArray(AuthenticationRequest[]::new);
      long before = usedAfterGc();
      for (AuthenticationRequest r : requests) {
        if (!(engine.authenticate(r) instanceof AuthenticationResult.Authenticated)) {
          throw new IllegalStateException("a key was refused");
        }
      }
      engine.flushUsage(); // usage counted per key is not the cache's; write it out
      long after = usedAfterGc();
      System.out.printf("%d keys cached: %d bytes more heap, %.0f bytes per cached key (cache holds %d)%n", keys,
          after - before, (after - before) / (double) keys, engine.statistics().cachedKeys());
      if (requests.length != keys) {
        throw new IllegalStateException("keep the requests reachable until here");
      }
    }
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

package dev.keygate.benchmarks.http;

import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.benchmarks.CountingStore;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.hash.KeyHasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A restart with an empty cache: a fresh engine and server in a fresh JVM, then {@code
 * connections} clients present {@code keys} distinct valid keys, each until it is served once (a
 * 503 puts the key back at the end of the queue, as a client would retry). Reports the time until
 * every key was served and how many requests got 503 meanwhile.
 */
final class ColdStartRun {
  private ColdStartRun() {}

  static void run(Options o) throws Exception {
    String hasherName = o.text("hasher", "argon2id");
    int count = o.integer("keys", 1000);
    int connections = o.integer("connections", 16);
    int hashes = o.integer("hashing", Runtime.getRuntime().availableProcessors());
    KeyHasher hasher = Fixture.hasher(hasherName);
    Report.machine(String.format("hasher %s, %d keys, %d client connections (Java HttpClient, HTTP/1.1),"
        + " hashing %d at once, wait 200 ms", hasher, count, connections, hashes));

    CountingStore store = new CountingStore(new InMemoryApiKeyStore());
    long issuing = System.nanoTime();
    Keygate keygate = Fixture.keygate(store, hasher).maxConcurrentHashes(hashes)
        .hashingWait(java.time.Duration.ofMillis(200)).build();
    List<IssuedKey> issued = Fixture.issue(keygate.keys(), count);
    System.out.printf("# issued %d keys in %.1f s%n", count, (System.nanoTime() - issuing) / 1e9);

    AuthenticationEngine engine = keygate.engine();
    try (keygate; Endpoint endpoint = Endpoint.keygateServlet(engine, issued.get(0).plaintext())) {
      ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
      issued.forEach(k -> pending.add(k.plaintext()));
      AtomicLong served = new AtomicLong();
      AtomicLong unavailable = new AtomicLong();
      Map<Integer, Long> others = new ConcurrentSkipListMap<>();
      List<Thread> clients = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < connections; c++) {
        Thread t = new Thread(() -> {
          HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          String key;
          while ((key = pending.poll()) != null) {
            int status;
            try {
              status = client.send(HttpRequest.newBuilder(endpoint.uri()).header("X-API-Key", key).GET().build(),
                  HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
              status = -1;
            }
            if (status == 200) {
              served.incrementAndGet();
            } else {
              if (status == 503) {
                unavailable.incrementAndGet();
              } else {
                others.merge(status, 1L, Long::sum);
              }
              pending.add(key);
              if (status != 503 && others.values().stream().mapToLong(Long::longValue).sum() > 100) {
                pending.clear(); // something is wrong; stop rather than spin
              }
            }
          }
        }, "cold-client-" + c);
        t.start();
        clients.add(t);
      }
      for (Thread t : clients) {
        t.join();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      Map<String, Long> stats = new TreeMap<>(engine.stats());
      System.out.printf("%-10s %6s %12s %10s %8s %14s %10s%n", "hasher", "keys", "all served s",
          "keys/s", "503s", "other statuses", "peak/max");
      System.out.printf("%-10s %6d %12.2f %10.0f %8d %14s %5d/%-4d%n", hasherName, served.get(), elapsed,
          served.get() / elapsed, unavailable.get(), others, stats.get("peakConcurrentHashes"), hashes);
      System.out.println("engine stats: " + stats + "; store lookups: " + store.lookups());
      if (served.get() != count) {
        throw new IllegalStateException("only " + served.get() + " of " + count + " keys were served");
      }
    }
  }
}

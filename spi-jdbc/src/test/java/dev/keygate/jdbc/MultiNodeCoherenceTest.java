package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.AuthenticationResult;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import dev.keygate.Refusal;
import dev.keygate.testkit.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two application nodes, each with its own pool, store and engine, on one real PostgreSQL server:
 * a key revoked, rotated or deleted on node A stops working on node B, which had it cached, by
 * polling and by LISTEN/NOTIFY alone. The propagation times are measured and printed; no
 * test asserts how long they took (README.md reports them).
 */
class MultiNodeCoherenceTest {
  private static final Duration POLL = JdbcApiKeyStore.DEFAULT_POLL_INTERVAL;
  /** Longest wait for another node to refuse a key: far above the bound, for a loaded machine. */
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor();
  private static String url;

  @BeforeAll
  static void createTables() throws Exception {
    // the server the build's tests share; no other test uses the default prefix on it
    url = Databases.postgresUrl(SharedServers.postgresPort());
    try (com.zaxxer.hikari.HikariDataSource ds = Databases.pool(url, "postgres", "postgres", "setup")) {
      JdbcApiKeyStore.builder().dataSource(ds).build().createSchemaIfMissing();
    }
  }

  @AfterAll
  static void stopScheduler() {
    LATER.shutdownNow();
  }

  private static Node node(String name, boolean notifications) {
    return Node.start(name, url, "postgres", "postgres", JdbcApiKeyStore.DEFAULT_TABLE_PREFIX, POLL,
        notifications, Duration.ofSeconds(10));
  }

  @Test
  void revokeOnOneNodeIsRefusedOnTheOtherByPolling() throws Exception {
    // without LISTEN/NOTIFY and with a 30-minute cache on B, only the poller can tell B
    try (Node a = node("poll-a", false); Node b = node("poll-b", false)) {
      b.awaitWatching(false);
      List<Long> micros = new ArrayList<>();
      Random random = new Random(42);
      for (int trial = 0; trial < 6; trial++) {
        micros.add(revokeAndMeasure(a, b, random, POLL));
      }
      report("polling only, pollInterval=" + POLL.toMillis() + "ms", micros);
    }
  }

  @Test
  void revokeOnOneNodeIsRefusedOnTheOtherWithListenNotify() throws Exception {
    try (Node a = node("notify-a", true); Node b = node("notify-b", true)) {
      b.awaitWatching(true);
      List<Long> micros = new ArrayList<>();
      Random random = new Random(42);
      for (int trial = 0; trial < 10; trial++) {
        micros.add(revokeAndMeasure(a, b, random, Duration.ofMillis(200)));
      }
      report("LISTEN/NOTIFY + polling, pollInterval=" + POLL.toMillis() + "ms", micros);
    }
  }

  @Test
  void listenNotifyAloneCarriesARevokeToTheOtherNode() throws Exception {
    Duration hour = Duration.ofHours(1);
    try (Node a = Node.start("notify-only-a", url, "postgres", "postgres",
            JdbcApiKeyStore.DEFAULT_TABLE_PREFIX, hour, true, Duration.ofSeconds(10));
        Node b = Node.start("notify-only-b", url, "postgres", "postgres",
            JdbcApiKeyStore.DEFAULT_TABLE_PREFIX, hour, true, Duration.ofSeconds(10))) {
      b.awaitWatching(true); // B's first poll is over, its next one an hour away
      IssuedKey issued = a.service.create(NewKey.named("notify only"));
      b.assertAuthenticated(issued.plaintext());
      a.service.revoke(issued.key().id());
      awaitRefusal(b, issued.plaintext(), Refusal.REVOKED);
    }
  }

  @Test
  void rotateAndDeleteOnOneNodeReachTheOtherToo() throws Exception {
    try (Node a = node("rot-a", true); Node b = node("rot-b", true)) {
      b.awaitWatching(true);
      IssuedKey issued = a.service.create(NewKey.named("rotated"));
      b.assertAuthenticated(issued.plaintext());
      IssuedKey rotated = a.service.rotate(issued.key().id());
      awaitRefusal(b, issued.plaintext(), Refusal.INVALID_KEY);
      b.assertAuthenticated(rotated.plaintext());
      a.service.revoke(issued.key().id());
      awaitRefusal(b, rotated.plaintext(), Refusal.REVOKED);
      a.service.delete(issued.key().id());
      awaitRefusal(b, rotated.plaintext(), Refusal.INVALID_KEY);
    }
  }

  @Test
  void usageCountedOnTwoNodesAndFlushedConcurrentlyAddsUpExactly() throws Exception {
    Map<String, LongAdder> accepted = new ConcurrentHashMap<>();
    List<IssuedKey> keys = new ArrayList<>();
    try (Node a = Node.start("usage-a", url, "postgres", "postgres",
            JdbcApiKeyStore.DEFAULT_TABLE_PREFIX, POLL, true, Duration.ofMillis(20));
        Node b = Node.start("usage-b", url, "postgres", "postgres",
            JdbcApiKeyStore.DEFAULT_TABLE_PREFIX, POLL, true, Duration.ofMillis(20))) {
      for (int i = 0; i < 4; i++) {
        IssuedKey k = a.service.create(NewKey.named("usage " + i));
        keys.add(k);
        accepted.put(k.key().id(), new LongAdder());
      }
      int threadsPerNode = 4;
      int requestsPerThread = 1500;
      Concurrently.run(threadsPerNode * 2, t -> {
        Node node = t % 2 == 0 ? a : b;
        Random random = new Random(t);
        for (int i = 0; i < requestsPerThread; i++) {
          IssuedKey k = keys.get(random.nextInt(keys.size()));
          if (node.authenticate(k.plaintext()) instanceof AuthenticationResult.Authenticated) {
            accepted.get(k.key().id()).increment();
          }
        }
      });
    } // closing the engines flushes what is still counted in memory
    try (HikariDataSource ds = Databases.pool(url, "postgres", "postgres", "usage-check")) {
      JdbcApiKeyStore check = JdbcApiKeyStore.builder().dataSource(ds).build();
      long total = 0;
      for (IssuedKey k : keys) {
        long expected = accepted.get(k.key().id()).sum();
        total += expected;
        assertThat(check.findById(k.key().id()).orElseThrow().usageCount())
            .as("usage of %s", k.key().id()).isEqualTo(expected);
      }
      assertThat(total).isEqualTo(4L * 2 * 1500);
    }
  }

  /** Creates a key on A, caches it on B, revokes it on A; the microseconds until B refuses it. */
  private static long revokeAndMeasure(Node a, Node b, Random random, Duration spread)
      throws Exception {
    IssuedKey issued = a.service.create(NewKey.named("multi-node"));
    b.assertAuthenticated(issued.plaintext()); // now cached on B
    b.assertAuthenticated(issued.plaintext());
    // the revoke lands at a random point of the poll cycle, as real ones do, so that the printed
    // figures show the spread over the cycle; no assertion depends on when it lands
    long committed = LATER.schedule(() -> {
      a.service.revoke(issued.key().id()); // returns after the commit
      return System.nanoTime();
    }, random.nextInt((int) spread.toMillis()), TimeUnit.MILLISECONDS).get();
    long refusedAt = awaitRefusal(b, issued.plaintext(), Refusal.REVOKED);
    return (refusedAt - committed) / 1000;
  }

  /**
   * Asks B until it refuses {@code plaintext} for {@code expected}; the nanoTime it did. The
   * deadline only stops a broken build from hanging: the time taken is printed, not asserted.
   */
  private static long awaitRefusal(Node b, String plaintext, Refusal expected) {
    AtomicLong refusedAt = new AtomicLong();
    await().atMost(DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .until(() -> b.authenticate(plaintext), r -> {
          boolean refused = r instanceof Refused f && f.reason() == expected;
          if (refused) {
            refusedAt.set(System.nanoTime());
          }
          return refused;
        });
    return refusedAt.get();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static void report(String mode, List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT,
        "[keygate-jdbc propagation] %s: n=%d min=%.1fms median=%.1fms max=%.1fms (all ms: %s)%n",
        mode, sorted.size(), sorted.get(0) / 1000.0, median(sorted) / 1000.0,
        sorted.get(sorted.size() - 1) / 1000.0,
        sorted.stream().map(m -> String.format(Locale.ROOT, "%.1f", m / 1000.0)).toList());
  }
}

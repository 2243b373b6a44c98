package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKey;
import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.IssuedKey;
import dev.keygate.KeyQuery;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.Refusal;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Store calls against real locks held by another connection on a real PostgreSQL server (the one
 * the build's tests share; each test has its own tables): every
 * call gives up after the call timeout as "unavailable" instead of waiting for the lock, the
 * change watcher keeps its own connection, and reads never wait for a usage flush. Locks are taken
 * and released by the test; nothing sleeps. The hang guards ({@code assertTimeoutPreemptively})
 * are far above the timeouts and only keep a broken build from hanging.
 */
class PostgresLockTimeoutTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static String url;

  private String prefix;
  private HikariDataSource pool;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void findServer() throws Exception {
    url = Databases.postgresUrl(SharedServers.postgresPort());
  }

  @BeforeEach
  void createTables() {
    prefix = "lock" + PREFIXES.incrementAndGet() + "_";
    pool = Databases.pool(url, "postgres", "postgres", prefix);
    JdbcApiKeyStore.builder().dataSource(pool).tablePrefix(prefix).build().createSchemaIfMissing();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    pool.close();
  }

  private JdbcApiKeyStore store(Duration callTimeout) {
    JdbcApiKeyStore s = JdbcApiKeyStore.builder().dataSource(pool).tablePrefix(prefix)
        .callTimeout(callTimeout).build();
    open.add(s);
    return s;
  }

  @Test
  void everyCallOnALockedTableGivesUpAsUnavailableAndWorksOnceTheLockIsGone() throws Exception {
    JdbcApiKeyStore store = store(Duration.ofSeconds(1));
    ApiKey k = key("k00000000001");
    store.create(k);
    Lock lock = lockTable(prefix + "api_keys");
    try {
      assertTimeoutPreemptively(HANG_GUARD, () -> {
        assertUnavailable(() -> store.findById(k.id()));
        assertUnavailable(() -> store.list(KeyQuery.all(T0)));
        assertUnavailable(() -> store.create(key("k00000000002")));
        assertUnavailable(() -> store.update(k.toBuilder().name("renamed").build()));
        assertUnavailable(() -> store.delete(k.id()));
        assertUnavailable(() -> store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0))));
      });
    } finally {
      lock.close();
    }
    assertThat(store.findById(k.id())).contains(k); // nothing was half done
    assertThat(store.findById("k00000000002")).isEmpty();
    assertThat(store.update(k.toBuilder().name("renamed").build())).isTrue();
  }

  @Test
  void whileTheTableIsLockedCachedKeysAre200AndOthers503WithRetryAfter() throws Exception {
    JdbcApiKeyStore store = store(Duration.ofSeconds(1));
    Keygate keygate = Keygate.builder().store(store).keyFormat(Node.FORMAT).hasher(Node.HASHER)
        .usageFlushInterval(Duration.ZERO).build();
    ApiKeyService keys = keygate.keys();
    AuthenticationEngine engine = keygate.engine();
    open.add(engine);
    IssuedKey cached = keys.create(NewKey.named("cached"));
    IssuedKey uncached = keys.create(NewKey.named("uncached"));
    assertThat(authenticate(engine, cached)).isInstanceOf(Authenticated.class);
    Lock lock = lockTable(prefix + "api_keys");
    try {
      assertTimeoutPreemptively(HANG_GUARD, () -> {
        assertThat(authenticate(engine, cached)).isInstanceOf(Authenticated.class);
        AuthenticationResult r = authenticate(engine, uncached);
        assertThat(r).isInstanceOfSatisfying(Refused.class, refused -> {
          assertThat(refused.reason()).isEqualTo(Refusal.UNAVAILABLE);
          assertThat(refused.status()).isEqualTo(503);
          assertThat(refused.retryAfterSeconds()).isPositive();
        });
      });
    } finally {
      lock.close();
    }
    assertThat(authenticate(engine, uncached)).isInstanceOf(Authenticated.class);
  }

  @Test
  void revocationsReachANodeWhoseRequestTrafficHoldsEveryOtherPooledConnection() throws Exception {
    // polling only: the LISTEN connection would carry the change by itself
    Node a = Node.start("lock-a", url, "postgres", "postgres", prefix, Duration.ofMillis(100),
        false, Duration.ofMinutes(10));
    open.add(a);
    Node b = Node.start("lock-b", url, "postgres", "postgres", prefix, Duration.ofMillis(100),
        false, Duration.ofMinutes(10), Duration.ofMillis(250));
    open.add(b);
    b.awaitWatching(false);
    IssuedKey issued = a.service.create(NewKey.named("revoked under load"));
    b.assertAuthenticated(issued.plaintext()); // cached on B
    List<Connection> taken = takeEveryConnection(b.pool);
    try {
      assertThat(taken).isNotEmpty();
      a.service.revoke(issued.key().id());
      // B cannot look the key up any more (its pool is empty: 503), but it must stop accepting it
      await().until(() -> b.authenticate(issued.plaintext()), r -> r instanceof Refused);
    } finally {
      for (Connection c : taken) {
        c.close();
      }
    }
    assertThat(b.authenticate(issued.plaintext())).isInstanceOfSatisfying(Refused.class,
        r -> assertThat(r.reason()).isEqualTo(Refusal.REVOKED));
  }

  @Test
  void aUsageFlushBlockedOnARowLockGivesUpAndFreesTheRowsItHeld() throws Exception {
    JdbcApiKeyStore store = store(Duration.ofSeconds(1));
    ApiKey first = key("a00000000001");
    ApiKey locked = key("z00000000001"); // rows are updated in id order: first, then locked
    store.create(first);
    store.create(locked);
    Lock lock = lockRow(prefix + "api_keys", locked.id());
    try {
      assertTimeoutPreemptively(HANG_GUARD, () -> {
        assertUnavailable(() -> store.recordUsage(List.of(
            new UsageRecord(first.id(), 3, T0), new UsageRecord(locked.id(), 3, T0))));
        // the flush gave its lock on the first row back: a revoke of it goes through at once
        assertThat(store.update(first.toBuilder().revokedAt(T0).build())).isTrue();
      });
    } finally {
      lock.close();
    }
    // all or nothing: the engine keeps the counts of a failed flush and sends them again
    assertThat(store.findById(first.id()).orElseThrow().usageCount()).isZero();
    assertThat(store.findById(locked.id()).orElseThrow().usageCount()).isZero();
  }

  @Test
  void managementReadsDoNotWaitForAUsageFlushThatIsWaitingForALock() throws Exception {
    // a timeout far above the test: the flush waits until the test releases the row
    JdbcApiKeyStore store = store(Duration.ofMinutes(5));
    ApiKey first = key("a00000000002");
    ApiKey locked = key("z00000000002");
    store.create(first);
    store.create(locked);
    ExecutorService flusher = Executors.newSingleThreadExecutor();
    try (Lock lock = lockRow(prefix + "api_keys", locked.id())) {
      Future<?> flush = flusher.submit(() -> store.recordUsage(List.of(
          new UsageRecord(first.id(), 2, T0), new UsageRecord(locked.id(), 2, T0))));
      // it holds `first` and waits for `locked`
      await().until(() -> updatesWaitingForALock(prefix + "api_keys") == 1);
      assertTimeoutPreemptively(HANG_GUARD, () -> {
        assertThat(store.findById(first.id())).isPresent();
        assertThat(store.list(KeyQuery.all(T0)).items()).hasSize(2);
      });
      assertThat(flush).as("the reads returned while the flush was still waiting").isNotDone();
      lock.release();
      flush.get();
    } finally {
      flusher.shutdownNow();
    }
    assertThat(store.findById(first.id()).orElseThrow().usageCount()).isEqualTo(2);
  }

  @Test
  void aFlushOfMoreKeysThanOneStatementTakesAppliesWholeOrNotAtAllAndTwoAtOnceAddUp()
      throws Exception {
    JdbcApiKeyStore store = store(Duration.ofSeconds(1));
    int n = 2 * JdbcApiKeyStore.USAGE_CHUNK + 500; // three statements
    List<String> ids = new ArrayList<>();
    Statements sql = new Statements(SqlDialect.POSTGRESQL, prefix);
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.insert)) {
      for (int i = 0; i < n; i++) {
        ids.add(String.format("u%011d", i));
        sql.rows.bindInsert(ps, key(ids.get(i)));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    List<UsageRecord> usage = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      usage.add(new UsageRecord(ids.get(i), 1 + i % 3, T0.plusSeconds(i % 7)));
      usage.add(new UsageRecord(ids.get(i), 1, T0)); // the same key twice: summed first
    }
    java.util.Collections.shuffle(usage, new java.util.Random(17));
    try (Lock lock = lockRow(prefix + "api_keys", ids.get(n - 1))) { // in the last statement
      assertTimeoutPreemptively(HANG_GUARD,
          () -> assertUnavailable(() -> store.recordUsage(usage)));
    }
    assertThat(usageSum()).as("the first two statements were rolled back").isZero();

    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> flushes = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        List<UsageRecord> mine = new ArrayList<>(usage);
        java.util.Collections.shuffle(mine, new java.util.Random(t));
        flushes.add(two.submit(() -> {
          for (int round = 0; round < 3; round++) {
            store.recordUsage(mine);
          }
          return null;
        }));
      }
      for (Future<?> f : flushes) {
        f.get(); // no deadlock, no lock timeout: both lock rows in id order
      }
    } finally {
      two.shutdownNow();
    }
    for (int i : new int[] {0, 1, 2, JdbcApiKeyStore.USAGE_CHUNK, n - 1}) {
      ApiKey stored = store.findById(ids.get(i)).orElseThrow();
      assertThat(stored.usageCount()).isEqualTo(6L * (2 + i % 3));
      assertThat(stored.lastUsedAt()).isEqualTo(T0.plusSeconds(i % 7));
    }
    long expected = 0;
    for (int i = 0; i < n; i++) {
      expected += 6L * (2 + i % 3);
    }
    assertThat(usageSum()).isEqualTo(expected);
  }

  private long usageSum() throws SQLException {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(usage_count), 0) FROM " + prefix
            + "api_keys")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static ApiKey key(String id) {
    return ApiKey.builder().id(id).name("n").hint("kg_test_" + id.substring(0, 4) + "…")
        .secretHash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo").createdAt(T0)
        .build();
  }

  private static AuthenticationResult authenticate(AuthenticationEngine engine, IssuedKey key) {
    return engine.authenticate(AuthenticationRequest.from("127.0.0.1").apiKey(key.plaintext()).build());
  }

  private static void assertUnavailable(Executable call) {
    // 57014: cancelled by the query or statement timeout; 55P03: lock_timeout
    assertThatThrownBy(call::execute)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageMatching("key store \\w+ failed: SQLState (57014|55P03), .*");
  }

  /** Borrows connections from {@code pool} until it has none left; they stay borrowed. */
  private static List<Connection> takeEveryConnection(HikariDataSource pool) {
    List<Connection> taken = new ArrayList<>();
    while (true) {
      try {
        taken.add(pool.getConnection());
      } catch (SQLException exhausted) {
        return taken;
      }
    }
  }

  /** Statements updating {@code table} that wait for a lock (on the server other tests share). */
  private static int updatesWaitingForALock(String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
            + " WHERE wait_event_type = 'Lock' AND query LIKE ?")) {
      ps.setString(1, "UPDATE " + table + " %");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static Lock lockTable(String table) throws SQLException {
    return new Lock("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
  }

  private static Lock lockRow(String table, String id) throws SQLException {
    return new Lock("SELECT id FROM " + table + " WHERE id = '" + id + "' FOR UPDATE");
  }

  /** A lock taken by a transaction of another connection, held until released or closed. */
  private static final class Lock implements AutoCloseable {
    private final Connection c;

    Lock(String sql) throws SQLException {
      c = DriverManager.getConnection(url, "postgres", "postgres");
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
    }

    void release() throws SQLException {
      c.rollback();
    }

    @Override
    public void close() throws SQLException {
      c.rollback();
      c.close();
    }
  }
}

package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import dev.keygate.ApiKeyStore;
import dev.keygate.testkit.ApiKeyStoreContractTest;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import dev.keygate.testkit.ApiKeyStoreContractTest;
import dev.keygate.testkit.Concurrently;
import dev.keygate.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The store contract (keygate-testkit) plus what is particular to the JDBC store, run on each database. A
 * subclass starts one database per class and hands out connection sources to it; every test gets
 * its own table prefix, so tests share the server but no rows.
 */
abstract class JdbcStoreContractTest extends ApiKeyStoreContractTest {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  /** The prefix of the current test's tables. */
  protected String prefix;
  /** Stores the test made besides {@link #store}, closed after it. */
  protected final List<JdbcApiKeyStore> extraStores = new ArrayList<>();
  private final List<DataSource> extraSources = new ArrayList<>();

  /** The class's shared connection source. */
  protected abstract DataSource dataSource();

  /** A new, separate connection source (its own pool) to the same database, as another node has. */
  protected abstract DataSource openDataSource() throws Exception;

  /** Releases a source from {@link #openDataSource()}. */
  protected abstract void closeDataSource(DataSource ds) throws Exception;

  /** What detection should find. */
  protected abstract SqlDialect expectedDialect();

  @Override
  protected ApiKeyStore newStore() {
    prefix = "t" + PREFIXES.incrementAndGet() + "_";
    JdbcApiKeyStore s = builder(dataSource()).build();
    s.createSchemaIfMissing();
    return s;
  }

  /**
   * A store on this test's tables whose connection pool is closed, so that every connection
   * attempt fails (PostgresOutageTest stops a whole server). One call runs first, so that the
   * dialect is known and the outage hits the statements themselves.
   */
  @Override
  protected ApiKeyStore newUnreachableStore() {
    HikariConfig c = new HikariConfig();
    c.setDataSource(dataSource());
    c.setMaximumPoolSize(1);
    c.setPoolName("closed-for-the-test");
    HikariDataSource pool = new HikariDataSource(c);
    JdbcApiKeyStore s = builder(pool).build(); // the contract closes it
    s.findById(newId());
    pool.close();
    return s;
  }

  @Override
  protected void closeStore(ApiKeyStore store) throws Exception {
    ((JdbcApiKeyStore) store).close();
    for (JdbcApiKeyStore s : extraStores) {
      s.close();
    }
    for (DataSource ds : extraSources) {
      closeDataSource(ds);
    }
  }

  /** A builder on {@code ds} with this test's prefix and a quick poll. */
  protected JdbcApiKeyStore.Builder builder(DataSource ds) {
    return JdbcApiKeyStore.builder().dataSource(ds).tablePrefix(prefix)
        .pollInterval(Duration.ofMillis(100));
  }

  /** Another node: its own connection source and store on this test's tables. */
  protected JdbcApiKeyStore otherNode() throws Exception {
    DataSource ds = openDataSource();
    extraSources.add(ds);
    JdbcApiKeyStore s = builder(ds).build();
    extraStores.add(s);
    return s;
  }

  private JdbcApiKeyStore jdbc() {
    return (JdbcApiKeyStore) store;
  }

  @Test
  void dialectIsDetectedFromTheConnection() throws Exception {
    assertThat(jdbc().statements().dialect).isEqualTo(expectedDialect());
  }

  @Test
  void schemaCreationCanRunAgainWithoutHarm() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    jdbc().createSchemaIfMissing();
    assertThat(store.findById(k.id())).contains(k);
  }

  @Test
  void tablePrefixesKeepStoresApart() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    JdbcApiKeyStore other = JdbcApiKeyStore.builder().dataSource(dataSource())
        .tablePrefix(prefix + "x_").build();
    extraStores.add(other);
    other.createSchemaIfMissing();
    assertThat(other.findById(k.id())).isEmpty();
    assertThat(store.findById(k.id())).isPresent();
  }

  @Test
  void anyCharactersSurviveInScopesIpsAndMetadata() {
    String nasty = "q\"uote \\back\\slash \u0000nul \n\r\t \u0001 \u007f \u2028 \ud83d\udd11 lone\ud800 ["
        + "{\"json\":[1]} , : é";
    ApiKey k = key(newId(), T0).toBuilder()
        .scopes(Set.of(nasty, "", "a.b"))
        .allowedIps(List.of(nasty, "10.0.0.0/8", nasty))
        .metadata(Map.of(nasty, nasty, "", "", "k", "\\u0041"))
        .build();
    store.create(k);
    assertThat(store.findById(k.id())).contains(k);
  }

  @Test
  void collectionsAreStoredAsPlainJsonText() throws Exception {
    ApiKey k = key(newId(), T0).toBuilder()
        .scopes(Set.of("datasets.read", "projects.*"))
        .allowedIps(List.of("203.0.113.0/24"))
        .metadata(Map.of("team", "billing"))
        .build();
    store.create(k);
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT scopes, allowed_ips, metadata FROM " + prefix + "api_keys WHERE id = ?")) {
      ps.setString(1, k.id());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("[\"datasets.read\",\"projects.*\"]");
        assertThat(rs.getString(2)).isEqualTo("[\"203.0.113.0/24\"]");
        assertThat(rs.getString(3)).isEqualTo("{\"team\":\"billing\"}");
      }
    }
  }

  @Test
  void everyUpdateAndDeleteWritesAChangeRow() throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThat(store.update(k.toBuilder().name("n").build())).isTrue();
    assertThat(store.update(k.toBuilder().name("stale").build())).isFalse();
    assertThat(store.delete(k.id())).isTrue();
    assertThat(store.delete(k.id())).isFalse();
    assertThat(changeRowKeyIds()).containsExactly(k.id(), k.id());
  }

  protected List<String> changeRowKeyIds() throws Exception {
    try (Connection c = dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT key_id FROM " + prefix + "key_changes ORDER BY seq")) {
      List<String> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    }
  }

  @Test
  void anotherNodeHearsUpdatesAndDeletesByPolling() throws Exception {
    JdbcApiKeyStore nodeB = otherNode();
    List<String> heard = new CopyOnWriteArrayList<>();
    nodeB.subscribe(heard::add);
    ApiKey k = key(newId(), T0);
    store.create(k);
    awaitPositioned(nodeB);
    heard.clear();
    store.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
    awaitHeard(heard, k.id());
    heard.clear();
    store.delete(k.id());
    awaitHeard(heard, k.id());
  }

  @Test
  void aChangeCommittedAfterALaterOneIsStillReported() throws Exception {
    // sequence numbers are taken at insert and seen at commit: 11 may be read before 10
    JdbcApiKeyStore nodeB = otherNode();
    List<String> heard = new CopyOnWriteArrayList<>();
    nodeB.subscribe(heard::add);
    ApiKey later = key(newId(), T0);
    store.create(later);
    awaitPositioned(nodeB);
    String slowId = newId();
    try (Connection slow = dataSource().getConnection()) {
      slow.setAutoCommit(false);
      try (PreparedStatement ps = slow.prepareStatement(
          "INSERT INTO " + prefix + "key_changes (key_id, changed_at) VALUES (?, ?)")) {
        ps.setString(1, slowId);
        jdbc().statements().dialect.bindInstant(ps, 2, T0);
        ps.executeUpdate();
      }
      store.update(later.toBuilder().name("committed first").build());
      awaitHeard(heard, later.id());
      // node B reads past the gap: polls run here, on this thread, and are over when they return
      for (int i = 0; i < 3; i++) {
        nodeB.watcher().poll();
      }
      assertThat(heard).doesNotContain(slowId);
      slow.commit();
    }
    awaitHeard(heard, slowId);
  }

  @Test
  void changeRowsOlderThanTheRetentionArePruned() throws Exception {
    MutableClock clock = new MutableClock(T0);
    JdbcApiKeyStore nodeA = builder(dataSource()).clock(clock).build();
    extraStores.add(nodeA);
    ApiKey old = key(newId(), T0);
    nodeA.create(old);
    nodeA.update(old.toBuilder().name("changed at T0").build());
    clock.advance(Duration.ofMinutes(61));
    ApiKey recent = key(newId(), T0);
    nodeA.create(recent);
    nodeA.update(recent.toBuilder().name("changed at T0 + 61 min").build());
    nodeA.subscribe(id -> {}); // the first poll prunes
    awaitPositioned(nodeA);
    assertThat(changeRowKeyIds()).containsExactly(recent.id());
  }

  @Test
  void usageFlushedByTwoNodesAtOnceAddsUpExactly() throws Exception {
    List<ApiKey> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ApiKey k = key(newId(), T0);
      store.create(k);
      keys.add(k);
    }
    JdbcApiKeyStore nodeA = jdbc();
    JdbcApiKeyStore nodeB = otherNode();
    int threadsPerNode = 4;
    int batches = 40;
    Concurrently.run(threadsPerNode * 2, t -> {
      JdbcApiKeyStore node = t % 2 == 0 ? nodeA : nodeB;
      Random random = new Random(t);
      for (int b = 0; b < batches; b++) {
        List<UsageRecord> batch = new ArrayList<>();
        for (ApiKey k : keys) {
          batch.add(new UsageRecord(k.id(), 1 + (keys.indexOf(k) % 3), T0.plusMillis(b * 10L + t)));
        }
        Collections.shuffle(batch, random); // any order in, no deadlock out
        node.recordUsage(batch);
      }
    });
    for (ApiKey k : keys) {
      ApiKey stored = store.findById(k.id()).orElseThrow();
      long perBatch = 1 + (keys.indexOf(k) % 3);
      assertThat(stored.usageCount()).isEqualTo(perBatch * batches * threadsPerNode * 2);
      assertThat(stored.lastUsedAt()).isEqualTo(T0.plusMillis((batches - 1) * 10L + threadsPerNode * 2 - 1));
    }
  }

  @Test
  void dataErrorsNeverQuoteTheHashInMessages() {
    String hash = "$argon2id$v=19$m=19456,t=2,p=1$" + "A".repeat(2000);
    ApiKey k = key(newId(), T0).toBuilder().secretHash(hash).build();
    assertThatThrownBy(() -> store.create(k))
        .isInstanceOf(StoreUnavailableException.class)
        .satisfies(e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("AAAAAAAA");
            for (Throwable s : t.getSuppressed()) {
              assertThat(String.valueOf(s.getMessage())).doesNotContain("AAAAAAAA");
            }
          }
        });
  }

  @Test
  void aLastPageThatIsExactlyFullSaysThereIsNoMore() {
    for (int i = 0; i < 20; i++) {
      store.create(key(newId(), T0.plusSeconds(i)).toBuilder().owner("twenty").build());
    }
    KeyQuery q = KeyQuery.all(T0).withOwner("twenty");
    Page<ApiKey> first = store.list(q.withLimit(10));
    Page<ApiKey> last = store.list(q.withLimit(10).withAfter(first.nextCursor()));
    assertThat(first.items()).hasSize(10);
    assertThat(first.hasMore()).isTrue();
    assertThat(last.items()).hasSize(10);
    assertThat(last.hasMore()).isFalse();
  }

  @Test
  void usageOfOneKeyInOneBatchAddsUpAndKeepsTheLatestTimeWhateverTheOrder() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(5)),
        new UsageRecord(k.id(), 2, T0.plusSeconds(10))));
    ApiKey stored = store.findById(k.id()).orElseThrow();
    assertThat(stored.usageCount()).isEqualTo(3);
    assertThat(stored.lastUsedAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void aRefusedUpdateOrDeleteTellsNoListenerAndRecordsNoChange() throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    List<String> heard = new CopyOnWriteArrayList<>();
    store.subscribe(heard::add);
    assertThat(store.update(k.toBuilder().version(k.version() + 1).name("stale").build())).isFalse();
    assertThat(store.update(key(newId(), T0))).isFalse();
    assertThat(store.delete(newId())).isFalse();
    // this node's listeners are told before update and delete return; the poller finds no row
    assertThat(heard).isEmpty();
    assertThat(changeRowKeyIds()).isEmpty();
  }

  @Test
  void aChangeThatOtherNodesCannotBeToldOfIsNotMade() throws Exception {
    // a revocation applied without its change row would stay unseen by every other node's cache
    ApiKey k = key(newId(), T0);
    store.create(k);
    sql("ALTER TABLE " + prefix + "key_changes RENAME TO " + prefix + "key_changes_away");
    try {
      assertThatThrownBy(() -> store.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build()))
          .isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> store.delete(k.id())).isInstanceOf(StoreUnavailableException.class);
    } finally {
      sql("ALTER TABLE " + prefix + "key_changes_away RENAME TO " + prefix + "key_changes");
    }
    assertThat(store.findById(k.id())).contains(k);
  }

  @Test
  void aRowThatKeygateNeverWritesIsReportedAsMalformedAndNotReadAsAnotherRecord() throws Exception {
    String trailing = corrupt("scopes = '[\"orders.read\"] x'");
    String unterminated = corrupt("allowed_ips = '[\"10.0.0.0/8\"'");
    String repeated = corrupt("metadata = '{\"a\":\"1\",\"a\":\"2\"}'");
    String noPeriod = corrupt("rate_limit_requests = 10");
    String noRequests = corrupt("rate_limit_period = 'PT1M'");
    String badPeriod = corrupt("rate_limit_requests = 10, rate_limit_period = 'a minute'");
    assertMalformed(trailing, "unexpected text at offset 16");
    assertMalformed(unterminated, "expected ']' at offset 13");
    assertMalformed(repeated, "repeated name at offset 16");
    // half a rate limit is not "no rate limit": the key would lose the limit it was given
    assertMalformed(noPeriod, "rate_limit_requests and rate_limit_period are set together or not at all");
    assertMalformed(noRequests, "rate_limit_requests and rate_limit_period are set together or not at all");
    assertMalformed(badPeriod, "Text cannot be parsed to a Duration");
    assertThatThrownBy(() -> store.list(KeyQuery.all(T0)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("key store list failed: ")
        .cause().hasMessageContaining("is malformed");
  }

  /** A stored key whose row then gets {@code assignments}, as a person with a SQL console would. */
  private String corrupt(String assignments) throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    sql("UPDATE " + prefix + "api_keys SET " + assignments + " WHERE id = '" + k.id() + "'");
    return k.id();
  }

  private void assertMalformed(String id, String problem) {
    assertThatThrownBy(() -> store.findById(id))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("key store findById failed: ")
        .cause().hasMessage("stored record of key " + id + " is malformed (" + problem + ")");
  }

  @Test
  void throughAPoolThatDoesNotAutoCommitEveryChangeIsCommittedAndOldChangesArePruned()
      throws Exception {
    prefix = prefix + "m_"; // tables of their own, created through that pool
    MutableClock clock = new MutableClock(T0);
    try (HikariDataSource manual = manualCommitPool(dataSource());
        JdbcApiKeyStore nodeA = builder(manual).clock(clock).build()) {
      nodeA.createSchemaIfMissing();
      ApiKey k = key(newId(), T0);
      nodeA.create(k);
      assertThat(nodeA.update(k.toBuilder().name("changed at T0").build())).isTrue();
      nodeA.recordUsage(List.of(new UsageRecord(k.id(), 4, T0.plusSeconds(1))));
      // read through other connections: only what was committed is there
      JdbcApiKeyStore nodeB = builder(dataSource()).build();
      extraStores.add(nodeB);
      ApiKey seen = nodeB.findById(k.id()).orElseThrow();
      assertThat(seen.name()).isEqualTo("changed at T0");
      assertThat(seen.usageCount()).isEqualTo(4);
      assertThat(changeRowKeyIds()).containsExactly(k.id());

      clock.advance(Duration.ofMinutes(61));
      List<String> heard = new CopyOnWriteArrayList<>();
      nodeA.subscribe(heard::add); // its first poll prunes the change row of T0
      awaitPositioned(nodeA);
      assertThat(changeRowKeyIds()).isEmpty();
      nodeB.update(seen.toBuilder().revokedAt(T0.plusSeconds(2)).build());
      awaitHeard(heard, k.id());
    }
  }

  private static HikariDataSource manualCommitPool(DataSource ds) {
    HikariConfig c = new HikariConfig();
    c.setDataSource(ds);
    c.setAutoCommit(false);
    c.setMaximumPoolSize(4);
    c.setPoolName("manual-commit");
    return new HikariDataSource(c);
  }

  @Test
  void oneStoreRunsOnePollerForAllItsListenersAndNoneOnceClosed() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    JdbcApiKeyStore s = builder(dataSource()).build();
    extraStores.add(s);
    s.subscribe(id -> {});
    s.subscribe(id -> {});
    List<Thread> pollers = newThreads(before, "keygate-jdbc-changes");
    assertThat(pollers).hasSize(1);
    s.close();
    await().until(() -> !pollers.get(0).isAlive());
    s.subscribe(id -> {});
    assertThat(newThreads(before, "keygate-jdbc-changes")).isEmpty();
  }

  private static List<Thread> newThreads(Set<Thread> before, String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().equals(name) && t.isAlive())
        .toList();
  }

  @Test
  void toStringNamesTheDialectOnceItIsKnown() {
    assertThat(store).hasToString("JdbcApiKeyStore[" + expectedDialect() + ", prefix=" + prefix
        + ", pollInterval=PT0.1S, callTimeout=PT2S, notifications=true]");
  }

  /** Runs one statement on a connection of the shared source. */
  protected void sql(String sql) throws Exception {
    try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  protected static void awaitPositioned(JdbcApiKeyStore node) {
    await().until(() -> node.watcher() != null && node.watcher().positioned());
  }

  protected static void awaitHeard(List<String> heard, String id) {
    await().untilAsserted(() -> assertThat(heard).contains(id));
  }
}

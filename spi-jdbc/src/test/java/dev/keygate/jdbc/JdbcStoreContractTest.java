package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keygate.ApiKey;
import dev.keygate.spi.ApiKeyStore;
import dev.keygate.spi.ApiKeyStoreContractTest;
import dev.keygate.spi.StoreUnavailableException;
import dev.keygate.spi.UsageRecord;
import dev.keygate.testing.Concurrently;
import dev.keygate.testing.MutableClock;
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
 * Core's store contract plus what is particular to the JDBC store, run on each database. A
 * subclass starts one database per class and hands out connection sources to it; every test gets
 * its own table prefix, so tests share the server but no rows.
 */
abstract class JdbcStoreContractTest extends ApiKeyStoreContractTest {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  /** The prefix of the current test's tables. */
  protected String prefix;
  private final List<JdbcApiKeyStore> extraStores = new ArrayList<>();
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

  private List<String> changeRowKeyIds() throws Exception {
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

  private static void awaitPositioned(JdbcApiKeyStore node) {
    await().until(() -> node.watcher() != null && node.watcher().positioned());
  }

  private static void awaitHeard(List<String> heard, String id) {
    await().untilAsserted(() -> assertThat(heard).contains(id));
  }
}

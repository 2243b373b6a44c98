package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKey;
import dev.keygate.DuplicateKeyIdException;
import dev.keygate.KeyQuery;
import dev.keygate.KeyStatus;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the store does differently on MySQL and MariaDB, on the build's shared MariaDB server:
 * instants in {@code DATETIME(6)} columns, which hold no time zone (Keygate writes UTC), and a
 * duplicate id reported as error 1062 rather than SQLState 23505. Quick enough for mutation
 * testing, which runs this class and not the whole contract on MariaDB ({@link MariaDbStoreTest}).
 */
class MariaDbSpecificsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123456Z");
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final AtomicInteger IDS = new AtomicInteger();
  private static HikariDataSource pool;

  private String prefix;
  private JdbcApiKeyStore store;

  @BeforeAll
  static void openPool() throws Exception {
    pool = Databases.pool(SharedServers.mariaDbUrl(SharedServers.mariaDbPort(), "keygate"),
        "root", "", "maria-specifics");
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @BeforeEach
  void createTables() {
    prefix = "mys" + PREFIXES.incrementAndGet() + "_";
    store = JdbcApiKeyStore.builder().dataSource(pool).tablePrefix(prefix).build();
    store.createSchemaIfMissing();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void everyInstantIsStoredAsUtcAndReadBackToTheMicrosecond() throws Exception {
    ApiKey k = key().toBuilder()
        .previousSecretHash("$argon2id$v=19$m=1024,t=1,p=1$b2xkc2FsdA$b2xkaGFzaA")
        .previousSecretExpiresAt(T0.plusSeconds(1))
        .expiresAt(T0.plusSeconds(2))
        .revokedAt(T0.plusSeconds(3))
        .rotatedAt(T0.plusSeconds(4))
        .lastUsedAt(T0.plusSeconds(5))
        .build();
    store.create(k);
    assertThat(store.findById(k.id())).contains(k);
    // what a person sees in a SQL console, whatever the server's or the JVM's time zone
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT CAST(created_at AS CHAR) FROM " + prefix + "api_keys WHERE id = ?")) {
      ps.setString(1, k.id());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("2026-01-01 10:00:00.123456");
      }
    }
    ApiKey minimal = key();
    store.create(minimal);
    assertThat(store.findById(minimal.id())).contains(minimal);
  }

  @Test
  void instantsAreComparedAsStoredWhenListingAndCountingUsage() {
    ApiKey k = key().toBuilder().expiresAt(T0.plus(Duration.ofDays(1))).build();
    store.create(k);
    Instant expiry = k.expiresAt();
    assertThat(store.list(KeyQuery.all(expiry.minusNanos(1_000)).withStatus(KeyStatus.ACTIVE))
        .items()).extracting(ApiKey::id).containsExactly(k.id());
    assertThat(store.list(KeyQuery.all(expiry).withStatus(KeyStatus.EXPIRED)).items())
        .extracting(ApiKey::id).containsExactly(k.id());
    store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(10))));
    store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(5))));
    assertThat(store.findById(k.id()).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void aDuplicateIdIsReportedAsADuplicate() {
    ApiKey k = key();
    store.create(k);
    assertThatThrownBy(() -> store.create(k.toBuilder().name("other").build()))
        .isInstanceOf(DuplicateKeyIdException.class);
  }

  @Test
  void aCreateThatFailsForAnotherReasonIsNotCalledADuplicate() {
    // error 1062 means a duplicate on MySQL; every other error (here 1406, data too long) does not
    ApiKey k = key().toBuilder().secretHash("$argon2id$" + "A".repeat(2000)).build();
    assertThatThrownBy(() -> store.create(k))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("key store create failed: SQLState 22001, error 1406, ");
  }

  private static ApiKey key() {
    String id = String.format("m%011d", IDS.incrementAndGet());
    return ApiKey.builder().id(id).name("n").hint("kg_test_" + id.substring(0, 4) + "…")
        .secretHash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo").createdAt(T0)
        .build();
  }
}

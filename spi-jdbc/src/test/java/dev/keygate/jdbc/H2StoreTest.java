package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The contract on an in-memory H2 database, and what is easiest to prove on one. */
class H2StoreTest extends JdbcStoreContractTest {
  private static int databases;
  private final String url = "jdbc:h2:mem:keygate" + (++databases) + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
  private final DataSource dataSource = openH2(url);

  static JdbcDataSource openH2(String url) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    ds.setUser("sa");
    return ds;
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }

  @Override
  protected DataSource openDataSource() {
    return openH2(url);
  }

  @Override
  protected void closeDataSource(DataSource ds) {}

  @Override
  protected void closeStore(ApiKeyStore store) throws Exception {
    super.closeStore(store);
    // an in-memory database with DB_CLOSE_DELAY=-1 lives as long as the JVM: mutation testing runs
    // these tests thousands of times in one JVM
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("SHUTDOWN");
    }
  }

  @Override
  protected SqlDialect expectedDialect() {
    return SqlDialect.H2;
  }

  @Test
  void aRowWithoutItsCreationTimeIsReportedAsMalformed() throws Exception {
    // the shipped schema refuses it; a schema changed by hand may not
    ApiKey k = key(newId(), T0);
    store.create(k);
    sql("ALTER TABLE " + prefix + "api_keys ALTER COLUMN created_at SET NULL");
    sql("UPDATE " + prefix + "api_keys SET created_at = NULL WHERE id = '" + k.id() + "'");
    assertThatThrownBy(() -> store.findById(k.id()))
        .isInstanceOf(StoreUnavailableException.class)
        .cause().hasMessage("stored record of key " + k.id() + " is malformed (created_at)");
  }

  @Test
  void aDatabaseKeygateDoesNotKnowIsRefusedUntilItsDialectIsGiven() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    DataSource exotic = DisguisedDataSource.reportingProduct(dataSource, "ExoticDB");
    try (JdbcApiKeyStore unknown = JdbcApiKeyStore.builder().dataSource(exotic).tablePrefix(prefix)
            .build();
        JdbcApiKeyStore told = JdbcApiKeyStore.builder().dataSource(exotic).tablePrefix(prefix)
            .dialect(SqlDialect.H2).build()) {
      assertThatThrownBy(() -> unknown.findById(k.id()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("no SQL dialect for database 'ExoticDB'; set one with"
              + " JdbcApiKeyStore.Builder.dialect");
      assertThat(told.findById(k.id())).contains(k);
    }
  }

  @Test
  void aTransactionThatLosesARaceIsRunAgainUpToThreeTimesAndCountsOnce() throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    UsageRecord once = new UsageRecord(k.id(), 5, T0.plusSeconds(1));
    DisguisedDataSource twice = DisguisedDataSource.losingRaces(dataSource, 2);
    try (JdbcApiKeyStore s = JdbcApiKeyStore.builder().dataSource(twice.dataSource())
        .tablePrefix(prefix).build()) {
      s.recordUsage(List.of(once));
    }
    assertThat(twice.commits).hasValue(3);
    assertThat(store.findById(k.id()).orElseThrow().usageCount()).isEqualTo(5);

    DisguisedDataSource always = DisguisedDataSource.losingRaces(dataSource, 3);
    try (JdbcApiKeyStore s = JdbcApiKeyStore.builder().dataSource(always.dataSource())
        .tablePrefix(prefix).build()) {
      assertThatThrownBy(() -> s.recordUsage(List.of(once)))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessage("key store recordUsage failed: SQLState 40001, error 0,"
              + " SQLTransactionRollbackException");
    }
    assertThat(always.commits).hasValue(3);
    assertThat(store.findById(k.id()).orElseThrow().usageCount()).isEqualTo(5);
  }

  @Test
  void aDriverWithoutQueryTimeoutsFailsEveryCallAndLeavesNoStatementOpen() throws Exception {
    // Keygate promises a bound on every call; a driver that cannot give one is refused at once
    ApiKey k = key(newId(), T0);
    store.create(k);
    DisguisedDataSource unbounded = DisguisedDataSource.withoutQueryTimeouts(dataSource);
    try (JdbcApiKeyStore s = JdbcApiKeyStore.builder().dataSource(unbounded.dataSource())
        .tablePrefix(prefix).build()) {
      assertThatThrownBy(() -> s.findById(k.id()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessage("key store findById failed: SQLState 0A000, error 0,"
              + " SQLFeatureNotSupportedException");
    }
    assertThat(unbounded.prepared).isNotEmpty().allSatisfy(ps -> assertThat(ps.isClosed()).isTrue());
  }

  @Test
  void anErrorNumbered1062IsADuplicateOnlyOnMySql() {
    // 1062 is MySQL's number for a duplicate key; another database's driver may use it for
    // anything, and a failed create must not be reported as an id already taken
    SQLException e = new SQLException("some other failure", "HY000", 1062);
    DataSource failing = DisguisedDataSource.failingUpdates(dataSource, e);
    try (JdbcApiKeyStore s = JdbcApiKeyStore.builder().dataSource(failing).tablePrefix(prefix)
        .build()) {
      ApiKey k = key(newId(), T0);
      assertThatThrownBy(() -> s.create(k))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessage("key store create failed: SQLState HY000, error 1062, SQLException");
    }
  }
}

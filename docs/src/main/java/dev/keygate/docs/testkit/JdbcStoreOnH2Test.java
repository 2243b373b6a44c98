package dev.keygate.docs.testkit;

// tag::testkit-store-test[]
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.ApiKeyStore;
import dev.keygate.testkit.ApiKeyStoreContractTest;
import java.util.UUID;

class JdbcStoreOnH2Test extends ApiKeyStoreContractTest {
  private final HikariDataSource pool = new HikariDataSource();

  @Override
  protected ApiKeyStore newStore() {
    pool.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID()); // a new database for each test
    JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).build();
    store.createSchemaIfMissing();
    return store;
  }

  @Override
  protected void closeStore(ApiKeyStore store) {
    ((JdbcApiKeyStore) store).close();
    pool.close();
  }

  @Override // optional: without it, there is no outage case
  protected ApiKeyStore newUnreachableStore() {
    HikariDataSource closed = new HikariDataSource();
    closed.setJdbcUrl(pool.getJdbcUrl());
    closed.close(); // every connection attempt now fails
    return JdbcApiKeyStore.builder().dataSource(closed).build();
  }
}
// end::testkit-store-test[]

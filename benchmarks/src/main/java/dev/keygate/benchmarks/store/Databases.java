package dev.keygate.benchmarks.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.jdbc.SqlDialect;
import dev.keygate.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two databases of the store benchmarks: an embedded PostgreSQL server (binaries and data under
 * this build's {@code benchmarks/target/store-bench}, a free port) and an H2 database in a file
 * there. Each is new and empty when opened and deleted when closed.
 */
final class Databases {
  private Databases() {}

  /**
   * Where the servers and files go: {@code -Dkeygate.bench.dir}; in a test, {@code store-bench}
   * under the build's {@code keygate.test.dir}; else {@code benchmarks/target/store-bench}.
   */
  static Path baseDir() throws IOException {
    String testDir = System.getProperty("keygate.test.dir");
    String fallback = testDir == null ? "benchmarks/target/store-bench" : testDir + "/store-bench";
    Path dir = Path.of(System.getProperty("keygate.bench.dir", fallback)).toAbsolutePath();
    return Files.createDirectories(dir);
  }

  /** One open database: its pool, its dialect, a line describing it. */
  interface Db extends AutoCloseable {
    String name();

    SqlDialect dialect();

    /** The pool the store and the measurements use (HikariCP, up to 4 connections). */
    HikariDataSource pool();

    /** The JDBC URL of a connection for bulk loading (PostgreSQL: with batched inserts rewritten). */
    String loadUrl();

    String user();

    String password();

    /** Database version and settings that matter, for the report. */
    String describe();

    @Override
    void close() throws Exception;
  }

  /** A PostgreSQL server on a free port, data in a new folder; stopped and deleted on close. */
  static Db postgres() throws IOException {
    Path base = baseDir();
    Path data = Files.createTempDirectory(base, "pg-data-");
    Path logFile = data.resolveSibling(data.getFileName() + ".log");
    Redirect log = Redirect.appendTo(logFile.toFile());
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(base.resolve("pg-bin").toFile())
        .setDataDirectory(data)
        .setCleanDataDirectory(true)
        .setOutputRedirector(log)
        .setErrorRedirector(log);
    // server settings as name=value,name=value (-Dkeygate.bench.pg=shared_buffers=1GB)
    for (String setting : System.getProperty("keygate.bench.pg", "").split(",")) {
      if (!setting.isBlank()) {
        String[] kv = setting.split("=", 2);
        builder.setServerConfig(kv[0].strip(), kv[1].strip());
      }
    }
    EmbeddedPostgres pg = builder.start();
    String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
    HikariDataSource pool = pool(url, "postgres", "postgres", "pg");
    return new Db() {
      @Override public String name() { return "PostgreSQL"; }
      @Override public SqlDialect dialect() { return SqlDialect.POSTGRESQL; }
      @Override public HikariDataSource pool() { return pool; }
      @Override public String loadUrl() { return url + "?reWriteBatchedInserts=true"; }
      @Override public String user() { return "postgres"; }
      @Override public String password() { return "postgres"; }
      @Override public String describe() {
        return Sql.oneLine(pool, "SELECT version() || ', shared_buffers ' || current_setting('shared_buffers')"
            + " || ', synchronous_commit ' || current_setting('synchronous_commit')"
            + " || ', max_wal_size ' || current_setting('max_wal_size')"
            + " || ', wal_compression ' || current_setting('wal_compression')");
      }
      @Override public void close() throws IOException {
        pool.close();
        pg.close();
        Trees.deleteTree(data);
        Files.deleteIfExists(logFile);
      }
    };
  }

  /** An H2 database in a new file (MVStore), embedded in this JVM; the file deleted on close. */
  static Db h2File() throws IOException {
    Path dir = Files.createTempDirectory(baseDir(), "h2-");
    // more settings with -Dkeygate.bench.h2=";CACHE_SIZE=1048576"
    String url = "jdbc:h2:file:" + dir.resolve("keys") + ";DB_CLOSE_ON_EXIT=FALSE"
        + System.getProperty("keygate.bench.h2", "");
    HikariDataSource pool = pool(url, "sa", "", "h2");
    return new Db() {
      @Override public String name() { return "H2 (file)"; }
      @Override public SqlDialect dialect() { return SqlDialect.H2; }
      @Override public HikariDataSource pool() { return pool; }
      @Override public String loadUrl() { return url; }
      @Override public String user() { return "sa"; }
      @Override public String password() { return ""; }
      @Override public String describe() {
        return "H2 " + Sql.oneLine(pool, "SELECT H2VERSION()") + ", cache "
            + Sql.oneLine(pool, "SELECT COALESCE((SELECT SETTING_VALUE || ' KiB' FROM"
                + " INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE'), 'default')")
            + ", file " + dir.resolve("keys.mv.db");
      }
      @Override public void close() throws IOException {
        try (var c = pool.getConnection(); var st = c.createStatement()) {
          st.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
          // already closed
        }
        pool.close();
        Trees.deleteTree(dir);
      }
    };
  }

  static HikariDataSource pool(String url, String user, String password, String name) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setPassword(password);
    c.setPoolName(name);
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(2);
    return new HikariDataSource(c);
  }

}

package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write probe behind {@code /health}, and the pool's recovery from a closed H2 database. */
class StoreHealthTest {
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  @TempDir Path dir;

  private HikariDataSource pool(String url, boolean evictBrokenConnections) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url);
    hikari.setUsername("sa");
    hikari.setPassword("");
    hikari.setMaximumPoolSize(2);
    hikari.setConnectionTimeout(2_000);
    if (evictBrokenConnections) {
      hikari.setExceptionOverride(new EvictBrokenH2Connections());
    }
    return new HikariDataSource(hikari);
  }

  /** H2 answers reads from a database it cannot write; the probe writes, so it is not fooled. */
  @Test
  void aDatabaseThatAnswersReadsButRefusesWritesIsUnavailable() throws Exception {
    try (HikariDataSource writable = pool(EmbeddedH2.url(dir), true)) {
      StoreHealth health = new StoreHealth(writable, Clock.systemUTC(), INTERVAL, System::nanoTime);
      health.createTableIfMissing();
      health.requireWritable();
      assertThat(health.isWritable()).isTrue();
    }
    try (HikariDataSource readOnly = pool(EmbeddedH2.url(dir) + ";ACCESS_MODE_DATA=r", true)) {
      try (Connection c = readOnly.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).as("reads work").isTrue();
      }
      StoreHealth health = new StoreHealth(readOnly, Clock.systemUTC(), INTERVAL, System::nanoTime);
      assertThat(health.isWritable()).isFalse();
      assertThatThrownBy(health::requireWritable).isInstanceOf(SQLException.class)
          .hasMessageContaining("read only");
    }
  }

  @Test
  void oneProbePerIntervalAndTheLastAnswerMeanwhile() throws Exception {
    AtomicLong nanos = new AtomicLong();
    try (HikariDataSource writable = pool(EmbeddedH2.url(dir), true)) {
      StoreHealth health = new StoreHealth(writable, Clock.systemUTC(), INTERVAL, nanos::get);
      health.createTableIfMissing();
      health.requireWritable();
      for (int i = 0; i < 10; i++) {
        assertThat(health.isWritable()).isTrue();
      }
      assertThat(probes(writable)).isEqualTo(1);
      nanos.addAndGet(INTERVAL.toNanos());
      for (int i = 0; i < 10; i++) {
        assertThat(health.isWritable()).isTrue();
      }
      assertThat(probes(writable)).isEqualTo(2);
    }
  }

  /**
   * Once H2 has closed its database (as it does after a write the disk refused; here by {@code
   * SHUTDOWN}), every call on the pool's connections fails; the override makes the pool discard
   * them, so a new connection opens the file again instead of the pool failing until a restart.
   */
  @Test
  void thePoolReplacesTheConnectionsOfAClosedH2Database() throws Exception {
    try (HikariDataSource pool = pool(EmbeddedH2.url(dir), true)) {
      StoreHealth health = new StoreHealth(pool, Clock.systemUTC(), Duration.ZERO, System::nanoTime);
      health.createTableIfMissing();
      health.requireWritable();
      Connection c = pool.getConnection();
      try (Statement s = c.createStatement()) {
        s.execute("SHUTDOWN"); // closes the database under both pooled connections
      }
      try {
        c.close();
      } catch (SQLException alreadyClosed) {
        // giving it back to the pool touches the closed database
      }
      int failures = 0;
      while (!health.isWritable()) {
        failures++;
        assertThat(failures).as("probes failed before the pool opened the database again").isLessThanOrEqualTo(2);
      }
      assertThat(health.isWritable()).isTrue();
    }
  }

  private static long probes(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT probes FROM " + StoreHealth.TABLE + " WHERE id = 1")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

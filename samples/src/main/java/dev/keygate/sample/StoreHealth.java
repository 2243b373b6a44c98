package dev.keygate.sample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store can be written, found out by writing: one single-row {@code UPDATE} (a counter
 * goes up, so there is always something to write) in a
 * transaction of its own. A read proves nothing here: H2 answers {@code SELECT 1} from memory
 * while its file refuses every write. Probes run at most once per {@code maxAge}; between probes
 * the last answer is given, and a request that finds a probe running gets the last answer
 * instead of waiting for it.
 */
final class StoreHealth {
  static final String TABLE = "sample_health";
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);
  private static final int QUERY_TIMEOUT_SECONDS = 2;

  private final DataSource dataSource;
  private final Clock clock;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final ReentrantLock probing = new ReentrantLock();
  private volatile @Nullable Probe last;

  private record Probe(boolean writable, long atNanos) {}

  StoreHealth(DataSource dataSource, Clock clock, Duration maxAge, LongSupplier nanoTime) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  void createTableIfMissing() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, probes BIGINT NOT NULL,"
          + " checked_at TIMESTAMP NOT NULL)");
    }
  }

  /**
   * Writes once, now, for a start that must not declare the store up before it has written.
   *
   * @throws SQLException the database's own failure, whose cause names what the disk said
   */
  void requireWritable() throws SQLException {
    write();
    last = new Probe(true, nanoTime.getAsLong());
  }

  /** The answer of a probe no older than {@code maxAge}, running one if the last is older. */
  boolean isWritable() {
    Probe p = last;
    if (p != null && fresh(p)) {
      return p.writable();
    }
    if (!probing.tryLock()) {
      return p != null && p.writable();
    }
    try {
      p = last;
      if (p != null && fresh(p)) {
        return p.writable();
      }
      boolean writable;
      try {
        write();
        writable = true;
        if (p != null && !p.writable()) {
          LOG.info("the key store takes writes again");
        }
      } catch (SQLException | RuntimeException e) {
        writable = false;
        if (p == null || p.writable()) {
          LOG.warn("the key store cannot be written; /health answers 503 until it can: {}",
              StartFailure.oneLine(e));
        }
      }
      last = new Probe(writable, nanoTime.getAsLong());
      return writable;
    } finally {
      probing.unlock();
    }
  }

  private boolean fresh(Probe p) {
    return nanoTime.getAsLong() - p.atNanos() < maxAgeNanos;
  }

  private void write() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true); // a transaction of its own, committed (and so written) by executeUpdate
      }
      Timestamp now = Timestamp.from(clock.instant());
      try (PreparedStatement up = c.prepareStatement("UPDATE " + TABLE
          + " SET probes = probes + 1, checked_at = ? WHERE id = 1")) {
        up.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        up.setTimestamp(1, now);
        if (up.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement in = c.prepareStatement("INSERT INTO " + TABLE
          + " (id, probes, checked_at) VALUES (1, 1, ?)")) {
        in.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        in.setTimestamp(1, now);
        in.executeUpdate();
      }
    }
  }
}

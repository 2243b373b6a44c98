package dev.keygate.jdbc;

import dev.keygate.KeyChangeListeners;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that {@code LISTEN}s on the store's channel and reports each notified key
 * id; reconnects after a failure. The only class that touches PgJDBC (an optional dependency):
 * {@link ChangeWatcher} loads it only once it has seen the driver on the class path.
 */
final class PgNotificationListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgNotificationListener.class);
  /** How long one wait for notifications lasts: also how fast {@link #close()} is noticed. */
  private static final int WAIT_MILLIS = 250;
  /** A silent connection is checked with a query this often (a dead peer sends nothing). */
  private static final long CHECK_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  private final DataSource dataSource;
  private final String channel;
  private final KeyChangeListeners listeners;
  private final long retryMillis;
  private final int timeoutSeconds;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean listening;

  PgNotificationListener(DataSource dataSource, String channel, KeyChangeListeners listeners,
      Duration retry, Duration callTimeout) {
    this.dataSource = dataSource;
    this.timeoutSeconds = (int) callTimeout.toSeconds();
    this.channel = channel;
    this.listeners = listeners;
    this.retryMillis = Math.max(100, Math.min(retry.toMillis(), 5000));
    this.thread = new Thread(this::run, "keygate-jdbc-listen");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean listening() {
    return listening;
  }

  private void run() {
    boolean failing = false;
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        if (!c.isWrapperFor(PGConnection.class)) {
          LOG.info("the DataSource does not yield PgJDBC connections: key changes reach other"
              + " nodes by polling only");
          return;
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
        try (Statement st = c.createStatement()) {
          st.setQueryTimeout(timeoutSeconds);
          // the channel is the validated table prefix + "key_changes"; quoted to keep its case
          st.execute("LISTEN \"" + channel + "\"");
        }
        listening = true;
        if (failing) {
          failing = false;
          LOG.info("LISTEN connection for {} is back", channel);
        }
        try {
          listen(c, pg);
        } finally {
          listening = false;
          unlisten(c);
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        if (!failing && !closed) {
          failing = true;
          LOG.warn("LISTEN connection for {} failed ({}); polling still runs; reconnecting every"
              + " {} ms", channel, e instanceof SQLException s ? SqlFailures.describe(s)
              : e.getClass().getName(), retryMillis);
        }
        sleep(retryMillis);
      }
    }
  }

  private void listen(Connection c, PGConnection pg) throws SQLException {
    long lastCheck = System.nanoTime();
    while (!closed) {
      PGNotification[] batch = pg.getNotifications(WAIT_MILLIS);
      if (batch != null && batch.length > 0) {
        for (PGNotification n : batch) {
          listeners.fire(n.getParameter());
        }
        lastCheck = System.nanoTime();
      } else if (System.nanoTime() - lastCheck > CHECK_EVERY_NANOS) {
        try (Statement st = c.createStatement()) {
          st.setQueryTimeout(timeoutSeconds);
          st.execute("SELECT 1");
        }
        lastCheck = System.nanoTime();
      }
    }
  }

  /** A pooled connection goes back to the pool, where it must not stay subscribed. */
  private static void unlisten(Connection c) {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(1);
      st.execute("UNLISTEN *");
    } catch (SQLException ignored) {
      // broken connection: the pool discards it
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      // only close() interrupts; the loop sees the flag
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

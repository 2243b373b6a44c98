package dev.keygate.jdbc;

import dev.keygate.KeyChangeListeners;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a store's listeners about changes other nodes made: a daemon thread reads the change table
 * every poll interval, and on PostgreSQL a {@link PgNotificationListener} adds LISTEN/NOTIFY. Each
 * keeps a connection of its own for as long as it runs, so that changes keep arriving while
 * request traffic holds every other connection of the pool; every query has the store's call
 * timeout.
 *
 * <p>Sequence numbers are handed out when a transaction inserts its change row but become visible
 * when it commits, so seq 11 can be read before seq 10. The poller therefore remembers each
 * missing number below the highest seen and keeps looking for it for {@link #GAP_WAIT}; a number
 * that never shows up was a rolled-back transaction or a skipped sequence value.
 */
final class ChangeWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeWatcher.class);
  /** How long a missing sequence number is waited for. */
  static final Duration GAP_WAIT = Duration.ofSeconds(60);
  /** Larger jumps (a sequence cache lost in a restart) are not tracked number by number. */
  private static final int MAX_TRACKED_GAP = 1000;
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(5);
  /** At start, changes this long before the watcher started are reported too (clock skew). */
  private static final Duration START_MARGIN = Duration.ofMinutes(1);

  private final JdbcApiKeyStore store;
  private final KeyChangeListeners listeners;
  private final Duration pollInterval;
  private final Duration retention;
  private final boolean notifications;
  private final Clock clock;
  private final Instant startedAt;
  /** Times gaps and pruning: {@link System#nanoTime()}, not the clock (wall time may jump). */
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService poller;

  // poller thread only
  private long highest = -1;
  private final TreeMap<Long, Long> gaps = new TreeMap<>(); // missing seq -> nanoTime first missed
  private long lastPruneNanos;
  private boolean failing;
  private boolean pgDecided;
  /**
   * The poller's own connection, kept between polls so that request traffic that takes every other
   * connection of the pool cannot stop changes from being seen; replaced after a failure.
   */
  private @Nullable Connection connection; // guarded by connectionLock
  private final Object connectionLock = new Object();
  private volatile @Nullable PgNotificationListener pgListener; // written by poller only
  private volatile boolean closed;

  ChangeWatcher(JdbcApiKeyStore store, KeyChangeListeners listeners, Duration pollInterval,
      Duration retention, boolean notifications, Clock clock) {
    this(store, listeners, pollInterval, retention, notifications, clock, System::nanoTime);
  }

  /** For tests: {@code nanoTime} stands for {@link System#nanoTime()}. */
  ChangeWatcher(JdbcApiKeyStore store, KeyChangeListeners listeners, Duration pollInterval,
      Duration retention, boolean notifications, Clock clock, LongSupplier nanoTime) {
    this.store = store;
    this.listeners = listeners;
    this.pollInterval = pollInterval;
    this.retention = retention;
    this.notifications = notifications;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.nanoTime = nanoTime;
    this.lastPruneNanos = nanoTime.getAsLong() - PRUNE_EVERY.toNanos();
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keygate-jdbc-changes");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts polling at once; the database need not be up. */
  void start() {
    poller.scheduleWithFixedDelay(this::pollQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One poll, never throwing: the scheduler would stop a task that throws. */
  private void pollQuietly() {
    try {
      poll();
      if (failing) {
        failing = false;
        LOG.info("key change poller for tables {}* recovered", store.tablePrefix());
      }
    } catch (SQLException e) {
      dropConnection();
      failed(e);
    } catch (RuntimeException e) {
      dropConnection();
      failed(new SQLException(e.getClass().getName(), e));
    }
  }

  /** The poller's connection, borrowed from the store's data source once and then kept. */
  private Connection connection() throws SQLException {
    synchronized (connectionLock) {
      if (closed) {
        throw new SQLException("key change watcher is closed");
      }
      Connection c = connection;
      if (c == null) {
        c = store.dataSource().getConnection();
        try {
          if (!c.getAutoCommit()) {
            c.setAutoCommit(true); // each poll sees what was committed since the last one
          }
        } catch (SQLException e) {
          c.close();
          throw e;
        }
        connection = c;
      }
      return c;
    }
  }

  /**
   * Gives back the poller's connection (a pool discards a broken one). Called by the poller after
   * a failure and by {@link #close()}, where closing it also ends a poll that is still waiting.
   */
  private void dropConnection() {
    Connection c;
    synchronized (connectionLock) {
      c = connection;
      connection = null;
    }
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
  }

  private void failed(SQLException e) {
    if (closed) {
      return; // close() interrupted a poll in flight
    }
    if (!failing) {
      failing = true;
      LOG.warn("key change poller for tables {}* cannot read the database ({}); other nodes'"
          + " changes are not seen until it answers again; retrying every {} ms",
          store.tablePrefix(), SqlFailures.describe(e), pollInterval.toMillis());
    }
    LOG.debug("key change poll failed", SqlFailures.safeCause(e));
  }

  /** Reads and reports the changes committed since the last poll. */
  synchronized void poll() throws SQLException {
    if (closed) {
      return;
    }
    Statements s = store.statements();
    if (highest < 0) {
      initialize(s);
    }
    startPgListener(s);
    long from = gaps.isEmpty() ? highest : Math.min(highest, gaps.firstKey() - 1);
    Set<String> changed = new LinkedHashSet<>();
    long now = nanoTime.getAsLong();
    try (PreparedStatement ps = store.prepare(connection(), s.changesAfter)) {
      ps.setLong(1, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          String keyId = rs.getString(2);
          if (seq > highest) {
            if (seq - highest - 1 <= MAX_TRACKED_GAP) {
              for (long missing = highest + 1; missing < seq; missing++) {
                gaps.put(missing, now);
              }
            }
            highest = seq;
            changed.add(keyId);
          } else if (gaps.remove(seq) != null) {
            changed.add(keyId);
          }
        }
      }
    }
    for (Iterator<Map.Entry<Long, Long>> it = gaps.entrySet().iterator(); it.hasNext(); ) {
      if (now - it.next().getValue() > GAP_WAIT.toNanos()) {
        it.remove();
      }
    }
    for (String keyId : changed) {
      listeners.fire(keyId);
    }
    if (now - lastPruneNanos >= PRUNE_EVERY.toNanos()) {
      prune(s);
      lastPruneNanos = now;
    }
  }

  /**
   * Sets the cursor to the newest change row, and reports the changes made since shortly before
   * the watcher started: a cache may have filled between the first subscription and this moment
   * (longer when the database was down at start-up).
   */
  private void initialize(Statements s) throws SQLException {
    Connection c = connection();
    long max;
    try (PreparedStatement ps = store.prepare(c, s.maxChangeSeq);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      max = rs.getLong(1);
    }
    Set<String> changed = new LinkedHashSet<>();
    try (PreparedStatement ps = store.prepare(c, s.changesSince)) {
      s.dialect.bindInstant(ps, 1, startedAt.minus(START_MARGIN));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          changed.add(rs.getString(1));
        }
      }
    }
    highest = max;
    changed.forEach(listeners::fire);
  }

  private void prune(Statements s) throws SQLException {
    try (PreparedStatement ps = store.prepare(connection(), s.pruneChanges)) {
      s.dialect.bindInstant(ps, 1, clock.instant().minus(retention));
      int n = ps.executeUpdate(); // auto-commit: see connection()
      LOG.debug("pruned {} key change rows", n);
    }
  }

  private void startPgListener(Statements s) {
    if (pgDecided) {
      return;
    }
    pgDecided = true;
    if (!notifications || s.dialect != SqlDialect.POSTGRESQL) {
      return;
    }
    if (!pgDriverPresent()) {
      LOG.info("PgJDBC is not on the class path: key changes reach other nodes by polling only");
      return;
    }
    PgNotificationListener l = new PgNotificationListener(store.dataSource(), s.channel,
        listeners, pollInterval, store.callTimeout());
    pgListener = l;
    l.start();
  }

  /** Whether PgJDBC is on the class path (checked without loading {@link PgNotificationListener}). */
  private static boolean pgDriverPresent() {
    try {
      Class.forName("org.postgresql.PGConnection", false, ChangeWatcher.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** For tests: whether the poller has read where the change table ends. */
  synchronized boolean positioned() {
    return highest >= 0;
  }

  /** For tests: whether the LISTEN connection is up. */
  boolean listening() {
    PgNotificationListener l = pgListener;
    return l != null && l.listening();
  }

  @Override
  public void close() {
    closed = true;
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropConnection();
    PgNotificationListener l = pgListener;
    if (l != null) {
      l.close();
    }
  }
}

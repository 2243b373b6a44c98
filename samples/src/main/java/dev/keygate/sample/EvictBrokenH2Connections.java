package dev.keygate.sample;

import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Tells HikariCP to discard every connection of an H2 database that failed. After a write the disk
 * refused, H2 closes the database, and every call on its connections says so (90098) from then on;
 * HikariCP discards a connection only for SQLState class 08, and H2's {@code isValid} keeps
 * answering true, so without this the pool hands out dead connections until the process restarts.
 *
 * <p>Discarding only the connection that failed is not enough: H2 keeps the closed database (and
 * hands it to every new connection) for as long as any connection to it is open, and a pool keeps
 * idle connections that nobody touches. So the first fatal error evicts the whole pool (the idle
 * connections at once, those in use when they come back); the next connection opens the file
 * again, and the node recovers by itself once the disk takes writes.
 */
final class EvictBrokenH2Connections implements SQLExceptionOverride {
  /**
   * H2's DATABASE_IS_CLOSED (90098), GENERAL_ERROR (50000: a failed file write surfaces as this),
   * IO_EXCEPTION_2 (90028), IO_EXCEPTION_1 (90031), DATABASE_CALLED_AT_SHUTDOWN (90121) and
   * CONNECTION_BROKEN_1 (90067). Evicting the pool for one that was not fatal costs reconnects.
   */
  static final Set<Integer> FATAL = Set.of(90098, 50000, 90028, 90031, 90121, 90067);

  private volatile @Nullable Supplier<@Nullable HikariPoolMXBean> pool;

  /** The pool whose connections to evict; until it is given, only the failed connection goes. */
  void evictFrom(Supplier<@Nullable HikariPoolMXBean> pool) {
    this.pool = pool;
  }

  @java.lang.Override
  public Override adjudicate(SQLException e) {
    if (!isFatal(e)) {
      return Override.CONTINUE_EVICT;
    }
    Supplier<@Nullable HikariPoolMXBean> p = pool;
    HikariPoolMXBean bean = p == null ? null : p.get();
    if (bean != null) {
      bean.softEvictConnections();
    }
    return Override.MUST_EVICT;
  }

  static boolean isFatal(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s && FATAL.contains(s.getErrorCode())) {
        return true;
      }
    }
    return false;
  }
}

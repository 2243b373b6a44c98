package dev.keygate.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs work in one JDBC transaction on a borrowed connection. */
final class Transactions {
  private static final int MAX_ATTEMPTS = 3;

  private Transactions() {}

  /** Work inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction and commits; rolls back on failure. {@code begin} runs
   * first in the same transaction (session settings that end with it, such as PostgreSQL's {@code
   * SET LOCAL}). A transaction that lost a deadlock or serialization race (SQLState class 40) was
   * rolled back whole and is run again, up to three times.
   */
  static <T> T run(DataSource dataSource, Work<?> begin, Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean auto = c.getAutoCommit();
        if (auto) {
          c.setAutoCommit(false);
        }
        try {
          begin.run(c);
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c, e);
          throw e;
        } finally {
          if (auto) {
            restoreAutoCommit(c);
          }
        }
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !SqlDialect.isRetryable(e)) {
          throw e;
        }
      }
    }
  }

  private static void rollbackQuietly(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(SqlFailures.safeCause(e));
    }
  }

  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it
    }
  }
}

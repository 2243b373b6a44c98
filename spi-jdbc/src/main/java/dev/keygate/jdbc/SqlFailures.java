package dev.keygate.jdbc;

import dev.keygate.StoreUnavailableException;
import java.sql.SQLException;

/**
 * Turns JDBC failures into the SPI's {@link StoreUnavailableException} without letting data out.
 *
 * <p>Some drivers (H2 among them) quote the offending value in data and constraint errors, and a
 * value may be a secret hash. So the message Keygate writes names only the operation, the
 * SQLState and the error code, and a cause of SQLState class 22 (data) or 23 (constraint) is
 * replaced by a copy without its message. Connection errors (class 08 and the rest) keep their
 * cause: their text is about hosts and ports, which is what an operator needs.
 */
final class SqlFailures {
  /** H2's DATABASE_CALLED_AT_SHUTDOWN. */
  private static final String H2_CLOSED_AT_EXIT = "90121";

  private SqlFailures() {}

  /** The exception to throw for a failed {@code operation} ("findById", "update", ...). */
  static StoreUnavailableException unavailable(String operation, SQLException e) {
    return new StoreUnavailableException(
        "key store " + operation + " failed: " + describe(e) + hint(e), safeCause(e));
  }

  /** What an operator can do about a failure whose cause Keygate knows; empty otherwise. */
  private static String hint(SQLException e) {
    if (H2_CLOSED_AT_EXIT.equals(e.getSQLState())) {
      // H2 closes the database from its own shutdown hook, which runs alongside the
      // application's: the engine's last usage flush then finds it closed
      return " (H2 closed the database because the JVM is exiting: add ;DB_CLOSE_ON_EXIT=FALSE to"
          + " its URL and close the engine, the store, then the pool from your shutdown hook)";
    }
    return "";
  }

  /** {@code SQLState 08001, error 0, SQLException}: enough to tell an outage from a bug. */
  static String describe(SQLException e) {
    return "SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + ", "
        + e.getClass().getSimpleName();
  }

  /** The exception itself, or a copy without its message when the message may hold data. */
  static SQLException safeCause(SQLException e) {
    if (e instanceof KeyRows.CorruptRowException) {
      return e;
    }
    String state = e.getSQLState();
    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
      SQLException copy = new SQLException(
          e.getClass().getName() + " (message withheld: it may quote stored values)",
          state, e.getErrorCode());
      copy.setStackTrace(e.getStackTrace());
      return copy;
    }
    return e;
  }
}

package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The messages of store failures: the operation and SQLState, and a way out where one is known. */
class SqlFailuresTest {
  @Test
  void h2ClosedAtExitNamesTheSettingThatPreventsIt() {
    SQLException e = new SQLException("Database is already closed", "90121", 90121);
    assertThat(SqlFailures.unavailable("recordUsage", e).getMessage())
        .startsWith("key store recordUsage failed: SQLState 90121, error 90121, SQLException (H2")
        .contains("add ;DB_CLOSE_ON_EXIT=FALSE to its URL");
  }

  @Test
  void dataAndConstraintErrorsLoseTheirMessageWhichMayQuoteAStoredValue() {
    for (String state : List.of("22001", "23502")) {
      SQLException e = new SQLException("Value too long: '$argon2id$v=19$...'", state, 42);
      SQLException safe = SqlFailures.safeCause(e);
      assertThat(safe.getMessage())
          .isEqualTo("java.sql.SQLException (message withheld: it may quote stored values)");
      assertThat(safe.getSQLState()).isEqualTo(state);
      assertThat(safe.getErrorCode()).isEqualTo(42);
      assertThat(safe.getStackTrace()).isEqualTo(e.getStackTrace());
      assertThat(SqlFailures.unavailable("create", e))
          .hasMessage("key store create failed: SQLState " + state + ", error 42, SQLException")
          .cause().isNotSameAs(e).hasMessageNotContaining("argon2");
    }
    // connection errors keep their text: hosts and ports are what an operator needs
    for (SQLException kept : List.of(new SQLException("Connection to localhost:1 refused", "08001"),
        new SQLException("no state"))) {
      assertThat((Throwable) SqlFailures.safeCause(kept)).isSameAs(kept);
    }
  }

  @Test
  void otherFailuresCarryNoHint() {
    SQLException e = new SQLException("Connection refused", "08001", 0);
    assertThat(SqlFailures.unavailable("findById", e).getMessage())
        .isEqualTo("key store findById failed: SQLState 08001, error 0, SQLException");
  }
}

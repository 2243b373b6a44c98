package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
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
  void otherFailuresCarryNoHint() {
    SQLException e = new SQLException("Connection refused", "08001", 0);
    assertThat(SqlFailures.unavailable("findById", e).getMessage())
        .isEqualTo("key store findById failed: SQLState 08001, error 0, SQLException");
  }
}

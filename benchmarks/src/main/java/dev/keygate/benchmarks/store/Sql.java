package dev.keygate.benchmarks.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Small JDBC helpers for the store benchmarks. */
final class Sql {
  private Sql() {}

  /** The first column of the first row of {@code sql}, as text. */
  static String oneLine(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = untimed(st).executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** The first column of the first row of {@code sql}, as a number (0 for NULL). */
  static long oneLong(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = untimed(st).executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /**
   * {@code st} with no query timeout. H2 keeps a statement's timeout on its session, so a pooled
   * connection the store used (2 s, its call timeout) would carry it into a full-table query here.
   */
  static <T extends Statement> T untimed(T st) throws SQLException {
    st.setQueryTimeout(0);
    return st;
  }

  static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      untimed(st).execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("statement failed: " + sql, e);
    }
  }
}

package dev.keygate.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The databases {@link JdbcApiKeyStore} speaks to. Detected from {@link
 * DatabaseMetaData#getDatabaseProductName()} unless given with {@link
 * JdbcApiKeyStore.Builder#dialect}.
 */
public enum SqlDialect {
  /** PostgreSQL 9.5 or later: {@code timestamptz} columns, change notices by LISTEN/NOTIFY too. */
  POSTGRESQL("postgresql", true),
  /** H2 2.x (any compatibility mode). */
  H2("h2", true),
  /** MySQL 8 and MariaDB 10.3 or later: {@code DATETIME(6)} columns holding UTC. */
  MYSQL("mysql", false);

  private final String folder;
  private final boolean zonedTimestamps;

  SqlDialect(String folder, boolean zonedTimestamps) {
    this.folder = folder;
    this.zonedTimestamps = zonedTimestamps;
  }

  /**
   * The classpath location of this database's schema script, written with the default table
   * prefix {@code keygate_}; a Flyway user can copy it into a migration folder as it is.
   *
   * @return the classpath location of this database's schema script, written with the default table
   *     prefix {@code keygate_}
   */
  public String schemaResource() {
    return "dev/keygate/jdbc/schema/" + folder + "/V1__keygate_schema.sql";
  }

  /**
   * The dialect for a database product name as JDBC reports it.
   *
   * @throws IllegalArgumentException for a database Keygate has no SQL for
   */
  static SqlDialect forProductName(String product) {
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (p.equals("h2")) {
      return H2;
    }
    if (p.contains("mysql") || p.contains("mariadb")) {
      return MYSQL;
    }
    throw new IllegalArgumentException(
        "no SQL dialect for database '" + product + "'; set one with JdbcApiKeyStore.Builder.dialect");
  }

  /**
   * Binds an instant, truncated to microseconds (what every column type here keeps), as UTC.
   * A null is bound as SQL NULL.
   */
  void bindInstant(PreparedStatement ps, int index, @Nullable Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP);
    } else if (zonedTimestamps) {
      ps.setObject(index, OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    } else {
      ps.setObject(index, LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  /** Reads an instant written by {@link #bindInstant}, or null. */
  @Nullable Instant readInstant(ResultSet rs, int column) throws SQLException {
    if (zonedTimestamps) {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }
    LocalDateTime t = rs.getObject(column, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  /** Whether the failure of an INSERT is a primary-key collision. */
  boolean isDuplicateKey(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ("23505".equals(state) || (this == MYSQL && s.getErrorCode() == 1062)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the failure means "the transaction lost a lock race; run it again". */
  static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("40");
  }
}

package dev.keygate.jdbc;

import dev.keygate.ApiKey;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The JDBC store's own SQL and row binding, for the benchmarks of issue 17 (a class of the
 * benchmarks module in the store's package, as {@code dev.keygate.CountingBenchmark} is in the
 * core's): the bulk loader writes rows with exactly the columns and encodings {@link KeyRows}
 * writes, and the EXPLAIN output is of the statements the store runs.
 */
public final class StoreSql {
  private final Statements statements;

  private StoreSql(Statements statements) {
    this.statements = statements;
  }

  /** The SQL of a store on {@code dialect} with tables prefixed {@code prefix}. */
  public static StoreSql of(SqlDialect dialect, String prefix) {
    return new StoreSql(new Statements(dialect, prefix));
  }

  /** The keys table's name. */
  public String keysTable() {
    return statements.keysTable;
  }

  /** The store's INSERT of one key (what {@code create} runs). */
  public String insert() {
    return statements.insert;
  }

  /** Binds every column of {@link #insert()} for {@code key}, as the store does. */
  public void bindInsert(PreparedStatement ps, ApiKey key) throws SQLException {
    statements.rows.bindInsert(ps, key);
  }

  /** Binds an instant as the store does (truncated to microseconds, UTC). */
  public void bindInstant(PreparedStatement ps, int index, java.time.Instant t)
      throws SQLException {
    statements.dialect.bindInstant(ps, index, t);
  }

  /** {@code findById}: one parameter, the id. */
  public String selectById() {
    return statements.selectById;
  }

  /** The first page of an owner's listing (no other filter); parameters: owner, limit. */
  public String listByOwner() {
    return statements.list(true, false, null, false);
  }

  /**
   * A later page of an owner's listing; parameters: owner, the position's created_at (twice) and
   * id, limit.
   */
  public String listByOwnerAfter() {
    return statements.list(true, false, null, true);
  }

  /** An owner's total, bounded; parameters: owner, the bound. */
  public String countByOwner() {
    return statements.count(true, false, null);
  }

  /** PostgreSQL: the usage update of many keys (arrays of ids, counts, instants); else null. */
  public String recordUsageMany() {
    return statements.recordUsageMany;
  }

  /** The usage update, per key: count, last used (twice), id. */
  public String recordUsage() {
    return statements.recordUsage;
  }
}

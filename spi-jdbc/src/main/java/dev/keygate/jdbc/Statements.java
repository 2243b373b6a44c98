package dev.keygate.jdbc;

import dev.keygate.KeyStatus;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of one store: its table names and dialect. Every value travels as a parameter; the only
 * text spliced in is the table prefix, validated as an identifier by the builder.
 */
final class Statements {
  /** Column order shared by INSERT, SELECT and {@link KeyRows}. */
  static final String COLUMNS =
      "id, name, hint, secret_hash, previous_secret_hash, previous_secret_expires_at, scopes,"
          + " environment, owner, created_at, expires_at, revoked_at, rotated_at, last_used_at,"
          + " usage_count, allowed_ips, rate_limit_requests, rate_limit_period, metadata, version";

  final SqlDialect dialect;
  final KeyRows rows;
  final String keysTable;
  final String changesTable;
  /** The LISTEN/NOTIFY channel (PostgreSQL), case kept as is. */
  final String channel;

  final String insert;
  final String selectById;
  final String update;
  final String delete;
  final String recordUsage;
  /**
   * PostgreSQL: the usage of many keys in one statement (parameters: ids, counts, last-used
   * instants as arrays, ids in ascending order, each once); null elsewhere.
   */
  final @Nullable String recordUsageMany;
  final String insertChange;
  final String notify;
  /** PostgreSQL: lock and statement timeouts for the current transaction only. */
  final String transactionTimeouts;
  final String maxChangeSeq;
  final String changesAfter;
  final String changesSince;
  final String pruneChanges;

  Statements(SqlDialect dialect, String prefix) {
    this.dialect = dialect;
    this.rows = new KeyRows(dialect);
    this.keysTable = prefix + "api_keys";
    this.changesTable = prefix + "key_changes";
    this.channel = prefix + "key_changes";
    insert = "INSERT INTO " + keysTable + " (" + COLUMNS + ") VALUES"
        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    selectById = "SELECT " + COLUMNS + " FROM " + keysTable + " WHERE id = ?";
    // usage_count and last_used_at belong to recordUsage; a stored revoked_at is never cleared
    update = "UPDATE " + keysTable + " SET name = ?, hint = ?, secret_hash = ?,"
        + " previous_secret_hash = ?, previous_secret_expires_at = ?, scopes = ?, environment = ?,"
        + " owner = ?, created_at = ?, expires_at = ?, revoked_at = COALESCE(revoked_at, ?),"
        + " rotated_at = ?, allowed_ips = ?, rate_limit_requests = ?, rate_limit_period = ?,"
        + " metadata = ?, version = version + 1 WHERE id = ? AND version = ?";
    delete = "DELETE FROM " + keysTable + " WHERE id = ?";
    // an increment in place: concurrent flushes from several nodes serialize on the row lock and
    // each adds its own count; CASE rather than GREATEST, which MySQL makes NULL when one side is
    recordUsage = "UPDATE " + keysTable + " SET usage_count = usage_count + ?,"
        + " last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ? THEN ?"
        + " ELSE last_used_at END WHERE id = ?";
    // the same increment for many keys at once: the sub-select locks the rows in id order (a
    // LockRows above the Sort, whatever the join plan), so two nodes flushing at once cannot
    // deadlock; the outer join then updates rows this transaction already holds
    recordUsageMany = dialect != SqlDialect.POSTGRESQL ? null
        : "UPDATE " + keysTable + " AS k SET usage_count = k.usage_count + u.n,"
            + " last_used_at = CASE WHEN k.last_used_at IS NULL OR k.last_used_at < u.at"
            + " THEN u.at ELSE k.last_used_at END"
            + " FROM (SELECT t.id, v.n, v.at FROM " + keysTable + " AS t"
            + " JOIN unnest(?::text[], ?::bigint[], ?::timestamptz[]) AS v(id, n, at)"
            + " ON t.id = v.id ORDER BY t.id FOR NO KEY UPDATE OF t) AS u WHERE k.id = u.id";
    insertChange = "INSERT INTO " + changesTable + " (key_id, changed_at) VALUES (?, ?)";
    notify = "SELECT pg_notify(?, ?)";
    transactionTimeouts =
        "SELECT set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)";
    maxChangeSeq = "SELECT MAX(seq) FROM " + changesTable;
    changesAfter = "SELECT seq, key_id FROM " + changesTable + " WHERE seq > ? ORDER BY seq";
    changesSince = "SELECT key_id FROM " + changesTable + " WHERE changed_at >= ? ORDER BY seq";
    pruneChanges = "DELETE FROM " + changesTable + " WHERE changed_at < ?";
  }

  /**
   * The listing query for the given filters, one page after a position (keyset paging, no OFFSET:
   * the {@code (owner, created_at, id)} and {@code (created_at, id)} indexes find the start, so a
   * late page costs what the first does). Parameters in order: owner (if filtered), environment
   * (if filtered), the status instant (for ACTIVE and EXPIRED), then, after a position, its
   * created_at, its created_at again and its id, and last the limit.
   *
   * <p>The position test is {@code created_at >= ? AND (created_at > ? OR id > ?)}: the same
   * keys as the row comparison {@code (created_at, id) > (?, ?)}, which MySQL does not use an
   * index range for, and unlike {@code created_at > ? OR (created_at = ? AND id > ?)}, which
   * PostgreSQL answers with a bitmap of every later key and a sort. With {@code created_at >= ?}
   * as the index range, every database reads the index in order from the cursor's instant and stops
   * after a page (KeysetPagingPlanTest measures it).
   */
  String list(boolean byOwner, boolean byEnvironment, @Nullable KeyStatus status, boolean afterPosition) {
    StringBuilder sql = new StringBuilder(COLUMNS.length() + 200)
        .append("SELECT ").append(COLUMNS).append(" FROM ").append(keysTable);
    filters(sql, byOwner, byEnvironment, status);
    if (afterPosition) {
      // after (c, i): created_at > c, or created_at = c and id > i. The first test alone bounds
      // the index range, so that the scan starts at the cursor; the second only drops the keys
      // of the cursor's instant up to its id
      sql.append(" AND created_at >= ? AND (created_at > ? OR id > ?)");
    }
    // H2 sorts one owner's keys for every page unless the ORDER BY names the whole (owner,
    // created_at, id) index (the same order, the owner being fixed); MariaDB, given that ORDER BY,
    // reads every key of the owner instead, and PostgreSQL needs neither (KeysetPagingPlanTest)
    boolean wholeIndex = byOwner && dialect == SqlDialect.H2;
    return sql.append(wholeIndex ? " ORDER BY owner, created_at, id LIMIT ?" : " ORDER BY created_at, id LIMIT ?").toString();
  }

  /**
   * The count of keys matching the filters, up to a bound: parameters as {@link #list}'s filters,
   * then the bound. The sub-select's {@code LIMIT} stops the index scan at the bound.
   */
  String count(boolean byOwner, boolean byEnvironment, @Nullable KeyStatus status) {
    StringBuilder sql = new StringBuilder(200).append("SELECT COUNT(*) FROM (SELECT 1 AS one FROM ").append(keysTable);
    filters(sql, byOwner, byEnvironment, status);
    return sql.append(" LIMIT ?) counted").toString();
  }

  /** The listing's filters, in parameter order: owner, environment, the status instant. */
  private static void filters(StringBuilder sql, boolean byOwner, boolean byEnvironment, @Nullable KeyStatus status) {
    sql.append(" WHERE 1 = 1");
    if (byOwner) {
      sql.append(" AND owner = ?");
    }
    if (byEnvironment) {
      sql.append(" AND environment = ?");
    }
    if (status != null) {
      // the same rule as ApiKey.statusAt: revoked wins; an expiry equal to the instant is expired
      sql.append(switch (status) {
        case ACTIVE -> " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";
        case REVOKED -> " AND revoked_at IS NOT NULL";
        case EXPIRED -> " AND revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?";
      });
    }
  }
}

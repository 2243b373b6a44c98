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
   * The listing query for the given filters; parameters in order: owner (if filtered), environment
   * (if filtered), the status instant (for ACTIVE and EXPIRED), limit, offset.
   */
  String list(boolean byOwner, boolean byEnvironment, @Nullable KeyStatus status) {
    StringBuilder sql = new StringBuilder(COLUMNS.length() + 200)
        .append("SELECT ").append(COLUMNS).append(" FROM ").append(keysTable).append(" WHERE 1 = 1");
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
    return sql.append(" ORDER BY created_at, id LIMIT ? OFFSET ?").toString();
  }
}

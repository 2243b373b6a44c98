package dev.keygate.jdbc;

import dev.keygate.ApiKey;
import dev.keygate.RateLimit;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import org.jspecify.annotations.Nullable;

/** Moves {@link ApiKey} records in and out of rows, in the order of {@link Statements#COLUMNS}. */
final class KeyRows {
  private final SqlDialect dialect;

  KeyRows(SqlDialect dialect) {
    this.dialect = dialect;
  }

  /** Binds all twenty columns for {@link Statements#insert}. */
  void bindInsert(PreparedStatement ps, ApiKey k) throws SQLException {
    ps.setString(1, k.id());
    ps.setString(2, k.name());
    ps.setString(3, k.hint());
    ps.setString(4, k.secretHash());
    ps.setString(5, k.previousSecretHash());
    dialect.bindInstant(ps, 6, k.previousSecretExpiresAt());
    ps.setString(7, TextCodec.encodeList(k.scopes()));
    ps.setString(8, k.environment());
    ps.setString(9, k.owner());
    dialect.bindInstant(ps, 10, k.createdAt());
    dialect.bindInstant(ps, 11, k.expiresAt());
    dialect.bindInstant(ps, 12, k.revokedAt());
    dialect.bindInstant(ps, 13, k.rotatedAt());
    dialect.bindInstant(ps, 14, k.lastUsedAt());
    ps.setLong(15, k.usageCount());
    ps.setString(16, TextCodec.encodeList(k.allowedIps()));
    bindRateLimit(ps, 17, k.rateLimit());
    ps.setString(19, TextCodec.encodeMap(k.metadata()));
    ps.setLong(20, k.version());
  }

  /** Binds {@link Statements#update}: every column but id, usage and version, then id, version. */
  void bindUpdate(PreparedStatement ps, ApiKey k) throws SQLException {
    ps.setString(1, k.name());
    ps.setString(2, k.hint());
    ps.setString(3, k.secretHash());
    ps.setString(4, k.previousSecretHash());
    dialect.bindInstant(ps, 5, k.previousSecretExpiresAt());
    ps.setString(6, TextCodec.encodeList(k.scopes()));
    ps.setString(7, k.environment());
    ps.setString(8, k.owner());
    dialect.bindInstant(ps, 9, k.createdAt());
    dialect.bindInstant(ps, 10, k.expiresAt());
    dialect.bindInstant(ps, 11, k.revokedAt());
    dialect.bindInstant(ps, 12, k.rotatedAt());
    ps.setString(13, TextCodec.encodeList(k.allowedIps()));
    bindRateLimit(ps, 14, k.rateLimit());
    ps.setString(16, TextCodec.encodeMap(k.metadata()));
    ps.setString(17, k.id());
    ps.setLong(18, k.version());
  }

  private static void bindRateLimit(PreparedStatement ps, int index, @Nullable RateLimit limit)
      throws SQLException {
    if (limit == null) {
      ps.setNull(index, Types.INTEGER);
      ps.setNull(index + 1, Types.VARCHAR);
    } else {
      ps.setInt(index, limit.requests());
      // ISO-8601 (PT1M) keeps a Duration exactly and reads well in a SQL console
      ps.setString(index + 1, limit.period().toString());
    }
  }

  /**
   * Reads the current row.
   *
   * @throws CorruptRowException if a column holds what Keygate never writes
   */
  ApiKey read(ResultSet rs) throws SQLException {
    String id = rs.getString(1);
    try {
      int requests = rs.getInt(17);
      boolean noRequests = rs.wasNull();
      String period = rs.getString(18);
      RateLimit limit = null;
      if (!noRequests || period != null) {
        // half a rate limit is not "no limit": read as one, the key would lose the limit it has
        if (noRequests || period == null) {
          throw new CorruptRowException(id,
              "rate_limit_requests and rate_limit_period are set together or not at all");
        }
        limit = new RateLimit(requests, Duration.parse(period));
      }
      return ApiKey.builder()
          .id(id)
          .name(rs.getString(2))
          .hint(rs.getString(3))
          .secretHash(rs.getString(4))
          .previousSecretHash(rs.getString(5))
          .previousSecretExpiresAt(dialect.readInstant(rs, 6))
          .scopes(new LinkedHashSet<>(TextCodec.decodeList(rs.getString(7))))
          .environment(rs.getString(8))
          .owner(rs.getString(9))
          .createdAt(required(dialect.readInstant(rs, 10)))
          .expiresAt(dialect.readInstant(rs, 11))
          .revokedAt(dialect.readInstant(rs, 12))
          .rotatedAt(dialect.readInstant(rs, 13))
          .lastUsedAt(dialect.readInstant(rs, 14))
          .usageCount(rs.getLong(15))
          .allowedIps(TextCodec.decodeList(rs.getString(16)))
          .rateLimit(limit)
          .metadata(TextCodec.decodeMap(rs.getString(19)))
          .version(rs.getLong(20))
          .build();
    } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
      // these messages come from Keygate's own checks and name a field, never a hash
      throw new CorruptRowException(id, e.getMessage());
    }
  }

  private static Instant required(@Nullable Instant t) {
    if (t == null) {
      throw new NullPointerException("created_at");
    }
    return t;
  }

  /** A stored row Keygate cannot read back (edited by hand, or written by something else). */
  static final class CorruptRowException extends SQLException {
    CorruptRowException(String keyId, @Nullable String problem) {
      super("stored record of key " + keyId + " is malformed (" + problem + ")");
    }
  }
}

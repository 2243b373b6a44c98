package dev.keygate.benchmarks.store;

import dev.keygate.benchmarks.Fixture;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.jdbc.StoreSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The plans of the statements the store runs, with the store's own SQL text and parameters bound
 * as the store binds them: PostgreSQL {@code EXPLAIN (ANALYZE, BUFFERS)}, H2 {@code EXPLAIN
 * ANALYZE} for the queries ({@code EXPLAIN} for the update). The update runs in a transaction
 * that is rolled back.
 */
final class Plans {
  private Plans() {}

  static String explain(Databases.Db db, MillionKeys.Loaded loaded, int deepOwnerKeys) {
    StoreSql sql = StoreSql.of(db.dialect(), JdbcApiKeyStore.DEFAULT_TABLE_PREFIX);
    boolean pg = StoreAtScale.isPostgres(db);
    String query = pg ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ";
    String id = Fixture.FORMAT.parse(loaded.samplePlaintexts()[0]).id();
    int lastOffset = (deepOwnerKeys - 1) / StoreAtScale.PAGE * StoreAtScale.PAGE;
    StringBuilder out = new StringBuilder();
    try (Connection c = db.pool().getConnection()) {
      out.append("### ").append(db.name()).append(": findById\n").append(sql.selectById())
          .append('\n');
      try (PreparedStatement ps = Sql.untimed(c.prepareStatement(query + sql.selectById()))) {
        ps.setString(1, id);
        out.append(plan(ps));
      }
      out.append("### ").append(db.name()).append(": list by owner, first page\n")
          .append(sql.listByOwner()).append('\n');
      try (PreparedStatement ps = Sql.untimed(c.prepareStatement(query + sql.listByOwner()))) {
        ps.setString(1, MillionKeys.DEEP_OWNER);
        ps.setInt(2, StoreAtScale.PAGE + 1);
        out.append(plan(ps));
      }
      // the position a walk reaches before the owner's last page: the key just before it
      Instant createdAt;
      String positionId;
      try (PreparedStatement ps = Sql.untimed(c.prepareStatement("SELECT created_at, id FROM "
          + sql.keysTable() + " WHERE owner = ? ORDER BY created_at, id LIMIT 1 OFFSET ?"))) {
        ps.setString(1, MillionKeys.DEEP_OWNER);
        ps.setInt(2, lastOffset - 1);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          createdAt = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
          positionId = rs.getString(2);
        }
      }
      out.append("### ").append(db.name()).append(": list by owner, the last page (after its position)\n")
          .append(sql.listByOwnerAfter()).append('\n');
      try (PreparedStatement ps = Sql.untimed(c.prepareStatement(query + sql.listByOwnerAfter()))) {
        ps.setString(1, MillionKeys.DEEP_OWNER);
        sql.bindInstant(ps, 2, createdAt);
        sql.bindInstant(ps, 3, createdAt);
        ps.setString(4, positionId);
        ps.setInt(5, StoreAtScale.PAGE + 1);
        out.append(plan(ps));
      }
      out.append("### ").append(db.name()).append(": the owner's total (bounded count)\n")
          .append(sql.countByOwner()).append('\n');
      try (PreparedStatement ps = Sql.untimed(c.prepareStatement(query + sql.countByOwner()))) {
        ps.setString(1, MillionKeys.DEEP_OWNER);
        ps.setLong(2, 10_000);
        out.append(plan(ps));
      }
      out.append("### ").append(db.name()).append(": usage update (one key)\n")
          .append(sql.recordUsage()).append('\n');
      c.setAutoCommit(false);
      try (PreparedStatement ps = Sql.untimed(c.prepareStatement((pg ? query : "EXPLAIN ")
          + sql.recordUsage()))) {
        Instant now = Instant.now();
        ps.setLong(1, 1);
        sql.bindInstant(ps, 2, now);
        sql.bindInstant(ps, 3, now);
        ps.setString(4, id);
        out.append(plan(ps));
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
      if (sql.recordUsageMany() != null) {
        // a chunk as the store sends it: 1,000 keys in id order, not used since the load
        String[] ids = java.util.Arrays.copyOfRange(loaded.ids(), deepOwnerKeys,
            deepOwnerKeys + 1000);
        java.util.Arrays.sort(ids);
        Long[] counts = new Long[ids.length];
        String[] times = new String[ids.length];
        java.util.Arrays.fill(counts, 1L);
        java.util.Arrays.fill(times, Instant.now().toString());
        out.append("### ").append(db.name()).append(": usage update, 1,000 keys in one statement\n")
            .append(sql.recordUsageMany()).append('\n');
        c.setAutoCommit(false);
        try (PreparedStatement ps = Sql.untimed(c.prepareStatement(
            "EXPLAIN (ANALYZE, BUFFERS, WAL) " + sql.recordUsageMany()))) {
          ps.setArray(1, c.createArrayOf("text", ids));
          ps.setArray(2, c.createArrayOf("bigint", counts));
          ps.setArray(3, c.createArrayOf("text", times));
          out.append(plan(ps));
        } finally {
          c.rollback();
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("EXPLAIN failed on " + db.name(), e);
    }
    return out.toString();
  }

  private static String plan(PreparedStatement ps) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.append("    ").append(rs.getString(1).replace("\n", "\n    ")).append('\n');
      }
    }
    return out.toString();
  }
}

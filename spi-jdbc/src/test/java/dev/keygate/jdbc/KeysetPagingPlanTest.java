package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKey;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.PageCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A late page costs what the first does: on PostgreSQL, MariaDB and H2, with 40,000 keys (20,000 of
 * one owner), the listing query reads about a page of index entries wherever the cursor is (the
 * second page, the middle, the end), for one owner and for every key, with no sort. Measured by the databases themselves (PostgreSQL's plan with its
 * actual row counts, MariaDB's handler counters, H2's scan count), so no clock is involved.
 */
class KeysetPagingPlanTest {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int KEYS = 40_000;
  private static final int LIMIT = 50;
  /** Index entries a page may read beyond its limit + 1 (the engines' own look-ahead). */
  private static final int SLACK = 5;
  /**
   * Rows a page of one owner may read: the owner holds every second key, and a planner may walk
   * the {@code (created_at, id)} index filtering the owner rather than the owner's index, reading
   * two rows a key. Still a bound that does not grow with the position: an OFFSET late in the
   * listing reads 20,000.
   */
  private static final int OWNER_BOUND = 2 * (LIMIT + 1) + SLACK;

  @Test
  void onPostgresqlALatePageScansOnlyItsOwnRowsOfTheIndex() throws Exception {
    try (HikariDataSource pool = Databases.pool(Databases.postgresUrl(SharedServers.postgresPort()),
        "postgres", "postgres", "keyset-plan-pg")) {
      String prefix = "kpp" + PREFIXES.incrementAndGet() + "_";
      JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).tablePrefix(prefix).build();
      try (store) {
        store.createSchemaIfMissing();
        run(pool, "INSERT INTO " + prefix + "api_keys (id, name, hint, secret_hash, scopes, owner, created_at,"
            + " allowed_ips, metadata, version) SELECT 'k' || lpad(g::text, 11, '0'), 'n', 'h', '$x$', '[]',"
            + " CASE WHEN g % 2 = 0 THEN 'big' ELSE 'other' END,"
            + " timestamptz '2026-01-01 00:00:00+00' + (g / 2) * interval '1 second', '[]', '{}', 0"
            + " FROM generate_series(1, " + KEYS + ") g");
        run(pool, "ANALYZE " + prefix + "api_keys");
        Statements s = new Statements(SqlDialect.POSTGRESQL, prefix);
        for (String owner : new String[] {"big", null}) {
          for (PageCursor at : positions(store, owner)) {
            String plan = explain(pool, s, owner, at);
            // a sort may come last, of the rows read: near the end PostgreSQL sorts the few it knows remain
            assertThat(plan).as(plan).contains("Index").doesNotContain("Seq Scan");
            assertThat(scannedRows(plan)).as(plan).isLessThanOrEqualTo(owner == null ? LIMIT + 1 + SLACK : OWNER_BOUND);
            assertThat(ids(store.list(query(owner, at)))).hasSize(LIMIT);
          }
        }
      }
    }
  }

  @Test
  void onMariaDbALatePageReadsOnlyItsOwnRowsOfTheIndex() throws Exception {
    try (HikariDataSource pool = Databases.pool(SharedServers.mariaDbUrl(SharedServers.mariaDbPort(), "keygate"),
        "root", "", "keyset-plan-maria")) {
      String prefix = "kpm" + PREFIXES.incrementAndGet() + "_";
      JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).tablePrefix(prefix).build();
      try (store) {
        store.createSchemaIfMissing();
        run(pool, "INSERT INTO " + prefix + "api_keys (id, name, hint, secret_hash, scopes, owner, created_at,"
            + " allowed_ips, metadata, version) SELECT CONCAT('k', LPAD(seq, 11, '0')), 'n', 'h', '$x$', '[]',"
            + " IF(seq % 2 = 0, 'big', 'other'), TIMESTAMPADD(SECOND, seq DIV 2, '2026-01-01 00:00:00'),"
            + " '[]', '{}', 0 FROM seq_1_to_" + KEYS);
        run(pool, "ANALYZE TABLE " + prefix + "api_keys");
        Statements s = new Statements(SqlDialect.MYSQL, prefix);
        for (String owner : new String[] {"big", null}) {
          for (PageCursor at : positions(store, owner)) {
            long read = handlerReads(pool, s, owner, at);
            assertThat(read).as("index entries read after %s", at)
                .isLessThanOrEqualTo(owner == null ? LIMIT + 1 + SLACK : OWNER_BOUND);
            assertThat(ids(store.list(query(owner, at)))).hasSize(LIMIT);
          }
        }
      }
    }
  }

  @Test
  void onH2ALatePageReadsOnlyItsOwnRowsOfTheIndexAndSortsNothing() throws Exception {
    try (HikariDataSource pool = Databases.pool("jdbc:h2:mem:keyset-plan-" + PREFIXES.incrementAndGet()
        + ";DB_CLOSE_DELAY=-1", "sa", "", "keyset-plan-h2")) {
      String prefix = "kph" + PREFIXES.incrementAndGet() + "_";
      JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).tablePrefix(prefix).build();
      try (store) {
        store.createSchemaIfMissing();
        run(pool, "INSERT INTO " + prefix + "api_keys (id, name, hint, secret_hash, scopes, owner, created_at,"
            + " allowed_ips, metadata, version) SELECT 'k' || LPAD(CAST(x AS VARCHAR), 11, '0'), 'n', 'h', '$x$', '[]',"
            + " CASE WHEN MOD(x, 2) = 0 THEN 'big' ELSE 'other' END,"
            + " TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' + (x / 2) * INTERVAL '1' SECOND, '[]', '{}', 0"
            + " FROM SYSTEM_RANGE(1, " + KEYS + ")");
        run(pool, "ANALYZE TABLE " + prefix + "api_keys");
        Statements s = new Statements(SqlDialect.H2, prefix);
        for (String owner : new String[] {"big", null}) {
          for (PageCursor at : positions(store, owner)) {
            String plan = h2Plan(pool, s, owner, at);
            assertThat(plan).as(plan).contains("index sorted");
            Matcher scanned = Pattern.compile("scanCount: (\\d+)").matcher(plan);
            assertThat(scanned.find()).as(plan).isTrue();
            assertThat(Integer.parseInt(scanned.group(1))).as(plan)
                .isLessThanOrEqualTo(owner == null ? LIMIT + 1 + SLACK : OWNER_BOUND);
            assertThat(ids(store.list(query(owner, at)))).hasSize(LIMIT);
          }
        }
      }
    }
  }

  private static String h2Plan(HikariDataSource pool, Statements s, @Nullable String owner, PageCursor after)
      throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + s.list(owner != null, false, null, true))) {
      bind(ps, s, owner, after);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static KeyQuery query(@Nullable String owner, PageCursor after) {
    return KeyQuery.all(T0).withOwner(owner).withAfter(after).withLimit(LIMIT);
  }

  /** Where the second page starts, one in the middle, and where the last but one starts. */
  private static List<PageCursor> positions(JdbcApiKeyStore store, @Nullable String owner) {
    int keys = owner == null ? KEYS : KEYS / 2;
    return List.of(cursorNear(store, owner, LIMIT - 1), cursorNear(store, owner, keys / 2),
        cursorNear(store, owner, keys - LIMIT - 3));
  }

  /** The position of the key {@code index} keys into the listing, read through the store. */
  private static PageCursor cursorNear(JdbcApiKeyStore store, @Nullable String owner, int index) {
    PageCursor at = null;
    int seen = 0;
    while (true) {
      Page<ApiKey> p = store.list(KeyQuery.all(T0).withOwner(owner).withAfter(at).withLimit(KeyQuery.MAX_LIMIT));
      if (seen + p.items().size() > index) {
        return PageCursor.of(p.items().get(index - seen));
      }
      seen += p.items().size();
      at = p.nextCursor();
    }
  }

  private static String explain(HikariDataSource pool, Statements s, @Nullable String owner, PageCursor after)
      throws SQLException {
    String sql = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "
        + s.list(owner != null, false, null, true);
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, s, owner, after);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }

  /** The rows the index scan node produced plus those its filter removed. */
  private static int scannedRows(String plan) {
    int rows = 0;
    Matcher scan = Pattern.compile("Index (?:Only )?Scan[^\n]*actual rows=(\\d+)").matcher(plan);
    while (scan.find()) {
      rows += Integer.parseInt(scan.group(1));
    }
    Matcher removed = Pattern.compile("Rows Removed by Filter: (\\d+)").matcher(plan);
    while (removed.find()) {
      rows += Integer.parseInt(removed.group(1));
    }
    return rows;
  }

  /** MariaDB's count of rows its handlers read for the listing query, beyond what SHOW STATUS reads. */
  private static long handlerReads(HikariDataSource pool, Statements s, @Nullable String owner, PageCursor after)
      throws SQLException {
    try (Connection c = pool.getConnection()) {
      long overhead = countersAfter(c, () -> {});
      long total = countersAfter(c, () -> {
        try (PreparedStatement ps = c.prepareStatement(s.list(owner != null, false, null, true))) {
          bind(ps, s, owner, after);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              // read every row, as the store does
            }
          }
        }
      });
      return total - overhead;
    }
  }

  /** Work that runs SQL on the connection being measured. */
  @FunctionalInterface
  private interface Work {
    void run() throws SQLException;
  }

  /** The session's Handler_read counters summed, after they are reset and the work runs. */
  private static long countersAfter(Connection c, Work work) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("FLUSH STATUS");
    }
    work.run();
    long read = 0;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
      while (rs.next()) {
        read += rs.getLong(2);
      }
    }
    return read;
  }

  /** The store's order of parameters (Statements.list). */
  private static void bind(PreparedStatement ps, Statements s, @Nullable String owner, PageCursor after)
      throws SQLException {
    int i = 1;
    if (owner != null) {
      ps.setString(i++, owner);
    }
    s.dialect.bindInstant(ps, i++, after.createdAt());
    s.dialect.bindInstant(ps, i++, after.createdAt());
    ps.setString(i++, after.id());
    ps.setInt(i, LIMIT + 1);
  }

  private static void run(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static List<String> ids(Page<ApiKey> page) {
    List<String> ids = new ArrayList<>();
    page.items().forEach(k -> ids.add(k.id()));
    return ids;
  }
}

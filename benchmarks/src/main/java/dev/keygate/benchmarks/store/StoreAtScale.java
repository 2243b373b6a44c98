package dev.keygate.benchmarks.store;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.KeyQuery;
import dev.keygate.Keygate;
import dev.keygate.Page;
import dev.keygate.PageCursor;
import dev.keygate.UsageRecord;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.jdbc.SqlDialect;
import dev.keygate.jdbc.StoreSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The JDBC store at a million keys (issue 17), on PostgreSQL and on H2 in a file: loads the keys
 * of {@link MillionKeys}, then measures
 *
 * <ol>
 *   <li>uncached verification: {@code engine.authenticate} with a key it has never seen, each
 *       request another key (so every one reads the store and runs HMAC-SHA-256), and {@code
 *       store.findById} alone, p50/p99 after a warm-up;
 *   <li>listing the 10,000-key owner by page (50 a page): first, middle and last page;
 *   <li>a usage flush of 100,000 distinct keys ({@code store.recordUsage}, one call), checking
 *       that every count landed;
 *   <li>the plans of those statements ({@code EXPLAIN (ANALYZE, BUFFERS)}, H2 {@code EXPLAIN}).
 * </ol>
 *
 * <pre>{@code
 * java -Xmx4g -cp benchmarks/target/keygate-benchmarks.jar dev.keygate.benchmarks.store.StoreAtScale
 * java -Xmx4g -cp ... dev.keygate.benchmarks.store.StoreAtScale db=postgres keys=100000
 * }</pre>
 *
 * Settings ({@code name=value}): {@code db} ({@code postgres,h2}), {@code keys} (1000000), {@code
 * warmup} (10000 requests), {@code requests} (20000), {@code pages} (1000 reads of each page),
 * {@code flush} (100000 records), {@code rounds} (3 flushes), {@code flushkeys} ({@code fresh}:
 * other keys each round; {@code same}: the same keys every round). PostgreSQL server settings:
 * {@code -Dkeygate.bench.pg=shared_buffers=1GB,wal_compression=on}; H2 URL settings: {@code
 * -Dkeygate.bench.h2=;CACHE_SIZE=1048576}.
 */
public final class StoreAtScale {
  /** The page size of the listing: the API's default. */
  static final int PAGE = KeyQuery.DEFAULT_LIMIT;

  private StoreAtScale() {}

  /** One measured line of the table. */
  record Row(String db, String what, int n, double p50Ms, double p99Ms, double maxMs, String note) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>(Map.of("db", "postgres,h2", "keys", "1000000",
        "warmup", "10000", "requests", "20000", "pages", "1000", "flush", "100000", "rounds", "3", "flushkeys", "fresh"));
    for (String a : args) {
      String[] kv = a.split("=", 2);
      if (kv.length != 2 || !o.containsKey(kv[0])) {
        throw new IllegalArgumentException("unknown setting " + a + "; settings: " + o.keySet());
      }
      o.put(kv[0], kv[1]);
    }
    int keys = Integer.parseInt(o.get("keys"));
    int warmup = Integer.parseInt(o.get("warmup"));
    int requests = Integer.parseInt(o.get("requests"));
    MillionKeys.Spec m = MillionKeys.Spec.million();
    MillionKeys.Spec spec = new MillionKeys.Spec(keys, Math.min(m.owners(), keys / 10),
        Math.min(m.deepOwnerKeys(), keys / 10), warmup + 2 * requests, m.seed());
    List<Row> rows = new ArrayList<>();
    StringBuilder plans = new StringBuilder();
    for (String which : o.get("db").split(",")) {
      int before = rows.size();
      try (Databases.Db db = which.equals("h2") ? Databases.h2File() : Databases.postgres();
          JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(db.pool()).build()) {
        System.out.println("== " + db.describe());
        MillionKeys.Loaded loaded = MillionKeys.load(db, store, spec);
        System.out.printf("loaded %,d keys in %.1f s (%,.0f rows/s), indexes and ANALYZE %.1f s%n",
            keys, loaded.insert().toMillis() / 1000.0, keys / (loaded.insert().toNanos() / 1e9),
            loaded.indexes().toMillis() / 1000.0);
        rows.add(new Row(db.name(), "load (insert, then indexes + ANALYZE)", keys,
            loaded.insert().toMillis() / 1000.0, loaded.indexes().toMillis() / 1000.0, Double.NaN,
            "seconds, not ms"));
        verification(db, store, loaded, warmup, requests, rows);
        listing(db, store, Integer.parseInt(o.get("pages")), spec.deepOwnerKeys(), rows);
        usageFlush(db, store, loaded, spec, Integer.parseInt(o.get("flush")),
            Integer.parseInt(o.get("rounds")), o.get("flushkeys").equals("same"), rows);
        plans.append(Plans.explain(db, loaded, spec.deepOwnerKeys()));
      } catch (Exception | Error e) {
        System.out.println("!! " + which + " stopped: " + e);
        e.printStackTrace(System.out);
      }
      System.out.println("rows of " + which + " (load average " + loadAverage() + "):");
      rows.subList(before, rows.size()).forEach(r -> System.out.println(line(r)));
    }
    System.out.println();
    System.out.println("| database | measure | n | p50 | p99 | max | note |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.forEach(r -> System.out.println(line(r)));
    System.out.println();
    System.out.println(plans);
    System.out.println("load average at the end: " + loadAverage());
  }

  private static String line(Row r) {
    return String.format("| %s | %s | %,d | %.3f | %.3f | %.3f | %s |", r.db(), r.what(), r.n(),
        r.p50Ms(), r.p99Ms(), r.maxMs(), r.note());
  }

  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  // ---- a. uncached verification ----

  private static void verification(Databases.Db db, JdbcApiKeyStore store,
      MillionKeys.Loaded loaded, int warmup, int requests, List<Row> rows) {
    String[] sample = loaded.samplePlaintexts();
    // usage written only on close: no flush runs while requests are timed
    try (Keygate keygate = Fixture.keygate(store, Fixture.hmacSha256())
        .usageFlushInterval(Duration.ZERO).build()) {
      AuthenticationEngine engine = keygate.engine();
      AuthenticationRequest[] reqs = Arrays.stream(sample, 0, warmup + requests)
          .map(Fixture::request).toArray(AuthenticationRequest[]::new);
      long[] nanos = new long[requests];
      for (int i = 0; i < reqs.length; i++) {
        long t0 = System.nanoTime();
        AuthenticationResult r = engine.authenticate(reqs[i]);
        long t = System.nanoTime() - t0;
        if (!(r instanceof AuthenticationResult.Authenticated)) {
          throw new IllegalStateException("a sampled key was refused: " + r);
        }
        if (i >= warmup) {
          nanos[i - warmup] = t;
        }
      }
      rows.add(row(db.name(), "uncached verification (authenticate, each request a new key)",
          nanos, "target p99 ≤ 2 ms (PostgreSQL)"));
    }
    // the store alone, on keys nobody has read yet
    long[] nanos = new long[requests];
    for (int i = 0; i < requests; i++) {
      String id = Fixture.FORMAT.parse(sample[warmup + requests + i]).id();
      long t0 = System.nanoTime();
      if (store.findById(id).isEmpty()) {
        throw new IllegalStateException("a sampled key is missing");
      }
      nanos[i] = System.nanoTime() - t0;
    }
    rows.add(row(db.name(), "store.findById alone (keys not read before)", nanos, ""));
  }

  // ---- b. listing one owner by page ----

  /**
   * Reads page {@code index} (from 0) of {@code owner}'s keys as a client paging by cursor does:
   * the position is found once by walking to it, then every read starts there.
   */
  static Supplier<Page<ApiKey>> pageReader(ApiKeyStore store, String owner, int index, Instant asOf) {
    KeyQuery q = KeyQuery.all(asOf).withOwner(owner).withLimit(PAGE);
    PageCursor at = null;
    for (int i = 0; i < index; i++) {
      at = store.list(q.withAfter(at)).nextCursor();
    }
    KeyQuery page = q.withAfter(at);
    return () -> store.list(page);
  }

  private static void listing(Databases.Db db, JdbcApiKeyStore store, int reads, int ownerKeys,
      List<Row> rows) {
    int last = (ownerKeys - 1) / PAGE;
    Instant asOf = Instant.now();
    for (int index : new int[] {0, last / 2, last}) {
      Supplier<Page<ApiKey>> page = pageReader(store, MillionKeys.DEEP_OWNER, index, asOf);
      for (int i = 0; i < Math.max(50, reads / 5); i++) {
        check(page.get(), index == last);
      }
      long[] nanos = new long[reads];
      for (int i = 0; i < reads; i++) {
        long t0 = System.nanoTime();
        Page<ApiKey> p = page.get();
        nanos[i] = System.nanoTime() - t0;
        check(p, index == last);
      }
      rows.add(row(db.name(), "list owner's keys, page " + (index + 1) + " of " + (last + 1)
          + " (by cursor)", nanos, "target p99 ≤ 10 ms at any depth"));
    }
    KeyQuery owner = KeyQuery.all(asOf).withOwner(MillionKeys.DEEP_OWNER);
    long[] nanos = new long[reads];
    for (int i = -Math.max(50, reads / 5); i < reads; i++) {
      long t0 = System.nanoTime();
      long n = store.count(owner, 10_000);
      if (i >= 0) {
        nanos[i] = System.nanoTime() - t0;
      }
      if (n != ownerKeys) {
        throw new IllegalStateException("counted " + n + " of " + ownerKeys);
      }
    }
    rows.add(row(db.name(), "the owner's total (count up to 10,000), asked by every management listing", nanos,
        "part of a listing request"));
  }

  private static void check(Page<ApiKey> p, boolean last) {
    if (p.items().size() != PAGE || p.hasMore() == last) {
      throw new IllegalStateException("unexpected page: " + p.items().size() + " keys, hasMore "
          + p.hasMore());
    }
  }

  // ---- c. usage flush ----

  private static void usageFlush(Databases.Db db, JdbcApiKeyStore store, MillionKeys.Loaded loaded,
      MillionKeys.Spec spec, int size, int rounds, boolean sameKeys, List<Row> rows) {
    String table = StoreSql.of(db.dialect(), JdbcApiKeyStore.DEFAULT_TABLE_PREFIX).keysTable();
    SplittableRandom r = new SplittableRandom(99);
    // PostgreSQL: each round also flushes another 100,000 keys the way the store did before
    // it sent arrays (one JDBC batch of single-key updates in one transaction), alternating
    boolean compare = isPostgres(db);
    long[] nanos = new long[rounds];
    long[] batchNanos = new long[compare ? rounds : 0];
    StringBuilder checks = new StringBuilder();
    for (int round = 0; round < (compare ? 2 * rounds : rounds); round++) {
      boolean viaStore = !compare || round % 2 == 0;
      // distinct keys in random order: a different set each round, or (flushkeys=same) the same
      // keys every round, as when the same keys are busy interval after interval
      int from = spec.deepOwnerKeys()
          + (sameKeys ? 0 : round * size % (spec.keys() - spec.deepOwnerKeys() - size));
      String[] ids = Arrays.copyOfRange(loaded.ids(), from, from + size);
      for (int i = ids.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        String t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
      }
      Instant at = Instant.now().plusSeconds(3600L + round).truncatedTo(ChronoUnit.MICROS);
      List<UsageRecord> usage = new ArrayList<>(size);
      long total = 0;
      for (String id : ids) {
        long count = 1 + r.nextInt(100);
        total += count;
        usage.add(new UsageRecord(id, count, at));
      }
      long before = Sql.oneLong(db.pool(), "SELECT SUM(usage_count) FROM " + table);
      long t0 = System.nanoTime();
      if (viaStore) {
        store.recordUsage(usage);
        nanos[compare ? round / 2 : round] = System.nanoTime() - t0;
      } else {
        perKeyBatch(db, usage);
        batchNanos[round / 2] = System.nanoTime() - t0;
      }
      long after = Sql.oneLong(db.pool(), "SELECT SUM(usage_count) FROM " + table);
      long touched = countLastUsed(db, table, at);
      if (after - before != total || touched != size) {
        throw new IllegalStateException("usage lost: recorded " + total + " on " + size
            + " keys, the table gained " + (after - before) + " on " + touched + " keys");
      }
      if (viaStore) {
        checks.append(checks.length() == 0 ? "" : "; ").append(String.format(
            "%,d counted, %,d landed on %,d rows", total, after - before, touched));
      }
    }
    rows.add(row(db.name(), "recordUsage of " + String.format("%,d", size)
        + " distinct keys (one call)", nanos, "target ≤ 2 s; rounds " + millis(nanos) + "; "
        + checks));
    if (compare) {
      rows.add(row(db.name(), "the same as one JDBC batch of single-key updates (the store"
          + " before arrays)", batchNanos, "rounds (alternating with the line above) "
          + millis(batchNanos)));
    }
  }

  /** What {@code recordUsage} did before it sent arrays: one batch of per-key updates, id order. */
  private static void perKeyBatch(Databases.Db db, List<UsageRecord> usage) {
    StoreSql sql = StoreSql.of(db.dialect(), JdbcApiKeyStore.DEFAULT_TABLE_PREFIX);
    List<UsageRecord> sorted = new ArrayList<>(usage);
    sorted.sort(java.util.Comparator.comparing(UsageRecord::keyId));
    try (Connection c = db.pool().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = Sql.untimed(c.prepareStatement(sql.recordUsage()))) {
        for (UsageRecord u : sorted) {
          ps.setLong(1, u.count());
          sql.bindInstant(ps, 2, u.lastUsedAt());
          sql.bindInstant(ps, 3, u.lastUsedAt());
          ps.setString(4, u.keyId());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("per-key batch failed", e);
    }
  }

  private static long countLastUsed(Databases.Db db, String table, Instant at) {
    try (Connection c = db.pool().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT COUNT(*) FROM " + table + " WHERE last_used_at = ?")) {
      Sql.untimed(ps);
      StoreSql.of(db.dialect(), JdbcApiKeyStore.DEFAULT_TABLE_PREFIX).bindInstant(ps, 1, at);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String millis(long[] nanos) {
    StringBuilder b = new StringBuilder();
    for (long n : nanos) {
      b.append(b.length() == 0 ? "" : ", ").append(String.format("%,d ms", n / 1_000_000));
    }
    return b.toString();
  }

  private static Row row(String db, String what, long[] nanos, String note) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new Row(db, what, s.length, s[(int) (s.length * 0.50)] / 1e6,
        s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6, s[s.length - 1] / 1e6, note);
  }

  static boolean isPostgres(Databases.Db db) {
    return db.dialect() == SqlDialect.POSTGRESQL;
  }
}

package dev.keygate.benchmarks.store;

import dev.keygate.ApiKey;
import dev.keygate.KeyFormat;
import dev.keygate.ParsedKey;
import dev.keygate.RateLimit;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.hash.KeyHasher;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.jdbc.SqlDialect;
import dev.keygate.jdbc.StoreSql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Generates a key population and bulk-loads it into a {@link JdbcApiKeyStore}'s table (issue 17):
 * by default one million keys across ten thousand owners, one of whom ({@link #DEEP_OWNER}) has
 * exactly 10,000 keys for deep listing, the rest about 99 each. Every row is an {@link ApiKey}
 * built as {@code ApiKeyService.create} builds one (a {@link Fixture#FORMAT} key, its hint, its
 * secret hashed by {@link Fixture#hmacSha256()}) and bound by the store's own code ({@link
 * StoreSql#bindInsert}); only the writing differs: JDBC batches of 1,000 rows, a commit every
 * 100,000 (PostgreSQL with {@code reWriteBatchedInserts=true}), the two listing indexes dropped
 * during the load and built again after it by {@link JdbcApiKeyStore#createSchemaIfMissing()}.
 * The plaintexts of a random sample of active keys are kept in memory for verification.
 *
 * <p>On its own: {@code java -Xmx4g -cp benchmarks/target/keygate-benchmarks.jar
 * dev.keygate.benchmarks.store.MillionKeys [postgres|h2] [keys]} loads into a new database, prints
 * the times and stops. {@link StoreAtScale} loads and measures.
 */
public final class MillionKeys {
  /** The owner with {@link Spec#deepOwnerKeys} keys. */
  public static final String DEEP_OWNER = "org-00000";

  private static final String[] SCOPES = {"keys:read", "keys:write", "billing:read",
      "billing:write", "orders:read", "orders:write", "reports:read", "users:read", "users:write",
      "webhooks:manage", "inventory:read", "admin"};
  private static final String[] SERVICES = {"checkout", "ci", "warehouse", "reporting", "mobile",
      "partner", "billing", "crm", "search", "backup"};
  private static final String[] PURPOSES = {"deploy", "sync", "export", "import", "cron",
      "integration", "dashboard", "webhook", "agent", "script"};
  private static final String[] TEAMS = {"payments", "platform", "data", "growth", "support"};
  private static final int BATCH = 1_000;
  private static final int COMMIT_EVERY = 100_000;

  private MillionKeys() {}

  /** What to generate. */
  public record Spec(int keys, int owners, int deepOwnerKeys, int sample, long seed) {
    public Spec {
      if (owners < 2 || deepOwnerKeys > keys || sample > keys - deepOwnerKeys) {
        throw new IllegalArgumentException("bad spec " + keys + "/" + owners + "/" + deepOwnerKeys);
      }
    }

    /** One million keys, 10,000 owners, one owner with 10,000 keys, 50,000 plaintexts kept. */
    public static Spec million() {
      return new Spec(1_000_000, 10_000, 10_000, 50_000, 17L);
    }
  }

  /**
   * What was loaded. {@code ids} holds every key id in generation order; {@code samplePlaintexts}
   * the plaintexts of active keys (no IP allow-list, no rate limit), in random order.
   */
  public record Loaded(String[] ids, String[] samplePlaintexts, Duration insert,
      Duration indexes, Instant now) {}

  /** Generates and loads {@code spec} into the store's empty table; see the class comment. */
  public static Loaded load(Databases.Db db, JdbcApiKeyStore store, Spec spec) throws Exception {
    store.createSchemaIfMissing();
    StoreSql sql = StoreSql.of(db.dialect(), JdbcApiKeyStore.DEFAULT_TABLE_PREFIX);
    String table = sql.keysTable();
    Sql.execute(db.pool(), "DROP INDEX IF EXISTS " + table + "_owner_idx");
    Sql.execute(db.pool(), "DROP INDEX IF EXISTS " + table + "_created_idx");
    // PostgreSQL: room on every page for the next version of a row (HOT usage updates), an
    // experiment (-Dkeygate.bench.fillfactor=90); the store's schema keeps the default of 100
    String fillfactor = System.getProperty("keygate.bench.fillfactor");
    if (fillfactor != null && db.dialect() == SqlDialect.POSTGRESQL) {
      Sql.execute(db.pool(), "ALTER TABLE " + table + " SET (fillfactor = "
          + Integer.parseInt(fillfactor) + ")");
    }

    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String[] ids = new String[spec.keys()];
    boolean[] sampled = chooseSample(spec);
    String[] sample = new String[spec.sample()];
    BlockingQueue<List<ApiKey>> batches = new ArrayBlockingQueue<>(8);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    long start = System.nanoTime();
    // generating (SecureRandom, HMAC) on one thread while this one writes
    Thread generator = new Thread(() -> {
      try {
        generate(spec, now, ids, sampled, sample, batches);
      } catch (Throwable t) {
        failed.set(t);
        batches.offer(List.of());
      }
    }, "key-generator");
    generator.setDaemon(true);
    generator.start();
    int written = 0;
    try (Connection c = DriverManager.getConnection(db.loadUrl(), db.user(), db.password())) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql.insert())) {
        while (written < spec.keys()) {
          List<ApiKey> batch = batches.take();
          if (batch.isEmpty()) {
            throw new IllegalStateException("generator failed", failed.get());
          }
          for (ApiKey k : batch) {
            sql.bindInsert(ps, k);
            ps.addBatch();
          }
          ps.executeBatch();
          written += batch.size();
          if (written % COMMIT_EVERY == 0 || written == spec.keys()) {
            c.commit();
          }
        }
      }
    }
    generator.join();
    Duration insert = Duration.ofNanos(System.nanoTime() - start);
    start = System.nanoTime();
    store.createSchemaIfMissing(); // the store's own DDL builds the two indexes again
    try (Connection c = db.pool().getConnection(); Statement st = c.createStatement()) {
      st.execute(db.dialect() == SqlDialect.POSTGRESQL ? "VACUUM ANALYZE " + table : "ANALYZE");
    }
    Duration indexes = Duration.ofNanos(System.nanoTime() - start);
    long rows = Sql.oneLong(db.pool(), "SELECT COUNT(*) FROM " + table);
    if (rows != spec.keys()) {
      throw new IllegalStateException("loaded " + rows + " rows, expected " + spec.keys());
    }
    return new Loaded(ids, sample, insert, indexes, now);
  }

  private static boolean[] chooseSample(Spec spec) {
    // sampled keys are among the owners' ordinary keys (not the deep owner's), chosen at random
    boolean[] chosen = new boolean[spec.keys()];
    SplittableRandom r = new SplittableRandom(spec.seed() ^ 0x5A5A);
    int n = 0;
    while (n < spec.sample()) {
      int i = spec.deepOwnerKeys() + r.nextInt(spec.keys() - spec.deepOwnerKeys());
      if (!chosen[i]) {
        chosen[i] = true;
        n++;
      }
    }
    return chosen;
  }

  private static void generate(Spec spec, Instant now, String[] ids, boolean[] sampled,
      String[] sample, BlockingQueue<List<ApiKey>> out) throws InterruptedException {
    KeyFormat format = Fixture.FORMAT;
    KeyHasher hasher = Fixture.hmacSha256();
    SplittableRandom r = new SplittableRandom(spec.seed());
    long yearMicros = ChronoUnit.DAYS.getDuration().multipliedBy(365).toNanos() / 1000;
    int sampleAt = 0;
    List<ApiKey> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < spec.keys(); i++) {
      ParsedKey generated = format.generate();
      byte[] secret = generated.secretBytes();
      String hash = hasher.hash(secret);
      Arrays.fill(secret, (byte) 0);
      String owner = i < spec.deepOwnerKeys() ? DEEP_OWNER
          : String.format("org-%05d", 1 + (i - spec.deepOwnerKeys()) % (spec.owners() - 1));
      Instant created = now.minus(1 + r.nextLong(yearMicros), ChronoUnit.MICROS);
      boolean keep = sampled[i];
      ApiKey.Builder k = ApiKey.builder()
          .id(generated.id())
          .name(SERVICES[r.nextInt(SERVICES.length)] + " " + PURPOSES[r.nextInt(PURPOSES.length)]
              + " " + (1 + r.nextInt(40)))
          .hint(format.hint(generated.id()))
          .secretHash(hash)
          .scopes(scopes(r))
          .environment(r.nextInt(10) < 7 ? "live" : "test")
          .owner(owner)
          .createdAt(created)
          // every key lives 400 days: all are still valid now
          .expiresAt(created.plus(400, ChronoUnit.DAYS))
          .metadata(r.nextInt(10) < 3 ? Map.of("team", TEAMS[r.nextInt(TEAMS.length)]) : Map.of());
      if (r.nextInt(4) > 0) {
        long uses = 1 + r.nextLong(1_000_000);
        k.usageCount(uses).lastUsedAt(now.minus(r.nextLong(86_400_000_000L), ChronoUnit.MICROS));
      }
      if (!keep) {
        int kind = r.nextInt(100);
        if (kind < 2) {
          Instant revoked = created.plus(1 + r.nextInt(30), ChronoUnit.DAYS);
          k.revokedAt(revoked.isAfter(now) ? now : revoked);
        } else if (kind < 7) {
          k.allowedIps(List.of("10.0.0.0/8", "192.168.1.0/24"));
        } else if (kind < 17) {
          k.rateLimit(new RateLimit(1000, Duration.ofMinutes(1)));
        }
      }
      ids[i] = generated.id();
      if (keep) {
        sample[sampleAt++] = generated.plaintext();
      }
      batch.add(k.build());
      if (batch.size() == BATCH || i == spec.keys() - 1) {
        out.put(batch);
        batch = new ArrayList<>(BATCH);
      }
    }
    // shuffle the sample so that its order says nothing of creation order
    for (int i = sample.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      String t = sample[i];
      sample[i] = sample[j];
      sample[j] = t;
    }
  }

  private static Set<String> scopes(SplittableRandom r) {
    int n = 1 + r.nextInt(3);
    Set<String> s = new LinkedHashSet<>();
    while (s.size() < n) {
      s.add(SCOPES[r.nextInt(SCOPES.length)]);
    }
    return s;
  }

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "postgres";
    Spec m = Spec.million();
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : m.keys();
    Spec spec = new Spec(keys, Math.min(m.owners(), keys / 10), Math.min(m.deepOwnerKeys(), keys / 10),
        Math.min(m.sample(), keys / 2), m.seed());
    try (Databases.Db db = which.equals("h2") ? Databases.h2File() : Databases.postgres();
        JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(db.pool()).build()) {
      Loaded l = load(db, store, spec);
      System.out.printf("%s: %,d keys (%,d owners) inserted in %.1f s (%,.0f rows/s), indexes and"
              + " ANALYZE %.1f s; %s%n", db.name(), spec.keys(), spec.owners(),
          l.insert().toMillis() / 1000.0, spec.keys() / (l.insert().toNanos() / 1e9),
          l.indexes().toMillis() / 1000.0, db.describe());
    }
  }
}

package dev.keygate.jdbc;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.DuplicateKeyIdException;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyChangeListeners;
import dev.keygate.KeyQuery;
import dev.keygate.KeyStatus;
import dev.keygate.Page;
import dev.keygate.PageCursor;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ApiKeyStore} on any JDBC {@link DataSource}: PostgreSQL, H2, MySQL and MariaDB. Plain
 * JDBC, prepared statements only; thread-safe; one connection borrowed per call.
 *
 * <pre>{@code
 * JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).build();
 * store.createSchemaIfMissing(); // or ship the scripts under dev/keygate/jdbc/schema/ with Flyway
 * }</pre>
 *
 * <h2>Tables</h2>
 *
 * {@code <prefix>api_keys} holds one row per key (hashes only, never a secret) and {@code
 * <prefix>key_changes} one row per update or delete, written in the same transaction. The scripts
 * are {@link SqlDialect#schemaResource()}; the prefix defaults to {@value #DEFAULT_TABLE_PREFIX}.
 *
 * <h2>Several application nodes on one database</h2>
 *
 * Once something {@linkplain #subscribe subscribes} (the authentication engine does), a daemon
 * thread reads the change rows every {@code pollInterval} and tells the listeners which keys
 * changed, so a key revoked, rotated or deleted on one node leaves every other node's cache
 * <b>within one poll interval plus one query</b> (default 1 s) of the commit, while the database is
 * reachable. On PostgreSQL the same transaction also sends {@code NOTIFY}, and a dedicated
 * connection that {@code LISTEN}s delivers the change in milliseconds; polling stays on as the
 * safety net. The poller survives outages (one WARN per outage) and catches up afterwards; change
 * rows older than {@code changeRetention} (default 1 h) are pruned, so a node cut off from the
 * database for longer may miss changes made meanwhile by others (its cache entries expire anyway).
 *
 * <h2>Failures</h2>
 *
 * Every {@link SQLException} becomes a {@link StoreUnavailableException} whose message carries the
 * operation and SQLState, never a value; a duplicate id is a {@link DuplicateKeyIdException}. No
 * call waits on the database longer than the {@linkplain Builder#callTimeout call timeout}
 * (default 2 s): a locked table makes it fail as unavailable, not hang.
 */
public final class JdbcApiKeyStore implements ApiKeyStore, AutoCloseable {
  /** The table prefix when none is given. */
  public static final String DEFAULT_TABLE_PREFIX = "keygate_";
  /** How often other nodes' changes are polled when no interval is given: 1 second. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  /** How long change rows are kept when no retention is given: 1 hour. */
  public static final Duration DEFAULT_CHANGE_RETENTION = Duration.ofHours(1);
  /** How long one store call may wait on the database when no timeout is given: 2 seconds. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(2);

  /** Keys per usage statement on PostgreSQL: small enough that the planner keeps index lookups. */
  static final int USAGE_CHUNK = 1000;

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,30}");

  private final DataSource dataSource;
  private final @Nullable SqlDialect configuredDialect;
  private final String tablePrefix;
  private final Duration pollInterval;
  private final Duration changeRetention;
  private final Duration callTimeout;
  private final boolean notifications;
  private final Clock clock;
  private final KeyChangeListeners listeners = new KeyChangeListeners();
  private volatile @Nullable Statements statements;
  private @Nullable ChangeWatcher watcher; // guarded by this
  private boolean closed; // guarded by this

  private JdbcApiKeyStore(Builder b) {
    if (b.dataSource == null) {
      throw new IllegalStateException("dataSource is required");
    }
    this.dataSource = b.dataSource;
    this.configuredDialect = b.dialect;
    this.tablePrefix = b.tablePrefix == null ? DEFAULT_TABLE_PREFIX : b.tablePrefix;
    this.pollInterval = b.pollInterval == null ? DEFAULT_POLL_INTERVAL : b.pollInterval;
    this.changeRetention = b.changeRetention == null ? DEFAULT_CHANGE_RETENTION : b.changeRetention;
    this.callTimeout = b.callTimeout == null ? DEFAULT_CALL_TIMEOUT : b.callTimeout;
    this.notifications = b.notifications == null || b.notifications;
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
  }

  /**
   * A builder; only {@link Builder#dataSource} is required.
   *
   * @return a builder; {@code dataSource} is required
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the tables and indexes that do not exist yet, with this store's prefix, by running
   * the dialect's script ({@link SqlDialect#schemaResource()}). For applications that do not run
   * migrations; harmless when the schema is there.
   *
   * @throws StoreUnavailableException if the database refuses or cannot be reached
   */
  public void createSchemaIfMissing() {
    try {
      Statements s = statements(); // the dialect first: with a pool of one, two connections at once never come
      try (Connection c = dataSource.getConnection()) {
        boolean auto = c.getAutoCommit();
        runSchemaScript(c, s);
        if (!auto) {
          c.commit();
        }
      }
    } catch (SQLException e) {
      throw SqlFailures.unavailable("createSchemaIfMissing", e);
    }
  }

  /**
   * Runs the schema script of {@link #createSchemaIfMissing()} on a connection the caller owns and
   * commits: for a migration tool (a Flyway Java migration, a Liquibase custom change) that runs it
   * in its own transaction. Takes no other connection (the dialect, when not configured, is read
   * from this one).
   *
   * @param connection a connection to this store's database
   * @throws SQLException if the database refuses a statement
   */
  public void createSchemaIfMissing(Connection connection) throws SQLException {
    runSchemaScript(connection, statements(connection));
  }

  private void runSchemaScript(Connection connection, Statements s) throws SQLException {
    List<String> script = SchemaScript.statements(s.dialect, tablePrefix);
    try (Statement st = connection.createStatement()) {
      for (String sql : script) {
        st.execute(sql);
      }
    }
  }

  @Override
  public void create(ApiKey key) {
    Objects.requireNonNull(key, "key");
    try {
      Statements s = statements();
      Transactions.run(dataSource, c -> begin(c, s), c -> {
        try (PreparedStatement ps = prepare(c, s.insert)) {
          s.rows.bindInsert(ps, key);
          ps.executeUpdate();
        }
        return null;
      });
    } catch (SQLException e) {
      Statements s = statements;
      if (s != null && s.dialect.isDuplicateKey(e)) {
        throw new DuplicateKeyIdException(key.id());
      }
      throw SqlFailures.unavailable("create", e);
    }
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    Objects.requireNonNull(id, "id");
    try {
      Statements s = statements();
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = prepare(c, s.selectById)) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(s.rows.read(rs)) : Optional.empty();
        }
      }
    } catch (SQLException e) {
      throw SqlFailures.unavailable("findById", e);
    }
  }

  @Override
  public boolean update(ApiKey key) {
    Objects.requireNonNull(key, "key");
    return changeOne("update", key.id(), s -> s.update, (ps, s) -> s.rows.bindUpdate(ps, key));
  }

  @Override
  public Page<ApiKey> list(KeyQuery q) {
    Objects.requireNonNull(q, "query");
    try {
      Statements s = statements();
      PageCursor after = q.after();
      String sql = s.list(q.owner() != null, q.environment() != null, q.status(), after != null);
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = prepare(c, sql)) {
        int i = bindFilters(s, ps, q);
        if (after != null) {
          // bound as every created_at is written (microseconds), so a cursor taken from a key read
          // back from the table matches that key's row with =
          s.dialect.bindInstant(ps, i++, after.createdAt());
          s.dialect.bindInstant(ps, i++, after.createdAt());
          ps.setString(i++, after.id());
        }
        ps.setInt(i, q.limit() + 1);
        // only a capacity: limit is at least 1, so limit - 1 (a mutant) is a legal capacity too
        List<ApiKey> read = new ArrayList<>(Math.min(q.limit() + 1, 64));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            read.add(s.rows.read(rs));
          }
        }
        return Page.of(read, q.limit());
      }
    } catch (SQLException e) {
      throw SqlFailures.unavailable("list", e);
    }
  }

  /**
   * Counts in one query, reading at most {@code atMost} index entries ({@code COUNT(*)} over a
   * sub-select with {@code LIMIT}): an owner's total costs the same at any size past the bound.
   */
  @Override
  public long count(KeyQuery q, long atMost) {
    Objects.requireNonNull(q, "query");
    KeyQuery.checkCountLimit(atMost);
    try {
      Statements s = statements();
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = prepare(c, s.count(q.owner() != null, q.environment() != null, q.status()))) {
        ps.setLong(bindFilters(s, ps, q), atMost);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next(); // COUNT(*) always answers one row
          return rs.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw SqlFailures.unavailable("count", e);
    }
  }

  /** Binds the filters of {@link Statements#filters}; returns the next parameter's index. */
  private static int bindFilters(Statements s, PreparedStatement ps, KeyQuery q) throws SQLException {
    int i = 1;
    if (q.owner() != null) {
      ps.setString(i++, q.owner());
    }
    if (q.environment() != null) {
      ps.setString(i++, q.environment());
    }
    if (q.status() != null && q.status() != KeyStatus.REVOKED) {
      s.dialect.bindInstant(ps, i++, q.asOf());
    }
    return i;
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    return changeOne("delete", id, s -> s.delete, (ps, s) -> ps.setString(1, id));
  }

  /** Binds the parameters of one statement. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps, Statements s) throws SQLException;
  }

  /**
   * Runs one statement that changes at most the row of {@code keyId}, records the change for
   * other nodes in the same transaction, and notifies this node's listeners when a row changed.
   */
  private boolean changeOne(String operation, String keyId, Function<Statements, String> sql,
      Binder binder) {
    boolean changed;
    try {
      Statements s = statements();
      changed = Transactions.run(dataSource, c -> begin(c, s), c -> {
        try (PreparedStatement ps = prepare(c, sql.apply(s))) {
          binder.bind(ps, s);
          if (ps.executeUpdate() == 0) {
            return false;
          }
        }
        markChanged(c, s, keyId);
        return true;
      });
    } catch (SQLException e) {
      throw SqlFailures.unavailable(operation, e);
    }
    if (changed) {
      listeners.fire(keyId);
    }
    return changed;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction per call: records for the same id are summed first, and rows are touched
   * in id order so that two nodes flushing at once cannot deadlock. Each row is incremented in
   * place ({@code usage_count = usage_count + ?}), so concurrent flushes add up exactly. The call
   * applies whole or not at all, so the caller's retry after a failure counts nothing twice (except
   * in the rare case where the commit succeeded and its acknowledgement was lost with the
   * connection). On PostgreSQL one statement updates up to {@value #USAGE_CHUNK} keys (their ids,
   * counts and times as arrays); elsewhere one JDBC batch holds one update per key.
   */
  @Override
  public void recordUsage(Collection<UsageRecord> usage) {
    Objects.requireNonNull(usage, "usage");
    if (usage.isEmpty()) {
      return;
    }
    TreeMap<String, UsageRecord> merged = new TreeMap<>();
    for (UsageRecord u : usage) {
      merged.merge(u.keyId(), u, (a, b) -> new UsageRecord(a.keyId(), a.count() + b.count(),
          a.lastUsedAt().isAfter(b.lastUsedAt()) ? a.lastUsedAt() : b.lastUsedAt()));
    }
    try {
      Statements s = statements();
      String many = s.recordUsageMany;
      Transactions.run(dataSource, c -> begin(c, s), c -> {
        if (many != null) {
          recordUsageInChunks(c, many, new ArrayList<>(merged.values()));
          return null;
        }
        try (PreparedStatement ps = prepare(c, s.recordUsage)) {
          for (UsageRecord u : merged.values()) {
            ps.setLong(1, u.count());
            s.dialect.bindInstant(ps, 2, u.lastUsedAt());
            s.dialect.bindInstant(ps, 3, u.lastUsedAt());
            ps.setString(4, u.keyId());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        return null;
      });
    } catch (SQLException e) {
      throw SqlFailures.unavailable("recordUsage", e);
    }
  }

  /**
   * PostgreSQL: {@link Statements#recordUsageMany} once per {@value #USAGE_CHUNK} keys, the
   * chunks in id order (each statement locks its rows in id order too), each its own round trip
   * rather than one per key. A JDBC batch of 100,000 single-row updates took about 4 s; this takes
   * a fraction of that (BENCHMARKS.md, section 9).
   */
  private void recordUsageInChunks(Connection c, String sql, List<UsageRecord> sorted)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql)) {
      for (int from = 0; from < sorted.size(); from += USAGE_CHUNK) {
        List<UsageRecord> chunk = sorted.subList(from, Math.min(sorted.size(), from + USAGE_CHUNK));
        String[] ids = new String[chunk.size()];
        Long[] counts = new Long[chunk.size()];
        String[] times = new String[chunk.size()];
        for (int i = 0; i < ids.length; i++) {
          UsageRecord u = chunk.get(i);
          ids[i] = u.keyId();
          counts[i] = u.count();
          // ISO-8601 in UTC, to the microsecond as every instant is stored: read as timestamptz
          times[i] = u.lastUsedAt().truncatedTo(ChronoUnit.MICROS).toString();
        }
        Array idArray = c.createArrayOf("text", ids);
        Array countArray = c.createArrayOf("bigint", counts);
        Array timeArray = c.createArrayOf("text", times);
        try {
          ps.setArray(1, idArray);
          ps.setArray(2, countArray);
          ps.setArray(3, timeArray);
          ps.executeUpdate();
        } finally {
          idArray.free();
          countArray.free();
          timeArray.free();
        }
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first subscription starts the change watcher (see the class comment); it never needs
   * the database to be up.
   */
  @Override
  public Subscription subscribe(KeyChangeListener listener) {
    Subscription sub = listeners.add(Objects.requireNonNull(listener, "listener"));
    synchronized (this) {
      if (watcher == null && !closed) {
        watcher = new ChangeWatcher(this, listeners, pollInterval, changeRetention, notifications,
            clock);
        watcher.start();
      }
    }
    return sub;
  }

  /**
   * Stops the change watcher's threads and gives back the connections they kept. The {@link
   * DataSource} stays open (it is the application's); store calls keep working but other nodes'
   * changes are no longer reported. Idempotent.
   */
  @Override
  public void close() {
    ChangeWatcher w;
    synchronized (this) {
      closed = true;
      w = watcher;
      watcher = null;
    }
    if (w != null) {
      w.close();
    }
  }

  @Override
  public String toString() {
    Statements s = statements;
    return "JdbcApiKeyStore[" + (s == null ? "dialect pending" : s.dialect) + ", prefix="
        + tablePrefix + ", pollInterval=" + pollInterval + ", callTimeout=" + callTimeout
        + ", notifications=" + notifications + "]";
  }

  // ---- package-private, for the change watcher ----

  DataSource dataSource() {
    return dataSource;
  }

  /** The dialect and SQL, detected on first use (so that the store can be built while the database is down). */
  Statements statements() throws SQLException {
    return statements(null);
  }

  /** {@link #statements()}, reading the database's product from {@code open} when one is given. */
  private Statements statements(@Nullable Connection open) throws SQLException {
    Statements s = statements;
    // only the lock-free fast path: taking the lock every time (a mutant) re-checks and answers the same
    if (s == null) {
      synchronized (this) {
        s = statements;
        if (s == null) {
          SqlDialect d = configuredDialect;
          if (d == null) {
            String product;
            if (open != null) {
              product = open.getMetaData().getDatabaseProductName();
            } else {
              try (Connection c = dataSource.getConnection()) {
                product = c.getMetaData().getDatabaseProductName();
              }
            }
            try {
              d = SqlDialect.forProductName(product);
            } catch (IllegalArgumentException e) {
              throw new IllegalStateException(e.getMessage(), e);
            }
          }
          s = new Statements(d, tablePrefix);
          statements = s;
        }
      }
    }
    return s;
  }

  /** A statement that gives up after the call timeout (a JDBC query timeout, whole seconds). */
  PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      ps.setQueryTimeout((int) callTimeout.toSeconds());
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
    return ps;
  }

  /**
   * Opens a write transaction. On PostgreSQL it also bounds, for this transaction only, the wait
   * for a lock ({@code lock_timeout}, failing with SQLState 55P03) and each statement ({@code
   * statement_timeout}, enforced by the server even when the driver's cancel cannot reach it).
   */
  private Void begin(Connection c, Statements s) throws SQLException {
    if (s.dialect == SqlDialect.POSTGRESQL) {
      String ms = callTimeout.toMillis() + "ms";
      try (PreparedStatement ps = prepare(c, s.transactionTimeouts)) {
        ps.setString(1, ms);
        ps.setString(2, ms);
        ps.executeQuery().close();
      }
    }
    return null;
  }

  /** Records a change of {@code keyId} inside the caller's transaction. */
  private void markChanged(Connection c, Statements s, String keyId) throws SQLException {
    try (PreparedStatement ps = prepare(c, s.insertChange)) {
      ps.setString(1, keyId);
      s.dialect.bindInstant(ps, 2, clock.instant());
      ps.executeUpdate();
    }
    if (notifications && s.dialect == SqlDialect.POSTGRESQL) {
      // delivered to listeners at commit, and not at all on rollback
      try (PreparedStatement ps = prepare(c, s.notify)) {
        ps.setString(1, s.channel);
        ps.setString(2, keyId);
        ps.executeQuery().close();
      }
    }
  }

  /**
   * Settings for {@link JdbcApiKeyStore}, each given at most once (a second call is an {@link
   * IllegalStateException} naming the setting and its value) and checked when given (an {@link
   * IllegalArgumentException} with the value). Can build several stores with the same settings.
   */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private @Nullable SqlDialect dialect;
    private @Nullable String tablePrefix;
    private @Nullable Duration pollInterval;
    private @Nullable Duration changeRetention;
    private @Nullable Duration callTimeout;
    private @Nullable Boolean notifications;
    private @Nullable Clock clock;

    private Builder() {}

    private static void unset(String setting, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
    }

    /**
     * Where the tables live (required). A pool such as HikariCP is recommended.
     *
     * @param dataSource the pool, which stays the application's to close
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder dataSource(DataSource dataSource) {
      // named by its class only: a data source's text may carry a JDBC URL with a password in it
      unset("dataSource", this.dataSource == null ? null : "a " + this.dataSource.getClass().getName());
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The SQL dialect; default: detected from the database's product name on first use.
     *
     * @param dialect the dialect
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder dialect(SqlDialect dialect) {
      unset("dialect", this.dialect);
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * The prefix of both table names; default {@value #DEFAULT_TABLE_PREFIX}.
     *
     * @param tablePrefix the prefix of the store's table names
     * @return this builder
     * @throws IllegalArgumentException unless it matches {@code [A-Za-z_][A-Za-z0-9_]{0,30}}
     * @throws IllegalStateException if already set
     */
    public Builder tablePrefix(String tablePrefix) {
      unset("tablePrefix", this.tablePrefix);
      Objects.requireNonNull(tablePrefix, "tablePrefix");
      if (!PREFIX.matcher(tablePrefix).matches()) {
        throw new IllegalArgumentException(
            "tablePrefix must match [A-Za-z_][A-Za-z0-9_]{0,30}, got '" + tablePrefix + "'");
      }
      this.tablePrefix = tablePrefix;
      return this;
    }

    /**
     * How often other nodes' changes are read from the change table; the bound on how stale
     * another node's cache can be. Default 1 second.
     *
     * @param pollInterval the time between reads
     * @return this builder
     * @throws IllegalArgumentException if below 10 ms or above 1 hour
     * @throws IllegalStateException if already set
     */
    public Builder pollInterval(Duration pollInterval) {
      unset("pollInterval", this.pollInterval);
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.compareTo(Duration.ofMillis(10)) < 0
          || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "pollInterval must be between 10ms and 1h, got " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * How long change rows are kept before a node prunes them; default 1 hour. Keep it well above
     * the poll interval and the longest outage a node should recover from without missing changes.
     *
     * @param changeRetention how long a change row is kept
     * @return this builder
     * @throws IllegalArgumentException if below 1 minute
     * @throws IllegalStateException if already set
     */
    public Builder changeRetention(Duration changeRetention) {
      unset("changeRetention", this.changeRetention);
      Objects.requireNonNull(changeRetention, "changeRetention");
      if (changeRetention.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException(
            "changeRetention must be at least 1 minute, got " + changeRetention);
      }
      this.changeRetention = changeRetention;
      return this;
    }

    /**
     * The longest one store call waits on the database; default 2 seconds. Every statement gets it
     * as its JDBC query timeout, and on PostgreSQL every write transaction also as its {@code
     * lock_timeout} and {@code statement_timeout}. A call that runs out (a locked table, a
     * database that stopped answering) fails with a {@link StoreUnavailableException}, which the
     * engine answers with 503 and {@code Retry-After} for keys it has not cached. The wait for a
     * connection is the pool's to bound (HikariCP's {@code connectionTimeout}, 30 s unless set);
     * {@link #createSchemaIfMissing} is not bounded.
     *
     * @param callTimeout the longest a store call may take
     * @return this builder
     * @throws IllegalArgumentException unless a whole number of seconds from 1 second to 1 hour
     *     (JDBC query timeouts are whole seconds)
     * @throws IllegalStateException if already set
     */
    public Builder callTimeout(Duration callTimeout) {
      unset("callTimeout", this.callTimeout);
      Objects.requireNonNull(callTimeout, "callTimeout");
      if (callTimeout.compareTo(Duration.ofSeconds(1)) < 0
          || callTimeout.compareTo(Duration.ofHours(1)) > 0
          || callTimeout.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException(
            "callTimeout must be a whole number of seconds from 1s to 1h, got " + callTimeout);
      }
      this.callTimeout = callTimeout;
      return this;
    }

    /**
     * On PostgreSQL, whether changes are also sent with {@code NOTIFY} and received with {@code
     * LISTEN} (needs the PgJDBC driver); default true. Give every node the same setting. Ignored
     * on other databases.
     *
     * @param enabled whether to use {@code NOTIFY}/{@code LISTEN}
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder notifications(boolean enabled) {
      unset("notifications", this.notifications);
      this.notifications = enabled;
      return this;
    }

    /**
     * The clock for change rows and their pruning; default the UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock clock) {
      unset("clock", this.clock);
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the store. Does not touch the database: the dialect is detected on first use.
     *
     * @return the store; its schema is not created ({@link
     *     JdbcApiKeyStore#createSchemaIfMissing()})
     * @throws IllegalStateException if no data source was given
     */
    public JdbcApiKeyStore build() {
      return new JdbcApiKeyStore(this);
    }
  }

  /** For {@link ChangeWatcher} and {@link PgNotificationListener}: the call timeout. */
  Duration callTimeout() {
    return callTimeout;
  }

  /** For {@link ChangeWatcher}: the table prefix (for log lines). */
  String tablePrefix() {
    return tablePrefix;
  }

  /** For tests: the running watcher, or null. */
  synchronized @Nullable ChangeWatcher watcher() {
    return watcher;
  }
}

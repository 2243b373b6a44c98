package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKey;
import dev.keygate.StoreUnavailableException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.LoggerFactory;

/**
 * What the store does on PostgreSQL only, on the build's shared server: LISTEN/NOTIFY, the
 * timeouts of every write transaction, query timeouts on reads, schema creation in a transaction.
 * Quick enough for mutation testing, which runs this class and not the whole contract on
 * PostgreSQL ({@link PostgresStoreTest}). Locks are taken and released by the test; the hang
 * guards are far above the timeouts and only keep a broken build from hanging.
 */
class PostgresSpecificsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final AtomicInteger IDS = new AtomicInteger();
  private static int port;
  private static String url;
  private static HikariDataSource pool;

  private String prefix;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void openPool() throws Exception {
    port = SharedServers.postgresPort();
    url = Databases.postgresUrl(port);
    pool = Databases.pool(url, "postgres", "postgres", "pg-specifics");
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @BeforeEach
  void createTables() {
    prefix = "pgs" + PREFIXES.incrementAndGet() + "_";
    JdbcApiKeyStore.builder().dataSource(pool).tablePrefix(prefix).build().createSchemaIfMissing();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T open(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private JdbcApiKeyStore.Builder builder(DataSource ds) {
    return builder(ds, Duration.ofMillis(100));
  }

  private JdbcApiKeyStore.Builder builder(DataSource ds, Duration pollInterval) {
    return JdbcApiKeyStore.builder().dataSource(ds).tablePrefix(prefix).pollInterval(pollInterval);
  }

  @Test
  void anotherNodeHearsChangesByListenNotifyLongBeforeItsPoll() throws Exception {
    JdbcApiKeyStore nodeA = open(builder(pool).build());
    JdbcApiKeyStore nodeB = open(builder(open(Databases.pool(url, "postgres", "postgres", "pg-b")),
        Duration.ofHours(1)).build());
    List<String> heard = new CopyOnWriteArrayList<>();
    nodeB.subscribe(heard::add);
    await().until(() -> nodeB.watcher().listening());
    // positioned() waits for the first poll (which started the listener) to finish; the next
    // poll is an hour away
    assertThat(nodeB.watcher().positioned()).isTrue();
    ApiKey k = key();
    nodeA.create(k);
    nodeA.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
    // only NOTIFY can deliver this
    await().untilAsserted(() -> assertThat(heard).contains(k.id()));
  }

  @Test
  void closeStopsThePollerAndTheListeningConnection() throws Exception {
    HikariDataSource ds = open(Databases.pool(url, "postgres", "postgres", "pg-close"));
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    JdbcApiKeyStore s = builder(ds).build();
    s.subscribe(id -> {});
    await().until(() -> s.watcher().listening());
    List<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().startsWith("keygate-jdbc-"))
        .toList();
    assertThat(started).extracting(Thread::getName)
        .containsExactlyInAnyOrder("keygate-jdbc-changes", "keygate-jdbc-listen");
    // an application that forgets close() can still exit
    assertThat(started).allMatch(Thread::isDaemon);
    // closed from a thread that was interrupted: it still stops everything, and keeps the
    // interrupt for its caller
    Thread.currentThread().interrupt();
    s.close();
    assertThat(Thread.interrupted()).isTrue();
    for (Thread t : started) {
      await().until(() -> !t.isAlive());
    }
    // the LISTEN connection went back to the pool; nothing else holds one between calls
    assertThat(ds.getHikariPoolMXBean().getActiveConnections()).isZero();
    // and it went back without its subscription: the next borrower must not receive notices
    List<Connection> all = new ArrayList<>();
    try {
      for (int i = 0; i < ds.getHikariPoolMXBean().getTotalConnections(); i++) {
        all.add(ds.getConnection());
      }
      for (Connection c : all) {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_listening_channels()")) {
          rs.next();
          assertThat(rs.getInt(1)).isZero();
        }
      }
    } finally {
      for (Connection c : all) {
        c.close();
      }
    }
  }

  @Test
  void aListeningConnectionThatIsCutIsReplacedAndTheLogSaysSo() throws Exception {
    Logs logs = open(new Logs(PgNotificationListener.class));
    JdbcApiKeyStore node = open(builder(pool).build()); // polls every 100 ms: retries as often
    node.subscribe(id -> {});
    await().until(() -> node.watcher().listening());
    assertThat(terminate("LISTEN \"" + prefix + "key_changes\"")).isEqualTo(1);
    await().until(() -> logs.messages(Level.INFO),
        m -> m.contains("LISTEN connection for " + prefix + "key_changes is back"));
    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .startsWith("LISTEN connection for " + prefix + "key_changes failed (SQLState ")
        .endsWith("); polling still runs; reconnecting every 100 ms");
    assertThat(node.watcher().listening()).isTrue();
  }

  @Test
  void aPollerWhoseConnectionIsCutTakesAnotherAndStillHearsChanges() throws Exception {
    JdbcApiKeyStore nodeA = open(builder(pool).build());
    JdbcApiKeyStore nodeB = open(builder(pool).notifications(false).build()); // polling only
    List<String> heard = new CopyOnWriteArrayList<>();
    nodeB.subscribe(heard::add);
    await().until(() -> nodeB.watcher().positioned());
    // the poller keeps one connection between polls; its server process ends here
    await().until(() -> terminate("SELECT seq, key_id FROM " + prefix + "key_changes%") == 1);
    ApiKey k = key();
    nodeA.create(k);
    nodeA.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
    await().untilAsserted(() -> assertThat(heard).contains(k.id()));
  }

  @Test
  void aWriteWhoseConnectionIsCutFailsAsUnavailableAndSaysTheRollbackFailedToo() throws Exception {
    JdbcApiKeyStore s = open(builder(pool).callTimeout(Duration.ofSeconds(30)).build());
    ApiKey k = key();
    s.create(k);
    Lock lock = new Lock(url,
        "SELECT id FROM " + prefix + "api_keys WHERE id = '" + k.id() + "' FOR UPDATE");
    try {
      ExecutorService writer = Executors.newSingleThreadExecutor();
      try {
        var update = writer.submit(() -> s.update(k.toBuilder().name("renamed").build()));
        // the update waits for the row; its server process ends under it
        await().until(() -> terminate("UPDATE " + prefix + "api_keys %") == 1);
        assertThatThrownBy(update::get).cause()
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageStartingWith("key store update failed: SQLState 57P01, ")
            .cause().satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                .isInstanceOf(SQLException.class));
      } finally {
        writer.shutdownNow();
      }
    } finally {
      lock.close();
    }
    assertThat(s.findById(k.id())).contains(k);
  }

  /** Ends the server processes whose current statement is like {@code pattern}; how many. */
  private static int terminate(String pattern) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid))"
            + " FROM pg_stat_activity WHERE query LIKE ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, pattern);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void aListeningConnectionFromAPoolThatDoesNotAutoCommitHearsToo() throws Exception {
    // LISTEN inside a transaction takes effect only at its commit
    HikariConfig config = new HikariConfig();
    config.setDataSource(pool);
    config.setAutoCommit(false);
    config.setPoolName("pg-manual-listen");
    HikariDataSource manual = open(new HikariDataSource(config));
    JdbcApiKeyStore nodeA = open(builder(pool).build());
    JdbcApiKeyStore nodeB = open(builder(manual, Duration.ofHours(1)).build());
    List<String> heard = new CopyOnWriteArrayList<>();
    nodeB.subscribe(heard::add);
    await().until(() -> nodeB.watcher().listening());
    ApiKey k = key();
    nodeA.create(k);
    nodeA.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
    await().untilAsserted(() -> assertThat(heard).contains(k.id()));
  }

  @Test
  void connectionsThatDoNotUnwrapToPgJdbcGetPollingOnlyAndTheLogSaysSo() throws Exception {
    Logs logs = open(new Logs(PgNotificationListener.class));
    JdbcApiKeyStore nodeA = open(builder(pool).build());
    JdbcApiKeyStore nodeB = open(builder(DisguisedDataSource.opaque(pool)).build());
    List<String> heard = new CopyOnWriteArrayList<>();
    nodeB.subscribe(heard::add);
    await().until(() -> logs.messages(Level.INFO), m -> m.contains("the DataSource does not yield"
        + " PgJDBC connections: key changes reach other nodes by polling only"));
    assertThat(nodeB.watcher().listening()).isFalse();
    ApiKey k = key();
    nodeA.create(k);
    nodeA.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
    await().untilAsserted(() -> assertThat(heard).contains(k.id()));
  }

  @Test
  void withNotificationsOffNothingIsSentAndNoConnectionListens() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    JdbcApiKeyStore quiet = open(builder(pool).notifications(false).build());
    quiet.subscribe(id -> {});
    await().until(() -> quiet.watcher().positioned()); // its first poll decided about LISTEN
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> !before.contains(t) && t.getName().equals("keygate-jdbc-listen"))
        .isEmpty();

    JdbcApiKeyStore loud = open(builder(pool).build());
    try (Connection listener = DriverManager.getConnection(url, "postgres", "postgres");
        Statement st = listener.createStatement()) {
      st.execute("LISTEN \"" + prefix + "key_changes\"");
      ApiKey quietKey = key();
      quiet.create(quietKey);
      quiet.update(quietKey.toBuilder().revokedAt(T0.plusSeconds(1)).build());
      ApiKey loudKey = key();
      loud.create(loudKey);
      loud.update(loudKey.toBuilder().revokedAt(T0.plusSeconds(1)).build());
      // notifications arrive in commit order: one sent by the quiet store would come first
      assertThat(notificationsUpTo(listener, loudKey.id())).containsExactly(loudKey.id());
    }
  }

  /** The payloads {@code c} is notified of, until {@code last}. */
  private static List<String> notificationsUpTo(Connection c, String last) {
    PGConnection pg;
    try {
      pg = c.unwrap(PGConnection.class);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    List<String> payloads = new ArrayList<>();
    await().until(() -> {
      PGNotification[] batch = pg.getNotifications(100);
      if (batch != null) {
        for (PGNotification n : batch) {
          payloads.add(n.getParameter());
        }
      }
      return payloads.contains(last);
    });
    return payloads;
  }

  @Test
  void aSchemaCreatedThroughAPoolThatDoesNotAutoCommitIsThere() {
    // PostgreSQL keeps DDL in the transaction: without a commit the tables would vanish
    prefix = prefix + "m_";
    HikariConfig config = new HikariConfig();
    config.setDataSource(pool);
    config.setAutoCommit(false);
    config.setPoolName("pg-manual-commit");
    try (HikariDataSource manual = new HikariDataSource(config)) {
      builder(manual).build().createSchemaIfMissing();
    }
    JdbcApiKeyStore s = open(builder(pool).build());
    ApiKey k = key();
    s.create(k);
    assertThat(s.findById(k.id())).contains(k);
  }

  @Test
  void aReadOnALockedTableGivesUpAfterTheCallTimeout() throws Exception {
    JdbcApiKeyStore s = open(builder(pool).callTimeout(Duration.ofSeconds(1)).build());
    ApiKey k = key();
    s.create(k);
    Lock lock = new Lock(url, "LOCK TABLE " + prefix + "api_keys IN ACCESS EXCLUSIVE MODE");
    try {
      assertTimeoutPreemptively(HANG_GUARD, () ->
          assertThatThrownBy(() -> s.findById(k.id()))
              .isInstanceOf(StoreUnavailableException.class)
              .hasMessageStartingWith("key store findById failed: SQLState 57014, "));
    } finally {
      lock.close();
    }
    assertThat(s.findById(k.id())).contains(k);
  }

  @Test
  void aWriteOnALockedRowGivesUpEvenWhenTheDriversCancelCannotReachTheServer() throws Exception {
    // the server's own timeouts end the wait: the JDBC query timeout only sends a cancel request,
    // which a proxy or firewall between application and database may not pass on
    CancelDroppingRelay relay = open(new CancelDroppingRelay(port));
    HikariDataSource viaRelay = open(Databases.pool(
        "jdbc:postgresql://localhost:" + relay.port() + "/postgres?sslmode=disable",
        "postgres", "postgres", "pg-relay"));
    JdbcApiKeyStore s = open(builder(viaRelay).callTimeout(Duration.ofSeconds(1)).build());
    ApiKey k = key();
    s.create(k);
    ApiKey revoked = k.toBuilder().revokedAt(T0.plusSeconds(1)).build();
    Lock lock = new Lock(url,
        "SELECT id FROM " + prefix + "api_keys WHERE id = '" + k.id() + "' FOR UPDATE");
    try {
      assertTimeoutPreemptively(HANG_GUARD, () ->
          assertThatThrownBy(() -> s.update(revoked))
              .isInstanceOf(StoreUnavailableException.class)
              .hasMessageMatching("key store update failed: SQLState (57014|55P03), .*"));
    } finally {
      lock.close();
    }
    assertThat(s.update(revoked)).isTrue();
  }

  private static ApiKey key() {
    String id = String.format("p%011d", IDS.incrementAndGet());
    return ApiKey.builder().id(id).name("n").hint("kg_test_" + id.substring(0, 4) + "…")
        .secretHash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo").createdAt(T0)
        .build();
  }

  /** The events of one logger, while open. */
  private static final class Logs implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger;

    Logs(Class<?> source) {
      logger = (Logger) LoggerFactory.getLogger(source);
      appender.start();
      logger.addAppender(appender);
    }

    List<String> messages(Level level) {
      synchronized (appender) { // appended under this lock by the store's threads
        return appender.list.stream().filter(e -> e.getLevel() == level)
            .map(ILoggingEvent::getFormattedMessage).toList();
      }
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
    }
  }

  /** A lock taken by a transaction of another connection, held until closed. */
  private static final class Lock implements AutoCloseable {
    private final Connection c;

    Lock(String url, String sql) throws SQLException {
      c = DriverManager.getConnection(url, "postgres", "postgres");
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
    }

    @Override
    public void close() throws SQLException {
      c.rollback();
      c.close();
    }
  }

  /**
   * A TCP relay to PostgreSQL that passes every connection on but drops cancel requests, as some
   * proxies and firewalls do: PgJDBC sends those on a connection of their own.
   */
  private static final class CancelDroppingRelay implements AutoCloseable {
    /** The first eight bytes of a CancelRequest message: its length (16) and its code. */
    private static final int CANCEL_LENGTH = 16;
    private static final int CANCEL_CODE = 80877102;

    private final int target;
    private final ServerSocket server = new ServerSocket(0);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cancel-dropping-relay");
      t.setDaemon(true);
      return t;
    });

    CancelDroppingRelay(int target) throws IOException {
      this.target = target;
      threads.execute(this::accept);
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          sockets.add(client);
          threads.execute(() -> relay(client));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void relay(Socket client) {
      try (client) {
        DataInputStream in = new DataInputStream(client.getInputStream());
        int length = in.readInt();
        int code = in.readInt();
        if (length == CANCEL_LENGTH && code == CANCEL_CODE) {
          return; // dropped: the connection closes without reaching the server
        }
        try (Socket db = new Socket("localhost", target)) {
          sockets.add(db);
          DataOutputStream out = new DataOutputStream(db.getOutputStream());
          out.writeInt(length);
          out.writeInt(code);
          out.flush();
          threads.execute(() -> pump(in, db));
          db.getInputStream().transferTo(client.getOutputStream());
        }
      } catch (IOException closed) {
        // either side went away
      }
    }

    private static void pump(DataInputStream in, Socket db) {
      try {
        in.transferTo(db.getOutputStream());
        db.shutdownOutput();
      } catch (IOException closed) {
        // either side went away
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
      threads.shutdownNow();
    }
  }
}

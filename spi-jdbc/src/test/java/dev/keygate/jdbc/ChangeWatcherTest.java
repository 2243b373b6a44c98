package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKey;
import dev.keygate.KeyChangeListeners;
import dev.keygate.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * How a node learns of other nodes' changes by polling, on H2: which change rows it reports (and
 * how often), what it logs when it cannot read them, and that it needs no LISTEN connection there.
 * Change rows are written here as another node's transaction would write them, with the sequence
 * numbers a real sequence hands out (gaps, numbers committed late).
 */
class ChangeWatcherTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final AtomicInteger IDS = new AtomicInteger();

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<Logger> loggers = List.of(
      (Logger) LoggerFactory.getLogger(ChangeWatcher.class),
      (Logger) LoggerFactory.getLogger(PgNotificationListener.class));
  private final List<AutoCloseable> open = new ArrayList<>();
  private String url;
  private DataSource ds;

  @BeforeEach
  void createDatabase() {
    url = "jdbc:h2:mem:watch" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    ds = H2StoreTest.openH2(url);
    logs.start();
    loggers.forEach(l -> l.addAppender(logs));
  }

  @AfterEach
  void dropDatabase() throws Exception {
    loggers.forEach(l -> l.detachAppender(logs));
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    sql("SHUTDOWN");
  }

  private JdbcApiKeyStore store(DataSource source, Duration pollInterval) {
    JdbcApiKeyStore s = JdbcApiKeyStore.builder().dataSource(source).pollInterval(pollInterval)
        .build();
    open.add(s);
    return s;
  }

  /** A store whose watcher has made its first poll and makes the next only when a test asks. */
  private JdbcApiKeyStore watching(List<String> heard) {
    JdbcApiKeyStore s = store(ds, Duration.ofHours(1));
    s.createSchemaIfMissing();
    s.subscribe(heard::add);
    await().until(() -> s.watcher().positioned());
    return s;
  }

  /** {@link #watching(List)}, started after a change row {@code "before"} numbered {@code seq}. */
  private JdbcApiKeyStore watching(List<String> heard, long seq) throws Exception {
    store(ds, Duration.ofHours(1)).createSchemaIfMissing();
    change(seq, "before");
    return watching(heard);
  }

  @Test
  void aChangeCommittedLateIsReportedOnceAndEveryOtherOnceToo() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    JdbcApiKeyStore node = watching(heard, 5); // the newest change row is number 5
    // 1000 numbers are missing between 5 and 1006: each may still be committed
    change(1006, "after-gap");
    node.watcher().poll();
    assertThat(heard).containsExactly("before", "after-gap");
    change(6, "late-first");
    change(1005, "late-last");
    node.watcher().poll();
    node.watcher().poll();
    node.watcher().poll();
    assertThat(heard).containsExactly("before", "after-gap", "late-first", "late-last");
  }

  @Test
  void changesMadeInTheMinuteBeforeTheWatcherStartedAreReported() throws Exception {
    // a cache may have filled between the first subscription and the first poll
    store(ds, Duration.ofHours(1)).createSchemaIfMissing();
    change(1, "two-minutes-before", T0.minus(Duration.ofMinutes(2)));
    change(2, "half-a-minute-before", T0.minusSeconds(30));
    List<String> heard = new CopyOnWriteArrayList<>();
    JdbcApiKeyStore node = JdbcApiKeyStore.builder().dataSource(ds)
        .clock(Clock.fixed(T0, ZoneOffset.UTC)).pollInterval(Duration.ofHours(1)).build();
    open.add(node);
    node.subscribe(heard::add);
    await().until(() -> node.watcher().positioned());
    assertThat(heard).containsExactly("half-a-minute-before");
  }

  @Test
  void theFirstPollPrunesChangeRowsOlderThanTheRetentionAndSaysHowMany() throws Exception {
    MutableClock clock = new MutableClock(T0);
    JdbcApiKeyStore node = JdbcApiKeyStore.builder().dataSource(ds).clock(clock)
        .changeRetention(Duration.ofMinutes(10)).pollInterval(Duration.ofHours(1)).build();
    open.add(node);
    node.createSchemaIfMissing();
    ApiKey old = key();
    node.create(old);
    node.update(old.toBuilder().name("changed at T0").build());
    clock.advance(Duration.ofMinutes(11));
    ApiKey recent = key();
    node.create(recent);
    node.update(recent.toBuilder().name("changed at T0 + 11 min").build());
    node.subscribe(id -> {});
    await().until(() -> node.watcher().positioned());
    assertThat(messages(Level.DEBUG)).contains("pruned 1 key change rows");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT key_id FROM keygate_key_changes")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(recent.id());
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void aJumpOfMoreThanAThousandNumbersIsNotTrackedNumberByNumber() throws Exception {
    // a sequence that lost its cache in a restart jumps ahead; its skipped numbers never come
    List<String> heard = new CopyOnWriteArrayList<>();
    JdbcApiKeyStore node = watching(heard, 5);
    change(1007, "after-jump");
    node.watcher().poll();
    change(6, "inside-jump");
    change(1008, "next");
    node.watcher().poll();
    assertThat(heard).containsExactly("before", "after-jump", "next");
  }

  @Test
  void aPollerThatCannotReadWarnsOnceAndSaysWhenItHasRecovered() throws Exception {
    JdbcApiKeyStore writer = store(ds, Duration.ofHours(1));
    writer.createSchemaIfMissing();
    List<String> heard = new CopyOnWriteArrayList<>();
    JdbcApiKeyStore node = store(ds, Duration.ofMillis(100));
    node.subscribe(heard::add);
    await().until(() -> node.watcher().positioned());
    sql("ALTER TABLE keygate_key_changes RENAME TO keygate_key_changes_away");
    // every failed poll logs at DEBUG; one WARN for the whole outage
    await().until(() -> messages(Level.DEBUG).stream()
        .filter(m -> m.equals("key change poll failed")).count() >= 3);
    assertThat(messages(Level.WARN)).singleElement().asString()
        .startsWith("key change poller for tables keygate_* cannot read the database"
            + " (SQLState 42S02, error ")
        .endsWith("); other nodes' changes are not seen until it answers again; retrying every"
            + " 100 ms");
    sql("ALTER TABLE keygate_key_changes_away RENAME TO keygate_key_changes");
    await().until(() -> messages(Level.INFO),
        infos -> infos.contains("key change poller for tables keygate_* recovered"));
    ApiKey k = key();
    writer.create(k);
    writer.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
    await().untilAsserted(() -> assertThat(heard).contains(k.id()));
    assertThat(messages(Level.WARN)).hasSize(1);
  }

  @Test
  void aPollerStartedBeforeItsDatabaseExistsCatchesUpOnceItDoes() throws Exception {
    // IFEXISTS: connections fail until someone else has created the database
    String lateUrl = "jdbc:h2:mem:late" + DATABASES.incrementAndGet();
    List<String> heard = new CopyOnWriteArrayList<>();
    JdbcApiKeyStore node = JdbcApiKeyStore.builder()
        .dataSource(H2StoreTest.openH2(lateUrl + ";IFEXISTS=TRUE")).dialect(SqlDialect.H2)
        .pollInterval(Duration.ofMillis(100)).build();
    DataSource creating = H2StoreTest.openH2(lateUrl + ";DB_CLOSE_DELAY=-1");
    try {
      node.subscribe(heard::add);
      await().until(() -> messages(Level.WARN).size() == 1);
      assertThat(node.watcher().positioned()).isFalse();
      JdbcApiKeyStore writer = store(creating, Duration.ofHours(1));
      writer.createSchemaIfMissing();
      await().until(() -> node.watcher().positioned());
      ApiKey k = key();
      writer.create(k);
      writer.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
      await().untilAsserted(() -> assertThat(heard).contains(k.id()));
      assertThat(messages(Level.INFO)).contains("key change poller for tables keygate_* recovered");
    } finally {
      node.close();
      try (Connection c = creating.getConnection(); Statement st = c.createStatement()) {
        st.execute("SHUTDOWN");
      }
    }
  }

  @Test
  void aPollerThatCannotTellTheDialectWarnsAndKeepsTrying() throws Exception {
    JdbcApiKeyStore node = store(DisguisedDataSource.reportingProduct(ds, "ExoticDB"),
        Duration.ofMillis(100));
    node.subscribe(id -> {});
    await().until(() -> messages(Level.DEBUG).stream()
        .filter(m -> m.equals("key change poll failed")).count() >= 3);
    assertThat(messages(Level.WARN)).containsExactly("key change poller for tables keygate_*"
        + " cannot read the database (SQLState null, error 0, SQLException); other nodes' changes"
        + " are not seen until it answers again; retrying every 100 ms");
    synchronized (logs) {
      assertThat(logs.list).filteredOn(e -> e.getMessage().equals("key change poll failed"))
          .allSatisfy(e -> assertThat(e.getThrowableProxy().getCause().getMessage())
              .startsWith("no SQL dialect for database 'ExoticDB'"));
    }
  }

  @Test
  void closingAStoreWhosePollerWaitsForAConnectionEndsThePollQuietly() throws Exception {
    try (HikariDataSource one = pool(ds, 1, true)) {
      JdbcApiKeyStore.builder().dataSource(one).build().createSchemaIfMissing();
      JdbcApiKeyStore node = JdbcApiKeyStore.builder().dataSource(one).dialect(SqlDialect.H2)
          .pollInterval(Duration.ofMillis(100)).build();
      try (Connection taken = one.getConnection()) {
        node.subscribe(id -> {});
        await().until(() -> one.getHikariPoolMXBean().getThreadsAwaitingConnection() == 1);
        node.close(); // interrupts the poller, which is waiting for the pool
      }
      assertThat(messages(Level.WARN)).isEmpty();
    }
  }

  @Test
  void aConnectionThatRefusesAutoCommitIsGivenBackAfterEveryTry() throws Exception {
    JdbcApiKeyStore.builder().dataSource(ds).build().createSchemaIfMissing();
    try (HikariDataSource manual = pool(DisguisedDataSource.refusingAutoCommit(ds), 4, false)) {
      JdbcApiKeyStore node = store(manual, Duration.ofMillis(100));
      node.subscribe(id -> {});
      await().until(() -> messages(Level.DEBUG).stream()
          .filter(m -> m.equals("key change poll failed")).count() >= 3);
      assertThat(messages(Level.WARN)).singleElement().asString()
          .contains("cannot read the database (SQLState HY000, error 0, SQLException)");
      node.close();
      assertThat(manual.getHikariPoolMXBean().getActiveConnections()).isZero();
    }
  }

  private static HikariDataSource pool(DataSource source, int size, boolean autoCommit) {
    HikariConfig c = new HikariConfig();
    c.setDataSource(source);
    c.setMaximumPoolSize(size);
    c.setAutoCommit(autoCommit);
    c.setConnectionTimeout(30_000);
    return new HikariDataSource(c);
  }

  @Test
  void onH2NoConnectionListensForNotifications() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    JdbcApiKeyStore node = watching(new CopyOnWriteArrayList<>());
    assertThat(node.watcher().listening()).isFalse();
    // a LISTEN thread, had one been started by the first poll, is still running or has logged
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> !before.contains(t) && t.getName().equals("keygate-jdbc-listen"))
        .isEmpty();
    synchronized (logs) {
      assertThat(logs.list).noneMatch(e -> e.getLoggerName().endsWith("PgNotificationListener"));
    }
  }

  @Test
  void aMissingNumberIsLookedForDuringTheGapWaitAndNoLonger() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    ChangeWatcher w = unstarted(heard, Clock.systemUTC(), nanos);
    change(5, "before");
    w.poll();
    change(8, "after-gap"); // 6 and 7 may still be committed
    w.poll();
    nanos.addAndGet(ChangeWatcher.GAP_WAIT.toNanos()); // exactly the wait: still looked for
    w.poll();
    change(6, "late-by-the-wait");
    nanos.incrementAndGet(); // read, then 7 is given up
    w.poll();
    change(7, "later");
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    w.poll();
    assertThat(heard).containsExactly("before", "after-gap", "late-by-the-wait");
  }

  @Test
  void changeRowsArePrunedAtTheFirstPollAndThenEveryFiveMinutes() throws Exception {
    MutableClock clock = new MutableClock(T0);
    AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    ChangeWatcher w = unstarted(new CopyOnWriteArrayList<>(), clock, nanos);
    w.poll();
    assertThat(messages(Level.DEBUG)).containsExactly("pruned 0 key change rows");
    change(1, "older-than-retention", T0.minus(Duration.ofDays(2)));
    nanos.addAndGet(Duration.ofMinutes(5).toNanos() - 1);
    w.poll();
    assertThat(changeRows()).isEqualTo(1);
    nanos.incrementAndGet();
    w.poll();
    assertThat(changeRows()).isZero();
    assertThat(messages(Level.DEBUG))
        .containsExactly("pruned 0 key change rows", "pruned 1 key change rows");
  }

  @Test
  void aClosedWatcherThatIsAskedToPollReadsNothingAndFailsNothing() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    ChangeWatcher w = unstarted(heard, Clock.systemUTC(), new AtomicLong());
    change(1, "before");
    w.close(); // a poll scheduled just before close() may still start
    assertThatCode(w::poll).doesNotThrowAnyException();
    assertThat(heard).isEmpty();
    assertThat(w.positioned()).isFalse();
  }

  @Test
  void aChangeReadWhileTheStoreClosesIsNotReported() throws Exception {
    store(ds, Duration.ofHours(1)).createSchemaIfMissing();
    change(5, "before");
    JdbcApiKeyStore node = store(ds, Duration.ofHours(1));
    List<String> heard = new CopyOnWriteArrayList<>();
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    node.subscribe(id -> {
      heard.add(id);
      inListener.countDown();
      try {
        released.await(); // until close() interrupts the poller
      } catch (InterruptedException e) {
        // the first poll goes on
      }
    });
    assertThat(inListener.await(30, TimeUnit.SECONDS)).isTrue(); // the first poll reports "before"
    change(6, "while-closing");
    try {
      CompletableFuture.runAsync(node::close).get(30, TimeUnit.SECONDS);
    } finally {
      released.countDown(); // a listener called again (by a broken watcher) must not hang
    }
    assertThat(heard).containsExactly("before");
    assertThat(messages(Level.WARN)).isEmpty();
  }

  @Test
  void closingFromAnInterruptedThreadKeepsItsInterrupt() throws Exception {
    store(ds, Duration.ofHours(1)).createSchemaIfMissing();
    change(5, "before");
    JdbcApiKeyStore node = store(ds, Duration.ofHours(1));
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    node.subscribe(id -> {
      inListener.countDown();
      boolean done = false;
      while (!done) { // the poller stays busy whatever close() does
        try {
          done = released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          // keep waiting
        }
      }
    });
    assertThat(inListener.await(30, TimeUnit.SECONDS)).isTrue();
    boolean interrupted;
    try {
      Thread.currentThread().interrupt();
      node.close(); // its wait for the poller ends at once
    } finally {
      interrupted = Thread.interrupted();
      released.countDown();
    }
    assertThat(interrupted).isTrue();
  }

  @Test
  void aHealthyPollerNeverSaysItHasRecovered() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    store(ds, Duration.ofHours(1)).createSchemaIfMissing();
    JdbcApiKeyStore node = store(ds, Duration.ofMillis(100));
    node.subscribe(heard::add);
    await().until(() -> node.watcher().positioned());
    change(1, "first");
    await().until(() -> heard.contains("first"));
    change(2, "second");
    // the poller thread has finished the poll that reported "first", and what it logs after it
    await().until(() -> heard.contains("second"));
    assertThat(messages(Level.INFO)).isEmpty();
    assertThat(messages(Level.WARN)).isEmpty();
  }

  @Test
  void aConnectionWhoseDriverThrowsUnexpectedlyIsGivenBackAndReplaced() throws Exception {
    JdbcApiKeyStore writer = store(ds, Duration.ofHours(1));
    writer.createSchemaIfMissing();
    DisguisedDataSource breaking = DisguisedDataSource.breakingOn(ds,
        writer.statements().changesAfter, 1);
    List<String> heard = new CopyOnWriteArrayList<>();
    JdbcApiKeyStore node = JdbcApiKeyStore.builder().dataSource(breaking.dataSource())
        .dialect(SqlDialect.H2).pollInterval(Duration.ofMillis(100)).build();
    open.add(node);
    node.subscribe(heard::add);
    await().until(() -> messages(Level.INFO),
        infos -> infos.contains("key change poller for tables keygate_* recovered"));
    assertThat(messages(Level.WARN)).singleElement().asString()
        .contains("cannot read the database (SQLState null, error 0, ");
    // the first connection was given back after the failure; the poll that recovered took another
    assertThat(breaking.borrowed).hasValue(2);
    assertThat(breaking.givenBack).hasValue(1);
    ApiKey k = key();
    writer.create(k);
    writer.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
    await().untilAsserted(() -> assertThat(heard).contains(k.id()));
  }

  /**
   * A watcher of a store on {@link #ds}, whose schema it creates, that polls only when a test
   * calls {@link ChangeWatcher#poll()} and reads the time for its gaps and pruning from
   * {@code nanos}; closed after the test.
   */
  private ChangeWatcher unstarted(List<String> heard, Clock clock, AtomicLong nanos) {
    JdbcApiKeyStore s = JdbcApiKeyStore.builder().dataSource(ds).clock(clock).build();
    open.add(s);
    s.createSchemaIfMissing();
    KeyChangeListeners listeners = new KeyChangeListeners();
    listeners.add(heard::add);
    ChangeWatcher w = new ChangeWatcher(s, listeners, Duration.ofHours(1), Duration.ofDays(1),
        false, clock, nanos::get);
    open.add(w);
    return w;
  }

  private long changeRows() throws Exception {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM keygate_key_changes")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A change row with sequence number {@code seq}, as another node's transaction writes it. */
  private void change(long seq, String keyId) throws Exception {
    change(seq, keyId, Instant.now());
  }

  private void change(long seq, String keyId, Instant changedAt) throws Exception {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO keygate_key_changes (seq, key_id, changed_at) VALUES (?, ?, ?)")) {
      ps.setLong(1, seq);
      ps.setString(2, keyId);
      SqlDialect.H2.bindInstant(ps, 3, changedAt);
      ps.executeUpdate();
    }
  }

  private List<String> messages(Level level) {
    synchronized (logs) { // appended under this lock by the poller thread
      return logs.list.stream().filter(e -> e.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private static ApiKey key() {
    String id = String.format("w%011d", IDS.incrementAndGet());
    return ApiKey.builder().id(id).name("n").hint("kg_test_" + id.substring(0, 4) + "…")
        .secretHash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo").createdAt(T0)
        .build();
  }

  private void sql(String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}

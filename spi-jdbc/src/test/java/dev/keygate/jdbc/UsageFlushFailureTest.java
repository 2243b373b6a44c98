package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the engine's usage flush does when the store fails, on a real H2 database whose keys table
 * is taken away and given back: a scheduled flush that fails keeps the counts and writes them at
 * the next flush; a final flush (at {@code close()}) that fails loses them, and each warning says
 * which of the two happened.
 */
class UsageFlushFailureTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger recorderLog = (Logger) LoggerFactory.getLogger("dev.keygate.UsageRecorder");
  private DataSource ds;
  private JdbcApiKeyStore store;

  @BeforeEach
  void setUp() {
    ds = H2StoreTest.openH2("jdbc:h2:mem:usage" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    store = JdbcApiKeyStore.builder().dataSource(ds).build();
    store.createSchemaIfMissing();
    logs.start();
    recorderLog.addAppender(logs);
  }

  @AfterEach
  void tearDown() throws Exception {
    recorderLog.detachAppender(logs);
    store.close();
    sql("SHUTDOWN");
  }

  @Test
  void aFailedScheduledFlushKeepsTheCountsAndTheNextFlushWritesThem() throws Exception {
    Keygate keygate = keygate(Duration.ofMillis(20));
    IssuedKey issued = keygate.keys().create(NewKey.named("counted"));
    try (AuthenticationEngine engine = keygate.engine()) { // closing the engine closes the Keygate
      authenticate(engine, issued, 1); // verified and cached: later uses need no store
      await().until(() -> usageCount(issued) == 1);
      sql("ALTER TABLE keygate_api_keys RENAME TO keygate_api_keys_away");
      authenticate(engine, issued, 7);
      await().until(() -> !warnings().isEmpty());
      assertThat(warnings().get(0))
          .startsWith("usage flush failed; the usage counts not yet written stay in memory and are"
              + " retried at the next flush");
      sql("ALTER TABLE keygate_api_keys_away RENAME TO keygate_api_keys");
      await().until(() -> usageCount(issued) == 8);
    }
    assertThat(usageCount(issued)).isEqualTo(8);
  }

  @Test
  void aFailedFinalFlushSaysTheCountsAreLost() throws Exception {
    Keygate keygate = keygate(Duration.ofHours(1)); // only close() flushes
    IssuedKey issued = keygate.keys().create(NewKey.named("counted"));
    AuthenticationEngine engine = keygate.engine();
    authenticate(engine, issued, 5);
    sql("ALTER TABLE keygate_api_keys RENAME TO keygate_api_keys_away");
    engine.close();
    assertThat(warnings()).singleElement().asString()
        .startsWith("final usage flush failed; the usage counts not yet written are only in memory"
            + " and are lost when this process exits");
    sql("ALTER TABLE keygate_api_keys_away RENAME TO keygate_api_keys");
    assertThat(usageCount(issued)).isZero();
  }

  private Keygate keygate(Duration flushInterval) {
    return Keygate.builder().store(store).keyFormat(Node.FORMAT).hasher(Node.HASHER)
        .usageFlushInterval(flushInterval).build();
  }

  private static void authenticate(AuthenticationEngine engine, IssuedKey issued, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(engine.authenticate(AuthenticationRequest.from("127.0.0.1")
          .apiKey(issued.plaintext()).build())).isInstanceOf(Authenticated.class);
    }
  }

  private long usageCount(IssuedKey issued) {
    return store.findById(issued.key().id()).orElseThrow().usageCount();
  }

  private List<String> warnings() {
    synchronized (logs) { // appended under this lock by the flush thread
      return logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
          .map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private void sql(String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}

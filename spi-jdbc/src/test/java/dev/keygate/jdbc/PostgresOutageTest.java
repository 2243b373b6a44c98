package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.AuthenticationResult;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import dev.keygate.Refusal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Stops the real PostgreSQL server under a running node, then starts it again on the same port
 * and data folder: cached keys keep working, uncached ones get 503, and the same store and engine
 * recover by themselves.
 */
class PostgresOutageTest {
  private static final Duration POLL = Duration.ofMillis(200);

  private Path dataDir;
  private int port;
  private EmbeddedPostgres pg;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger jdbcLogger = (Logger) LoggerFactory.getLogger("dev.keygate.jdbc");

  @BeforeEach
  void startServer() throws IOException {
    dataDir = Databases.newFolder("pg-outage");
    port = Databases.freePort();
    pg = Databases.startPostgres(dataDir, port);
    logs.start();
    jdbcLogger.addAppender(logs);
    jdbcLogger.setLevel(Level.DEBUG);
  }

  @AfterEach
  void stopServer() throws IOException {
    jdbcLogger.detachAppender(logs);
    jdbcLogger.setLevel(null);
    pg.close();
    dev.keygate.testing.Trees.deleteTree(dataDir);
  }

  @Test
  void cachedKeysWorkUncachedAre503AndTheSameNodeRecoversWhenTheServerIsBack() throws Exception {
    String url = Databases.postgresUrl(port);
    try (HikariDataSource ds = Databases.pool(url, "postgres", "postgres", "schema")) {
      JdbcApiKeyStore.builder().dataSource(ds).tablePrefix("kg_").build().createSchemaIfMissing();
    }
    try (Node node = Node.start("outage", url, "postgres", "postgres", "kg_", POLL, true,
        Duration.ofSeconds(30), Duration.ofMillis(500))) {
      node.awaitWatching(true);
      IssuedKey cached = node.service.create(NewKey.named("cached"));
      IssuedKey uncached = node.service.create(NewKey.named("uncached"));
      node.assertAuthenticated(cached.plaintext());

      synchronized (logs) {
        logs.list.clear();
      }
      pg.close(); // the database goes away
      for (int i = 0; i < 3; i++) {
        node.assertAuthenticated(cached.plaintext());
        long start = System.nanoTime();
        AuthenticationResult r = node.authenticate(uncached.plaintext());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r).isInstanceOf(Refused.class);
        assertThat(((Refused) r).reason()).isEqualTo(Refusal.UNAVAILABLE);
        assertThat(((Refused) r).status()).isEqualTo(503);
        System.out.printf("[keygate-jdbc outage] uncached key refused 503 in %d ms%n", ms);
      }
      // every failed poll logs at DEBUG; one WARN per outage, not per poll
      await().until(() -> messages("ChangeWatcher", Level.DEBUG).stream()
          .filter(m -> m.startsWith("key change poll failed")).count() >= 5);
      assertThat(warnings("ChangeWatcher")).hasSize(1);

      pg = Databases.startPostgres(dataDir, port); // back, same port, same data
      long back = System.nanoTime();
      awaitAuthenticated(node, uncached.plaintext());
      System.out.printf("[keygate-jdbc outage] first uncached key accepted %d ms after restart%n",
          (System.nanoTime() - back) / 1_000_000);
      node.assertAuthenticated(cached.plaintext());
      IssuedKey fresh = node.service.create(NewKey.named("after the outage"));
      node.assertAuthenticated(fresh.plaintext());

      // the change watcher recovered too: a revoke by another node reaches this one
      try (Node other = Node.start("outage-other", url, "postgres", "postgres", "kg_", POLL, true,
          Duration.ofSeconds(30), Duration.ofSeconds(5))) {
        other.service.revoke(cached.key().id());
        await().until(() -> node.authenticate(cached.plaintext()),
            r -> r instanceof Refused f && f.reason() == Refusal.REVOKED);
      }
      await().untilAsserted(() ->
          assertThat(infos("ChangeWatcher")).anyMatch(m -> m.contains("recovered")));
      assertThat(warnings("ChangeWatcher")).hasSize(1);
    }
    // nothing the store logged, at any level, holds a hash
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("$argon2"));
  }

  private static void awaitAuthenticated(Node node, String plaintext) {
    // HikariCP retries with a back-off of up to a few seconds: the deadline only stops a hang
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> node.authenticate(plaintext), r -> r instanceof AuthenticationResult.Authenticated);
  }

  private List<String> warnings(String loggerSuffix) {
    return messages(loggerSuffix, Level.WARN);
  }

  private List<String> infos(String loggerSuffix) {
    return messages(loggerSuffix, Level.INFO);
  }

  private List<String> messages(String loggerSuffix, Level level) {
    List<ILoggingEvent> events;
    synchronized (logs) { // AppenderBase appends under this lock, from the store's threads
      events = List.copyOf(logs.list);
    }
    return events.stream()
        .filter(e -> e.getLoggerName().endsWith(loggerSuffix) && e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}

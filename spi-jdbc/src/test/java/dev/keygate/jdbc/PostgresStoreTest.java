package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import dev.keygate.ApiKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real PostgreSQL server started for this class. */
class PostgresStoreTest extends JdbcStoreContractTest {
  private static EmbeddedPostgres pg;
  private static HikariDataSource pool;

  @BeforeAll
  static void startServer() throws Exception {
    pg = Databases.startPostgres();
    pool = Databases.pool(Databases.postgresUrl(pg.getPort()), "postgres", "postgres", "pg-main");
  }

  @AfterAll
  static void stopServer() throws Exception {
    pool.close();
    pg.close();
  }

  @Override
  protected DataSource dataSource() {
    return pool;
  }

  @Override
  protected DataSource openDataSource() {
    return Databases.pool(Databases.postgresUrl(pg.getPort()), "postgres", "postgres", "pg-other");
  }

  @Override
  protected void closeDataSource(DataSource ds) {
    ((HikariDataSource) ds).close();
  }

  @Override
  protected SqlDialect expectedDialect() {
    return SqlDialect.POSTGRESQL;
  }

  @Test
  void closeStopsThePollerAndTheListeningConnection() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    JdbcApiKeyStore s = builder(dataSource()).build();
    s.subscribe(id -> {});
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!s.watcher().listening() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().startsWith("keygate-jdbc-"))
        .toList();
    assertThat(started).extracting(Thread::getName)
        .containsExactlyInAnyOrder("keygate-jdbc-changes", "keygate-jdbc-listen");
    s.close();
    for (Thread t : started) {
      t.join(5000);
      assertThat(t.isAlive()).as(t.getName()).isFalse();
    }
    // the LISTEN connection went back to the pool; nothing else holds one between calls
    assertThat(((HikariDataSource) dataSource()).getHikariPoolMXBean().getActiveConnections())
        .isZero();
  }

  @Test
  void anotherNodeHearsChangesByListenNotifyLongBeforeItsPoll() throws Exception {
    DataSource ds = openDataSource();
    try (JdbcApiKeyStore nodeB = JdbcApiKeyStore.builder().dataSource(ds).tablePrefix(prefix)
        .pollInterval(Duration.ofMinutes(10)).build()) {
      List<String> heard = new CopyOnWriteArrayList<>();
      nodeB.subscribe(heard::add);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!nodeB.watcher().listening() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(nodeB.watcher().listening()).isTrue();
      ApiKey k = key(newId(), T0);
      store.create(k);
      store.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
      deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (!heard.contains(k.id()) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(heard).contains(k.id()); // the next poll is 10 minutes away
    } finally {
      closeDataSource(ds);
    }
  }
}

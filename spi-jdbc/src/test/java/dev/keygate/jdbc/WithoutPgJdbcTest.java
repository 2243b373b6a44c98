package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * PgJDBC is an optional dependency, used only for LISTEN/NOTIFY: a PostgreSQL store whose
 * application has another driver (a pool's own, say) must keep working and hear other nodes'
 * changes by polling. The store's classes are loaded here by a class loader that cannot see
 * {@code org.postgresql}; they run on H2 with the PostgreSQL dialect (reads only, which both
 * databases accept alike).
 */
class WithoutPgJdbcTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void withoutPgJdbcAPostgresStoreSaysSoAndHearsChangesByPolling() throws Exception {
    DataSource ds = H2StoreTest.openH2("jdbc:h2:mem:nopgjdbc;DB_CLOSE_DELAY=-1");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger log = (Logger) LoggerFactory.getLogger("dev.keygate.jdbc.ChangeWatcher");
    logs.start();
    log.addAppender(logs);
    try (JdbcApiKeyStore writer = JdbcApiKeyStore.builder().dataSource(ds).build();
        URLClassLoader withoutPgJdbc = new HidingPgJdbc()) {
      writer.createSchemaIfMissing();
      ApiKeyStore reader = postgresStore(withoutPgJdbc, ds);
      try {
        List<String> heard = new CopyOnWriteArrayList<>();
        reader.subscribe(heard::add);
        await().until(() -> infos(logs).contains(
            "PgJDBC is not on the class path: key changes reach other nodes by polling only"));
        ApiKey k = ApiKey.builder().id("k00000000001").name("n").hint("kg_k0000…")
            .secretHash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA").createdAt(T0).build();
        writer.create(k);
        writer.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build());
        await().untilAsserted(() -> assertThat(heard).contains(k.id()));
      } finally {
        ((AutoCloseable) reader).close();
      }
    } finally {
      log.detachAppender(logs);
      try (var c = ds.getConnection(); var st = c.createStatement()) {
        st.execute("SHUTDOWN");
      }
    }
  }

  /** {@code JdbcApiKeyStore.builder().dataSource(ds).dialect(POSTGRESQL)...build()}, from {@code loader}. */
  private static ApiKeyStore postgresStore(ClassLoader loader, DataSource ds) throws Exception {
    Class<?> storeClass = loader.loadClass(JdbcApiKeyStore.class.getName());
    assertThat(storeClass.getClassLoader()).isSameAs(loader);
    Class<?> dialectClass = loader.loadClass(SqlDialect.class.getName());
    Object postgres = dialectClass.getField("POSTGRESQL").get(null);
    Object b = storeClass.getMethod("builder").invoke(null);
    Class<?> builderClass = b.getClass();
    builderClass.getMethod("dataSource", DataSource.class).invoke(b, ds);
    builderClass.getMethod("dialect", dialectClass).invoke(b, postgres);
    builderClass.getMethod("pollInterval", Duration.class).invoke(b, Duration.ofMillis(100));
    return (ApiKeyStore) builderClass.getMethod("build").invoke(b);
  }

  private static List<String> infos(ListAppender<ILoggingEvent> logs) {
    synchronized (logs) { // appended under this lock by the poller thread
      return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /**
   * Loads the store's classes itself, from where the build put them, and refuses every PgJDBC
   * class; everything else (core, SLF4J, H2) comes from the test's own class path.
   */
  private static final class HidingPgJdbc extends URLClassLoader {
    HidingPgJdbc() {
      super(new URL[] {JdbcApiKeyStore.class.getProtectionDomain().getCodeSource().getLocation()},
          WithoutPgJdbcTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.postgresql.")) {
        throw new ClassNotFoundException(name + " (hidden: PgJDBC is not on this class path)");
      }
      if (!name.startsWith("dev.keygate.jdbc.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}

package dev.keygate.jdbc;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * An application as the README sets it up on a file H2 database, run in a JVM of its own by
 * {@link H2FileShutdownTest}: it counts {@code uses} authentications in memory (the flush interval
 * is an hour, so only the final flush writes them), prints the key id, and exits the JVM with the
 * documented shutdown hook.
 *
 * <p>Arguments: the JDBC URL, the number of uses, and {@code h2-first} to make the hook wait until
 * H2's own exit hook has closed the database under the pool's connections (the order that loses
 * counts when the URL leaves H2's closing at exit on) or {@code any-order} to leave the order to
 * the JVM.
 */
final class H2ShutdownApp {
  private H2ShutdownApp() {}

  public static void main(String[] args) throws SQLException {
    String url = args[0];
    int uses = Integer.parseInt(args[1]);
    boolean h2First = args[2].equals("h2-first");
    if (h2First) {
      // the pool hands out an idle connection without checking it first, as it does for one
      // used in the last half second on a busy server: the flush then meets the closed database
      // instead of quietly opening it again
      System.setProperty("com.zaxxer.hikari.aliveBypassWindowMs", Long.toString(Long.MAX_VALUE / 2));
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("sa");
    HikariDataSource pool = new HikariDataSource(config);
    JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).build();
    store.createSchemaIfMissing();
    Keygate keygate = Keygate.builder().store(store).keyFormat(Node.FORMAT).hasher(Node.HASHER)
        .usageFlushInterval(Duration.ofHours(1)).build();
    ApiKeyService keys = keygate.keys();
    AuthenticationEngine engine = keygate.engine();
    // only for h2-first: a connection left open at exit would keep H2 from writing out the
    // database when the pool closes
    Connection probe = h2First ? DriverManager.getConnection(url, "sa", "") : null;
    // the README's shutdown order, in one hook: usage first, then the store, then the pool
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (h2First) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1))
            .until(() -> closed(probe));
      }
      engine.close();
      store.close();
      pool.close();
    }, "app-shutdown"));

    IssuedKey issued = keys.create(NewKey.named("counted"));
    for (int i = 0; i < uses; i++) {
      AuthenticationResult r = engine.authenticate(
          AuthenticationRequest.from("127.0.0.1").apiKey(issued.plaintext()).build());
      if (!(r instanceof AuthenticationResult.Authenticated)) {
        throw new IllegalStateException("refused: " + r);
      }
    }
    System.out.println("key id: " + issued.key().id());
    System.exit(0); // runs every shutdown hook, H2's own among them unless DB_CLOSE_ON_EXIT=FALSE
  }

  /** Whether H2 has closed the database under this connection. */
  private static boolean closed(Connection probe) {
    try (Statement st = probe.createStatement()) {
      st.execute("SELECT 1");
      return false;
    } catch (SQLException e) {
      return true;
    }
  }
}

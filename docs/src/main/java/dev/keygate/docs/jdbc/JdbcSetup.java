package dev.keygate.docs.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.jdbc.JdbcApiKeyStore;

/**
 * spi-jdbc/README.md: Keygate on an H2 file database through HikariCP, with the shutdown order
 * the README asks for. After the README's lines it issues a key and uses it once, then exits:
 * the shutdown hook writes that use to the database.
 */
public final class JdbcSetup {
  private JdbcSetup() {}

  /** Runs in the working directory; prints the key id and the result of one authentication. */
  public static void main(String[] args) {
    // tag::jdbc-setup[]
    HikariConfig config = new HikariConfig();
    // an H2 file database needs both settings (see "H2 file databases"); PostgreSQL, MySQL: any URL
    config.setJdbcUrl("jdbc:h2:file:./keygate-data/keygate;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    config.setUsername("sa");
    HikariDataSource pool = new HikariDataSource(config);       // any DataSource works
    JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).build();
    store.createSchemaIfMissing();                               // or run the scripts with Flyway
    Keygate keygate = Keygate.builder().store(store).keyFormat(KeyFormat.withPrefix("kg_live")).build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      keygate.close();  // writes the usage counted since the last flush
      store.close();
      pool.close();     // last: the flush above still needs a connection
    }));
    // end::jdbc-setup[]
    String key = keygate.keys().create(NewKey.named("jdbc example")).plaintext();
    AuthenticationResult result = keygate.engine().authenticate(
        AuthenticationRequest.from("203.0.113.7").apiKey(key).build());
    System.out.println(result instanceof AuthenticationResult.Authenticated ok
        ? "authenticated " + ok.principal().keyId() : "refused " + result);
  }
}

package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.RateLimit;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import java.time.Duration;

/**
 * One application node as deployed: its own connection pool, store, lifecycle service and
 * authentication engine, on a database shared with other nodes.
 */
final class Node implements AutoCloseable {
  static final KeyFormat FORMAT = KeyFormat.withPrefix("kg_test");
  /** Argon2id at its cheapest, so tests measure the store and not the hash. */
  static final KeyHasher HASHER =
      Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build();

  final HikariDataSource pool;
  final JdbcApiKeyStore store;
  final ApiKeyService service;
  final AuthenticationEngine engine;

  private Node(HikariDataSource pool, JdbcApiKeyStore store, Duration usageFlush) {
    this.pool = pool;
    this.store = store;
    Keygate keygate = Keygate.builder().store(store).keyFormat(FORMAT).hasher(HASHER)
        // a cache far longer than any test: a refusal can only come from an invalidation
        .verifiedKeyCacheDuration(Duration.ofMinutes(30))
        // outage tests send many refused requests from one address
        .failuresPerAddress(new RateLimit(100_000, Duration.ofMinutes(1)))
        .usageFlushInterval(usageFlush)
        .build();
    this.service = keygate.keys();
    this.engine = keygate.engine(); // closing it is closing the Keygate
  }

  /** A node on {@code url} whose store uses {@code prefix}. */
  static Node start(String name, String url, String user, String password, String prefix,
      Duration pollInterval, boolean notifications, Duration usageFlush) {
    return start(name, url, user, password, prefix, pollInterval, notifications, usageFlush,
        Duration.ofSeconds(5));
  }

  /** A node whose pool gives up on a connection after {@code connectionTimeout}. */
  static Node start(String name, String url, String user, String password, String prefix,
      Duration pollInterval, boolean notifications, Duration usageFlush,
      Duration connectionTimeout) {
    HikariDataSource pool = Databases.pool(url, user, password, name, connectionTimeout);
    JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(pool).tablePrefix(prefix)
        .pollInterval(pollInterval).notifications(notifications).build();
    return new Node(pool, store, usageFlush);
  }

  AuthenticationResult authenticate(String plaintext) {
    return engine.authenticate(AuthenticationRequest.from("127.0.0.1").apiKey(plaintext).build());
  }

  void assertAuthenticated(String plaintext) {
    assertThat(authenticate(plaintext)).isInstanceOf(AuthenticationResult.Authenticated.class);
  }

  /** Waits until the change watcher knows where the change table ends (and LISTENs, if asked). */
  void awaitWatching(boolean listening) {
    await("change watcher started").until(() -> {
      ChangeWatcher w = store.watcher();
      return w != null && w.positioned() && (!listening || w.listening());
    });
  }

  @Override
  public void close() {
    engine.close();
    store.close();
    pool.close();
  }
}

package dev.keygate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.ApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testing.RedisServer;
import dev.keygate.testkit.ApiKeyStoreContractTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store wrapped by {@link KeygateRedis#invalidating} keeps the whole store contract (its own
 * announcements do not reach its own listeners twice), and tells its listeners what another node
 * announces, and nothing malformed.
 */
class InvalidatingStoreContractTest extends ApiKeyStoreContractTest {
  private static RedisServer redis;
  private static KeygateRedis node;

  @BeforeAll
  static void start() {
    redis = RedisServer.start(Path.of("target", "redis", "contract"));
    node = KeygateRedis.builder().uri(redis.uri()).build();
  }

  @AfterAll
  static void stop() {
    node.close();
    redis.close();
  }

  @Override
  protected ApiKeyStore newStore() {
    return node.invalidating(new InMemoryApiKeyStore());
  }

  @Test
  void anotherNodesChangesReachTheListenersAndMalformedMessagesDoNot() throws Exception {
    try (KeygateRedis other = KeygateRedis.builder().uri(redis.uri()).build()) {
      ApiKeyStore mine = node.invalidating(new InMemoryApiKeyStore());
      ApiKeyStore theirs = other.invalidating(new InMemoryApiKeyStore());
      List<String> told = new CopyOnWriteArrayList<>();
      try (ApiKeyStore.Subscription s = mine.subscribe(told::add)) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          for (String junk : List.of("no-colon", ":starts-with-colon", "ends-with-colon:", "n:" + "x".repeat(201))) {
            c.sync().publish("keygate:keys-changed", junk);
          }
          c.sync().publish("other-channel", "n:elsewhere");
        } finally {
          client.shutdown();
        }
        String id = newId();
        theirs.create(key(id, Instant.parse("2026-01-01T10:00:00Z")));
        assertThat(theirs.delete(id)).isTrue();
        await().until(() -> told.contains(id));
        assertThat(told).containsExactly(id);
      }
    }
  }
}

package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.spring.boot.plain.PlainApp;
import dev.keygate.testing.RedisServer;
import dev.keygate.testkit.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot applications as the nodes of a fleet behind a load balancer, over real HTTP: each
 * its own context, embedded server, Keygate and caches, all on one H2 database (which pushes no
 * changes: each node would only learn of another's change by polling, made hourly here, or when
 * its hour-long cache expires) and one real redis-server.
 */
class RedisFleetTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  /** Every node's clock: it does not move, so no bucket refills during a test. */
  private static final MutableClock CLOCK = MutableClock.atEpochOfTests();

  private static RedisServer redis;
  private static Node a;
  private static Node b;
  private static Node silent;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  /** What the test adds to {@link PlainApp}: the clock, and the store polling for changes hourly. */
  @Configuration(proxyBeanMethods = false)
  static class FleetNode {
    @Bean
    Clock clock() {
      return CLOCK;
    }

    @Bean
    JdbcApiKeyStore keygateStore(DataSource dataSource) {
      return JdbcApiKeyStore.builder().dataSource(dataSource).pollInterval(Duration.ofHours(1)).build();
    }
  }

  /** One node: a Spring Boot application on a random port. */
  record Node(ConfigurableApplicationContext context, int port) implements AutoCloseable {
    static Node start(String database, String redisUrl, String... more) {
      List<String> properties = new ArrayList<>(List.of("server.port=0",
          "spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
          "spring.liquibase.enabled=false",
          "keygate.hasher.memory-kib=1024", "keygate.hasher.iterations=1",
          "keygate.cache.ttl=1h",
          "keygate.redis.url=" + redisUrl, "keygate.redis.timeout=2s", "keygate.redis.retry-interval=100ms"));
      properties.addAll(List.of(more));
      ConfigurableApplicationContext context = new SpringApplicationBuilder(PlainApp.class, FleetNode.class)
          .properties(properties.toArray(String[]::new)).run();
      return new Node(context, Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    Keygate keygate() {
      return context.getBean(Keygate.class);
    }

    HttpResponse<String> get(IssuedKey key) throws IOException, InterruptedException {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello"))
          .header("X-API-Key", key.plaintext()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    int status(IssuedKey key) throws IOException, InterruptedException {
      return get(key).statusCode();
    }

    @Override
    public void close() {
      context.close();
    }
  }

  @BeforeAll
  static void startFleet() {
    redis = RedisServer.start(Path.of("target", "redis", "RedisFleetTest"));
    String database = "redis-fleet-" + UUID.randomUUID();
    a = Node.start(database, redis.uri());
    b = Node.start(database, redis.uri());
    silent = Node.start(database, redis.uri(), "keygate.redis.key-changes=never");
  }

  @AfterAll
  static void stopFleet() {
    for (Node n : new Node[] {silent, b, a}) {
      if (n != null) {
        n.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void closeOthers() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  @Test
  void aKeysLimitHoldsForTheFleetAndThenEveryNodeAnswers429() throws Exception {
    IssuedKey k = a.keygate().keys().create(NewKey.named("five a minute").withOwner("acme")
        .withRateLimit(RateLimit.perMinute(5)));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add((i % 2 == 0 ? a : b).status(k));
    }
    assertThat(statuses).as("5 over both nodes").containsOnly(200);
    for (Node n : List.of(b, a, silent)) {
      HttpResponse<String> refused = n.get(k);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
          assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    }
  }

  @Test
  void aRevocationThroughOneNodeIsRefusedByTheOtherOverRedis() throws Exception {
    IssuedKey k = a.keygate().keys().create(NewKey.named("to revoke").withOwner("acme"));
    assertThat(b.status(k)).isEqualTo(200);
    assertThat(silent.status(k)).isEqualTo(200);
    a.keygate().keys().revoke(k.key().id());
    await("node b refuses the revoked key").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> b.status(k) == 401);
    assertThat(b.get(k).body()).contains("API key has been revoked.");
    assertThat(silent.status(k)).as("a node announcing nothing and subscribed to nothing still trusts its cache")
        .isEqualTo(200);
  }

  @Test
  void redisDownAtStartTheNodesStartAndLimitEachAloneUntilItAnswers() throws Exception {
    RedisServer down = RedisServer.start(Path.of("target", "redis", "RedisFleetTest-down"));
    closeAfter.add(down);
    down.stop();
    String database = "redis-down-" + UUID.randomUUID();
    Node d1 = Node.start(database, down.uri());
    closeAfter.add(0, d1);
    Node d2 = Node.start(database, down.uri());
    closeAfter.add(0, d2);
    IssuedKey k = d1.keygate().keys().create(NewKey.named("three a minute").withOwner("acme")
        .withRateLimit(RateLimit.perMinute(3)));
    for (Node n : List.of(d1, d2)) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(n.status(k));
      }
      assertThat(statuses).as("each node's own 3").containsExactly(200, 200, 200, 429);
      assertThat(n.keygate().engine().statistics().sharedLimitsUnavailableSince()).isPresent();
      assertThat(n.keygate().engine().statistics().rateLimitLocalDecisions()).isGreaterThanOrEqualTo(4);
    }

    down.startAgain();
    IssuedKey probe = d1.keygate().keys().create(NewKey.named("probe").withOwner("acme")
        .withRateLimit(RateLimit.perMinute(1_000)));
    await("both nodes share their limits again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          d1.status(probe);
          d2.status(probe);
          return d1.keygate().engine().statistics().sharedLimitsUnavailableSince().isEmpty()
              && d2.keygate().engine().statistics().sharedLimitsUnavailableSince().isEmpty();
        });
    IssuedKey shared = d2.keygate().keys().create(NewKey.named("shared again").withOwner("acme")
        .withRateLimit(RateLimit.perMinute(3)));
    assertThat(List.of(d1.status(shared), d2.status(shared), d1.status(shared), d2.status(shared), d1.status(shared)))
        .containsExactly(200, 200, 200, 429, 429);
  }
}

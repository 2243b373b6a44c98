package dev.keygate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiters;
import dev.keygate.Refusal;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.testing.RedisServer;
import dev.keygate.testkit.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three application nodes, each with its own store, Keygate and connection to Redis, sharing one
 * real PostgreSQL and one real redis-server, as a fleet behind a load balancer would: the limits
 * hold for the fleet, a revocation on one node reaches the others, and Redis may go away and come
 * back without a request failing.
 */
class FleetTest {
  private static final KeyFormat FORMAT = KeyFormat.withPrefix("kg_live");
  /** Argon2id at its cheapest: the tests measure limits and changes, not the hash. */
  private static final KeyHasher HASHER = Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build();
  /** The longest poll interval a JDBC store takes: a change seen within the test came by a push. */
  private static final Duration NO_POLLING = Duration.ofHours(1);
  private static final String CLIENT = "203.0.113.7";

  private static EmbeddedPostgres postgres;
  private static RedisServer redis;

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private final List<AutoCloseable> closeFirst = new ArrayList<>();

  @BeforeAll
  static void startServers() throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    postgres = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(Files.createDirectories(target.resolve("embedded/pg-bin")).toFile())
        .setDataDirectory(Files.createTempDirectory(Files.createDirectories(target.resolve("embedded")), "fleet-pg-"))
        .start();
    JdbcApiKeyStore.builder().dataSource(postgres.getPostgresDatabase()).build().createSchemaIfMissing();
    redis = RedisServer.start(target.resolve("redis/fleet"));
  }

  @AfterAll
  static void stopServers() throws IOException {
    redis.close();
    postgres.close();
  }

  @BeforeEach
  void emptyRedis() {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
    try (var c = client.connect()) {
      c.sync().flushall();
    } finally {
      client.shutdown();
    }
  }

  @AfterEach
  void closeNodes() throws Exception {
    for (AutoCloseable c : closeFirst) {
      c.close();
    }
    for (AutoCloseable c : closeLast) {
      c.close();
    }
  }

  /** One node: its own store on {@code database}, its own Redis connection, its own Keygate. */
  private final class Node {
    final KeygateRedis redisLink;
    final Keygate keygate;

    Node(DataSource database, boolean listen, Function<KeygateRedis, RateLimiters> limits,
        boolean announceOverRedis) {
      redisLink = KeygateRedis.builder().uri(redis.uri()).retryInterval(Duration.ofMillis(50)).build();
      ApiKeyStore store = JdbcApiKeyStore.builder().dataSource(database).pollInterval(NO_POLLING)
          .notifications(listen).build();
      keygate = Keygate.builder().store(announceOverRedis ? redisLink.invalidating(store) : store)
          .keyFormat(FORMAT).hasher(HASHER).clock(clock).rateLimiters(limits.apply(redisLink))
          .verifiedKeyCacheDuration(Duration.ofMinutes(30)) // a refusal can only come from a change
          .failuresPerAddress(new RateLimit(10, Duration.ofMinutes(1)))
          .usageFlushInterval(Duration.ZERO).build();
      closeFirst.add(keygate);
      closeLast.add(redisLink);
    }

    AuthenticationResult call(String key) {
      return keygate.engine().authenticate(AuthenticationRequest.from(CLIENT).apiKey(key).build());
    }

    boolean accepts(String key) {
      return call(key) instanceof AuthenticationResult.Authenticated;
    }
  }

  private List<Node> fleet(DataSource database, boolean listen, boolean shared, boolean announce) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(new Node(database, listen, r -> shared ? r.rateLimiters() : RateLimiters.local(), announce));
    }
    return nodes;
  }

  private static Refusal reason(AuthenticationResult r) {
    return r instanceof AuthenticationResult.Refused refused ? refused.reason() : null;
  }

  /**
   * Two simulated minutes of a client sending 3,600 requests a minute with a key limited to 600,
   * spread evenly over the nodes: the requests of the second minute that were accepted.
   */
  private int acceptedInSecondMinute(List<Node> nodes) {
    String key = nodes.get(0).keygate.keys().create(NewKey.named("limited").withOwner("acme")
        .withRateLimit(RateLimit.perMinute(600))).plaintext();
    int accepted = 0;
    for (int step = 0; step < 1200; step++) { // 100 ms steps
      for (int i = 0; i < 6; i++) {
        AuthenticationResult r = nodes.get(i % 3).call(key);
        if (r instanceof AuthenticationResult.Authenticated) {
          accepted += step >= 600 ? 1 : 0;
        } else {
          assertThat(reason(r)).isEqualTo(Refusal.RATE_LIMITED);
        }
      }
      clock.advance(Duration.ofMillis(100));
    }
    return accepted;
  }

  @Test
  void aKeyLimitedTo600AMinuteGets600FromThreeNodes() {
    int shared = acceptedInSecondMinute(fleet(postgres.getPostgresDatabase(), true, true, false));
    int alone = acceptedInSecondMinute(fleet(postgres.getPostgresDatabase(), true, false, false));
    System.out.printf("accuracy: a key limited to 600/min, 3,600 requests/min over 3 nodes: %d accepted a minute "
        + "with the limits in Redis, %d with each node's own%n", shared, alone);
    assertThat(shared).isBetween(600, 660);
    assertThat(alone).as("each node alone lets 600 through").isBetween(1790, 1810);
  }

  @Test
  void failuresFromOneAddressAreCountedOnceAcrossTheFleet() {
    List<Node> nodes = fleet(postgres.getPostgresDatabase(), true, true, false);
    int invalid = 0;
    int throttled = 0;
    for (int i = 0; i < 30; i++) {
      String unknown = FORMAT.generate().plaintext(); // well formed, in no store
      Refusal r = reason(nodes.get(i % 3).call(unknown));
      invalid += r == Refusal.INVALID_KEY ? 1 : 0;
      throttled += r == Refusal.RATE_LIMITED ? 1 : 0;
    }
    assertThat(invalid).as("10 failures a minute for the address, fleet-wide").isEqualTo(10);
    assertThat(throttled).isEqualTo(20);
    // and every node turns the address away before any work once it has been told
    for (Node n : nodes) {
      assertThat(reason(n.call(FORMAT.generate().plaintext()))).isEqualTo(Refusal.RATE_LIMITED);
    }
  }

  /**
   * Five simulated minutes of wrong secrets for one key, five a second from one address spread
   * over the nodes: the hashes the fleet ran for them.
   */
  private long hashesForAFloodFromOneAddress(List<Node> nodes) {
    IssuedKey target = nodes.get(0).keygate.keys().create(NewKey.named("target").withOwner("acme"));
    for (int i = 0; i < 1500; i++) {
      String forged = FORMAT.generate(target.key().id()).plaintext(); // the id, another secret each time
      Refusal r = reason(nodes.get(i % 3).call(forged));
      assertThat(r).isIn(Refusal.INVALID_KEY, Refusal.RATE_LIMITED);
      clock.advance(Duration.ofMillis(200));
    }
    return nodes.stream().mapToLong(n -> n.keygate.engine().statistics().hashes()).sum();
  }

  @Test
  void aFloodFromOneAddressBuysOneBudgetOfHashesFromTheFleet() {
    long shared = hashesForAFloodFromOneAddress(fleet(postgres.getPostgresDatabase(), true, true, false));
    long alone = hashesForAFloodFromOneAddress(fleet(postgres.getPostgresDatabase(), true, false, false));
    System.out.printf("failure throttle: 1,500 wrong secrets in 5 minutes from one address over 3 nodes, 10 failures"
        + " a minute allowed: %d hashes with the limits in Redis, %d with each node's own%n", shared, alone);
    assertThat(shared).as("10 at once, then 10 a minute, for the fleet").isBetween(55L, 62L);
    assertThat(alone).isGreaterThan(150L);
  }

  @Test
  void anApplicationLimitHoldsForTheFleet() {
    List<Node> nodes = fleet(postgres.getPostgresDatabase(), true, true, false);
    int allowed = 0;
    for (int i = 0; i < 15; i++) {
      allowed += nodes.get(i % 3).keygate.rateLimiter("signup", RateLimit.perMinute(5)).tryAcquire(CLIENT) == 0 ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(5);
  }

  /** Revokes a key every node has cached on node 0; returns how long until nodes 1 and 2 refused it. */
  private static long revokeAndAwait(List<Node> nodes, String label) {
    IssuedKey key = nodes.get(0).keygate.keys().create(NewKey.named(label).withOwner("acme"));
    for (Node n : nodes) {
      assertThat(n.accepts(key.plaintext())).isTrue();
    }
    long start = System.nanoTime();
    nodes.get(0).keygate.keys().revoke(key.key().id());
    assertThat(reason(nodes.get(0).call(key.plaintext()))).isEqualTo(Refusal.REVOKED);
    await(label).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
        .until(() -> !nodes.get(1).accepts(key.plaintext()) && !nodes.get(2).accepts(key.plaintext()));
    assertThat(reason(nodes.get(1).call(key.plaintext()))).isEqualTo(Refusal.REVOKED);
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void aRevocationReachesTheOtherNodesByListenNotify() {
    List<Node> nodes = fleet(postgres.getPostgresDatabase(), true, true, false);
    revokeAndAwait(nodes, "warm-up"); // also waits until the nodes LISTEN
    long millis = revokeAndAwait(nodes, "listen-notify");
    System.out.printf("revocation: reached the 2 other nodes in %d ms (PostgreSQL LISTEN/NOTIFY, polling 1 h)%n",
        millis);
  }

  @Test
  void aRevocationReachesTheOtherNodesOverRedisOnAStoreWithoutPush() throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "embedded")), "fleet-h2-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir",
        dir.toAbsolutePath().toString()).start();
    closeLast.add(h2::stop);
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:tcp://localhost:" + port + "/fleet");
    database.setUser("sa");
    JdbcApiKeyStore.builder().dataSource(database).build().createSchemaIfMissing();

    List<Node> nodes = fleet(database, false, true, true);
    Node unannounced = new Node(database, false, r -> r.rateLimiters(), false);
    IssuedKey control = nodes.get(0).keygate.keys().create(NewKey.named("control").withOwner("acme"));
    assertThat(unannounced.accepts(control.plaintext())).isTrue();
    long millis = revokeAndAwait(nodes, "pub-sub");
    nodes.get(0).keygate.keys().revoke(control.key().id());
    System.out.printf("revocation: reached the 2 other nodes in %d ms (Redis pub/sub, an H2 server without push, "
        + "polling 1 h)%n", millis);
    assertThat(unannounced.accepts(control.plaintext())).as("a node not subscribed still has it cached").isTrue();
  }

  @Test
  void redisStoppedMidRunAndStartedAgain() {
    List<Node> nodes = fleet(postgres.getPostgresDatabase(), true, true, false);
    String busy = nodes.get(0).keygate.keys().create(NewKey.named("busy").withOwner("acme")
        .withRateLimit(RateLimit.perMinute(1_000_000))).plaintext();
    for (int i = 0; i < 30; i++) {
      assertThat(nodes.get(i % 3).accepts(busy)).isTrue();
    }
    redis.stop();
    try {
      for (int i = 0; i < 300; i++) {
        assertThat(nodes.get(i % 3).call(busy)).as("request %d while Redis is down", i)
            .isInstanceOf(AuthenticationResult.Authenticated.class);
      }
      for (Node n : nodes) {
        assertThat(n.keygate.engine().statistics().sharedLimitsUnavailableSince()).isPresent();
        assertThat(n.keygate.engine().statistics().rateLimitLocalDecisions()).isGreaterThan(0);
      }
    } finally {
      redis.startAgain();
    }
    await("shared limits resumed").atMost(Duration.ofSeconds(30)).until(() -> {
      for (Node n : nodes) {
        assertThat(n.call(busy)).isInstanceOf(AuthenticationResult.Authenticated.class);
      }
      return nodes.stream().allMatch(n -> n.keygate.engine().statistics().sharedLimitsUnavailableSince().isEmpty());
    });
    String limited = nodes.get(0).keygate.keys().create(NewKey.named("three").withOwner("acme")
        .withRateLimit(RateLimit.perMinute(3))).plaintext();
    int accepted = 0;
    for (int i = 0; i < 9; i++) {
      accepted += nodes.get(i % 3).accepts(limited) ? 1 : 0;
    }
    assertThat(accepted).as("3 a minute for the fleet again").isEqualTo(3);
  }
}

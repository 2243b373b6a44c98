package dev.keygate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import dev.keygate.RateLimiters;
import dev.keygate.testing.LogCapture;
import dev.keygate.testing.RedisServer;
import dev.keygate.testkit.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token buckets in a real redis-server, shared by two "nodes" (two KeygateRedis on one Redis). */
class RedisRateLimitersTest {
  private static RedisServer redis;
  private static RedisClient admin;
  private static StatefulRedisConnection<String, String> adminConnection;

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private KeygateRedis nodeA;
  private KeygateRedis nodeB;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start(Path.of("target", "redis", "limiters"));
    admin = RedisClient.create(redis.uri());
    adminConnection = admin.connect();
  }

  @AfterAll
  static void stopRedis() {
    adminConnection.close();
    admin.shutdown();
    redis.close();
  }

  @BeforeEach
  void connect() {
    adminConnection.sync().flushall();
    nodeA = KeygateRedis.builder().uri(redis.uri()).retryInterval(Duration.ofMillis(50)).build();
    nodeB = KeygateRedis.builder().uri(redis.uri()).retryInterval(Duration.ofMillis(50)).build();
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
  }

  private static void unpause() {
    adminConnection.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
        new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE"));
  }

  private RateLimiter limiter(KeygateRedis node, String name, RateLimit limit) {
    return node.rateLimiters().limiter(name, limit, clock);
  }

  @Test
  void twoNodesTakeFromOneBucket() {
    RateLimit fivePerMinute = RateLimit.perMinute(5);
    RateLimiter a = limiter(nodeA, "test", fivePerMinute);
    RateLimiter b = limiter(nodeB, "test", fivePerMinute);
    for (int i = 0; i < 5; i++) {
      assertThat((i % 2 == 0 ? a : b).tryAcquire("client")).as("token %d", i).isZero();
    }
    // both nodes see the bucket empty: a token comes back every 12 s
    assertThat(a.tryAcquire("client")).isEqualTo(12);
    assertThat(b.tryAcquire("client")).isEqualTo(12);
    clock.advance(Duration.ofSeconds(6));
    assertThat(b.tryAcquire("client")).as("half a token").isEqualTo(6);
    clock.advance(Duration.ofSeconds(6));
    assertThat(a.tryAcquire("client")).isZero();
    assertThat(b.tryAcquire("client")).isEqualTo(12);
    // other keys and other names have buckets of their own
    assertThat(a.tryAcquire("another client")).isZero();
    assertThat(limiter(nodeB, "other", fivePerMinute).tryAcquire("client")).isZero();
    assertThat(nodeA.rateLimiters().localDecisions()).isZero();
    assertThat(nodeA.rateLimiters().sharedUnavailableSince()).isEmpty();
  }

  @Test
  void aLimitGivenPerCallSizesTheBucket() {
    RateLimiter a = limiter(nodeA, "keys", new RateLimit(1, Duration.ofSeconds(1)));
    RateLimit twoPerHour = new RateLimit(2, Duration.ofHours(1));
    assertThat(a.tryAcquire("k1", twoPerHour)).isZero();
    assertThat(a.tryAcquire("k1", twoPerHour)).isZero();
    assertThat(a.tryAcquire("k1", twoPerHour)).isEqualTo(1800);
    assertThat(adminConnection.sync().pttl("keygate:limit:keys:k1")).isBetween(1L, 3_601_000L);
  }

  @Test
  void peeksAnswerFromWhatTheNodeLastLearnedWithoutARoundTrip() {
    RateLimit threePerMinute = RateLimit.perMinute(3);
    RateLimiter a = limiter(nodeA, "failures", threePerMinute);
    RateLimiter b = limiter(nodeB, "failures", threePerMinute);
    assertThat(b.retryAfter("addr")).isZero();
    assertThat(b.spent("addr")).isZero();
    a.tryAcquire("addr");
    a.tryAcquire("addr");
    // B has not taken from the bucket: it knows nothing of it yet
    assertThat(b.spent("addr")).isZero();
    assertThat(a.spent("addr")).isEqualTo(2.0);
    assertThat(b.tryAcquire("addr")).isZero();
    assertThat(b.spent("addr")).isEqualTo(3.0);
    assertThat(b.retryAfter("addr")).isEqualTo(20);
    clock.advance(Duration.ofSeconds(10));
    assertThat(b.spent("addr")).isEqualTo(2.5);
    assertThat(b.retryAfter("addr")).isEqualTo(10);
    clock.advance(Duration.ofSeconds(10));
    assertThat(b.retryAfter("addr")).isZero();
  }

  @Test
  void aPeekNeverPromisesATokenRedisWouldRefuse() {
    // many refills leave fractions (0.99999999999999922 tokens) that must not read as a whole token
    RateLimiter a = limiter(nodeA, "fractions", RateLimit.perMinute(10));
    int promisedAndRefused = 0;
    for (int i = 0; i < 3000; i++) {
      clock.advance(Duration.ofMillis(200));
      boolean promised = a.retryAfter("addr") == 0;
      boolean taken = a.tryAcquire("addr") == 0;
      promisedAndRefused += promised && !taken ? 1 : 0;
      assertThat(a.spent("addr")).isBetween(0.0, 10.0);
    }
    assertThat(promisedAndRefused).isZero();
  }

  @Test
  void theSharedPeekSeesWhatOtherNodesTook() {
    RateLimit two = RateLimit.perMinute(2);
    RateLimiter a = limiter(nodeA, "shared-peek", two);
    RateLimiter b = limiter(nodeB, "shared-peek", two);
    a.tryAcquire("addr");
    a.tryAcquire("addr");
    assertThat(b.retryAfter("addr")).as("B has learned nothing yet").isZero();
    assertThat(b.retryAfterShared("addr")).as("Redis knows").isEqualTo(30);
    assertThat(b.retryAfter("addr")).as("and B remembers what Redis said").isEqualTo(30);
    assertThat(adminConnection.sync().hget("keygate:limit:shared-peek:addr", "t")).startsWith("0");
    clock.advance(Duration.ofSeconds(30));
    assertThat(b.retryAfterShared("addr")).isZero();
    assertThat(b.tryAcquire("addr")).as("the peek took nothing").isZero();
  }

  @Test
  void anOutageStartsFromTheBucketRedisLastDescribed() throws Exception {
    KeygateRedis impatient = KeygateRedis.builder().uri(redis.uri()).timeout(Duration.ofMillis(20))
        .retryInterval(Duration.ofSeconds(10)).build();
    try (impatient) {
      RateLimiter limiter = limiter(impatient, "seeded", RateLimit.perMinute(5));
      for (int i = 0; i < 5; i++) {
        assertThat(limiter.tryAcquire("x")).isZero();
      }
      adminConnection.sync().clientPause(5_000);
      try {
        assertThat(limiter.tryAcquire("x")).as("still empty, by this node's count").isEqualTo(12);
        assertThat(limiter.retryAfterShared("x")).isEqualTo(12);
        clock.advance(Duration.ofSeconds(12));
        assertThat(limiter.tryAcquire("x")).isZero();
        assertThat(limiter.tryAcquire("x")).isEqualTo(12);
        assertThat(impatient.rateLimiters().localDecisions()).isEqualTo(4);
      } finally {
        unpause();
      }
    }
  }

  @Test
  void buildingDoesNotWaitForAServerThatNeverAnswers() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      // accepts connections (the backlog does) and never answers the handshake
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        try (KeygateRedis node = KeygateRedis.builder().uri("redis://127.0.0.1:" + silent.getLocalPort())
            .timeout(Duration.ofMillis(20)).build()) {
          RateLimiter limiter = limiter(node, "silent", RateLimit.perMinute(1));
          assertThat(limiter.tryAcquire("x")).isZero();
          assertThat(limiter.tryAcquire("x")).isEqualTo(60);
          assertThat(node.rateLimiters().localDecisions()).isEqualTo(2);
          assertThat(node.invalidating(new dev.keygate.memory.InMemoryApiKeyStore())).isNotNull();
        }
      });
    }
  }

  @Test
  void aNodeWhoseClockIsBehindRefillsNothing() {
    RateLimit onePerMinute = RateLimit.perMinute(1);
    RateLimiter a = limiter(nodeA, "skew", onePerMinute);
    MutableClock behind = MutableClock.atEpochOfTests();
    behind.advance(Duration.ofSeconds(-30));
    RateLimiter b = nodeB.rateLimiters().limiter("skew", onePerMinute, behind);
    assertThat(a.tryAcquire("x")).isZero();
    assertThat(b.tryAcquire("x")).isEqualTo(60);
  }

  @Test
  void aScriptRedisForgotIsSentAgain() {
    RateLimiter a = limiter(nodeA, "flushed", RateLimit.perMinute(2));
    assertThat(a.tryAcquire("x")).isZero();
    adminConnection.sync().scriptFlush();
    assertThat(a.tryAcquire("x")).isZero();
    assertThat(a.tryAcquire("x")).isEqualTo(30);
    assertThat(nodeA.rateLimiters().localDecisions()).isZero();
  }

  @Test
  void aRedisThatDoesNotAnswerInTimeLeavesTheDecisionToTheNode() throws Exception {
    KeygateRedis impatient = KeygateRedis.builder().uri(redis.uri()).timeout(Duration.ofMillis(20))
        .retryInterval(Duration.ofMillis(50)).build();
    try (impatient; LogCapture log = new LogCapture()) {
      RateLimiter limiter = limiter(impatient, "slow", RateLimit.perMinute(1));
      // Redis answers no client for 5 s (CLIENT PAUSE): the call gives up after its 20 ms timeout
      adminConnection.sync().clientPause(5_000);
      try {
        assertThat(limiter.tryAcquire("x")).isZero();
        assertThat(limiter.tryAcquire("x")).as("the node's own bucket, 1 a minute").isEqualTo(60);
        assertThat(impatient.rateLimiters().localDecisions()).isEqualTo(2);
        assertThat(impatient.rateLimiters().sharedUnavailableSince()).isPresent();
      } finally {
        unpause();
      }
      assertThat(log.lines()).filteredOn(l -> l.contains("does not answer")).hasSize(1)
          .allSatisfy(l -> assertThat(l).contains("no answer within 20 ms"));
      await().until(() -> {
        limiter.tryAcquire("y");
        return impatient.rateLimiters().sharedUnavailableSince().isEmpty();
      });
      assertThat(log.lines()).filteredOn(l -> l.contains("answers again")).hasSize(1);
    }
  }

  @Test
  void redisStoppedAndStartedAgain() {
    RateLimiter a = limiter(nodeA, "outage", RateLimit.perMinute(100));
    RateLimiters shared = nodeA.rateLimiters();
    assertThat(a.tryAcquire("x")).isZero();
    try (LogCapture log = new LogCapture()) {
      redis.stop();
      try {
        // no request waits: the connection is seen closed, or the command is refused at once
        for (int i = 0; i < 50; i++) {
          assertThat(a.tryAcquire("x")).isZero();
        }
        assertThat(shared.localDecisions()).isEqualTo(50);
        assertThat(shared.sharedUnavailableSince()).isPresent();
        assertThat(a.retryAfter("x")).as("peeks read the local bucket during the outage").isZero();
        assertThat(a.spent("x")).as("the one Redis counted, then the node's 50").isEqualTo(51.0);
      } finally {
        redis.startAgain();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        a.tryAcquire("x");
        return shared.sharedUnavailableSince().isEmpty();
      });
      assertThat(log.lines()).filteredOn(l -> l.contains("does not answer")).hasSize(1);
      assertThat(log.lines()).filteredOn(l -> l.contains("answers again")).hasSize(1);
    }
    long local = shared.localDecisions();
    assertThat(a.tryAcquire("x")).isZero();
    assertThat(shared.localDecisions()).isEqualTo(local);
    assertThat(adminConnection.sync().hget("keygate:limit:outage:x", "t")).isNotNull();
  }

  @Test
  void keygateStartsWhileRedisIsDownAndConnectsWhenItComesUp() throws Exception {
    RedisServer later = RedisServer.start(Path.of("target", "redis", "later"));
    later.stop();
    try (LogCapture log = new LogCapture();
        KeygateRedis node = KeygateRedis.builder().uri(later.uri()).retryInterval(Duration.ofMillis(20)).build()) {
      RateLimiter limiter = limiter(node, "late", RateLimit.perMinute(1));
      assertThat(limiter.tryAcquire("x")).isZero();
      assertThat(limiter.tryAcquire("x")).isEqualTo(60);
      assertThat(node.rateLimiters().localDecisions()).isEqualTo(2);
      later.startAgain();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        limiter.tryAcquire("z");
        return node.rateLimiters().sharedUnavailableSince().isEmpty();
      });
      assertThat(limiter.tryAcquire("x")).as("Redis's bucket, new and full").isZero();
      assertThat(log.lines()).filteredOn(l -> l.contains("does not answer")).hasSize(1);
    } finally {
      later.close();
    }
  }

  @Test
  void anApplicationClientStaysOpenAfterClose() {
    RedisClient application = RedisClient.create();
    try {
      KeygateRedis node = KeygateRedis.builder().uri(redis.uri()).client(application).build();
      assertThat(limiter(node, "app", RateLimit.perMinute(1)).tryAcquire("x")).isZero();
      node.close();
      try (StatefulRedisConnection<String, String> c = application.connect(io.lettuce.core.RedisURI.create(redis.uri()))) {
        assertThat(c.sync().ping()).isEqualTo("PONG");
      }
    } finally {
      application.shutdown();
    }
  }

  @Test
  void concurrentTakersGetExactlyTheBucket() throws Exception {
    RateLimit hundred = RateLimit.perMinute(100);
    RateLimiter a = limiter(nodeA, "race", hundred);
    RateLimiter b = limiter(nodeB, "race", hundred);
    CountDownLatch go = new CountDownLatch(1);
    java.util.List<CompletableFuture<Integer>> takers = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      RateLimiter mine = t % 2 == 0 ? a : b;
      takers.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        int taken = 0;
        for (int i = 0; i < 60; i++) {
          taken += mine.tryAcquire("shared") == 0 ? 1 : 0;
        }
        return taken;
      }));
    }
    go.countDown();
    int total = 0;
    for (CompletableFuture<Integer> f : takers) {
      total += f.get(60, TimeUnit.SECONDS);
    }
    assertThat(total).as("240 attempts on a bucket of 100, clock standing").isEqualTo(100);
  }

  @Test
  void builderRefusesBadValuesWithoutRepeatingTheUri() {
    assertThatThrownBy(() -> KeygateRedis.builder().uri("http://user:hunter2@host"))
        .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("hunter2");
    assertThatThrownBy(() -> KeygateRedis.builder().timeout(Duration.ZERO))
        .hasMessageContaining("timeout must be between");
    assertThatThrownBy(() -> KeygateRedis.builder().retryInterval(Duration.ofHours(1)))
        .hasMessageContaining("retryInterval must be between");
    assertThatThrownBy(() -> KeygateRedis.builder().keyPrefix("a b")).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> KeygateRedis.builder().build()).hasMessageContaining("uri is required");
    try (KeygateRedis node = KeygateRedis.builder().uri("redis://:hunter2@127.0.0.1:" + redis.port()).build()) {
      assertThat(node.toString()).doesNotContain("hunter2").contains(Integer.toString(redis.port()));
    }
  }
}

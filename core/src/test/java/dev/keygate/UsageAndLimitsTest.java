package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What reaches the store of the usage counted in memory (when, in how many writes, through
 * failures and shutdown), and the token buckets' arithmetic behind every 429.
 */
class UsageAndLimitsTest extends EngineFixture {

  private AuthenticationEngine engine(Duration flushInterval) {
    AuthenticationEngine e = AuthenticationEngine.builder().store(store).format(format)
        .hasher(CountingHasher.cheapArgon2id()).clock(clock).cacheExecutor(Runnable::run)
        .usageFlushInterval(flushInterval).build();
    engines.add(e);
    return e;
  }

  private long usageCount(IssuedKey k) {
    return store.findById(k.key().id()).orElseThrow().usageCount();
  }

  private static Set<String> flushThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().equals("keygate-usage-flush")).map(t -> t.getId() + "")
        .collect(Collectors.toSet());
  }

  // --- usage -----------------------------------------------------------------------------------

  @Test
  void usageIsWrittenOnTheFlushScheduleWithoutAnyCall() {
    AuthenticationEngine engine = engine(Duration.ofMillis(20));
    IssuedKey k = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> usageCount(k) == 1);
  }

  @Test
  void aFlushWritesOnlyWhatIsNewAndNothingWhenNothingIs() {
    AuthenticationEngine engine = engine(Duration.ZERO);
    IssuedKey a = service.create(NewKey.named("a"));
    IssuedKey b = service.create(NewKey.named("b"));
    engine.authenticate(key(a.plaintext()));
    engine.authenticate(key(a.plaintext()));
    engine.authenticate(key(b.plaintext()));
    engine.flushUsage();
    engine.flushUsage();
    engine.authenticate(key(a.plaintext()));
    engine.flushUsage();
    assertThat(store.usageBatches).hasSize(2);
    assertThat(store.usageBatches.get(0)).extracting(UsageRecord::keyId, UsageRecord::count)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(a.key().id(), 2L),
            org.assertj.core.groups.Tuple.tuple(b.key().id(), 1L));
    assertThat(store.usageBatches.get(1)).extracting(UsageRecord::keyId, UsageRecord::count)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(a.key().id(), 1L));
    assertThat(usageCount(a)).isEqualTo(3);
  }

  @Test
  void aCounterIdleForAWholeIntervalIsDroppedAndCountsAgainFromNothing() {
    IssuedKey k = service.create(NewKey.named("a"));
    String id = k.key().id();
    try (UsageRecorder usage = new UsageRecorder(store, Duration.ZERO)) {
      usage.record(id, 1_000);
      usage.flush();
      assertThat(usage.countedKeys()).as("used in the last interval: kept").isEqualTo(1);
      usage.flush();
      assertThat(usage.countedKeys()).as("nothing new for a whole interval: dropped").isZero();
      usage.record(id, 2_000);
      usage.flush();
      assertThat(usageCount(k)).isEqualTo(2);
      assertThat(store.usageBatches).hasSize(2);
    }
  }

  @Test
  void aCountOnACounterTheFlushDroppedMovesToTheKeysNewCounterOnce() {
    IssuedKey k = service.create(NewKey.named("a"));
    String id = k.key().id();
    try (UsageRecorder usage = new UsageRecorder(store, Duration.ZERO)) {
      usage.record(id, 1_000);
      usage.flush();
      UsageRecorder.Counter found = usage.counterFor(id); // a request finds the counter ...
      usage.flush(); // ... the flush drops it as idle ...
      assertThat(found.retired).isTrue();
      usage.count(id, found, 1, 5_000); // ... then the request counts on it
      usage.count(id, found, 1, 4_000); // and another that found it too
      assertThat(usage.countedKeys()).isEqualTo(1);
      assertThat(usage.counterFor(id)).isNotSameAs(found);
      usage.flush();
      usage.flush();
      assertThat(usageCount(k)).as("each count written once").isEqualTo(3);
      assertThat(store.usageBatches.get(1)).singleElement()
          .satisfies(r -> assertThat(r.lastUsedAt()).isEqualTo(Instant.ofEpochMilli(5_000)));
    }
  }

  @Test
  void aCountTheFlushSeesKeepsTheCounterMapped() {
    IssuedKey k = service.create(NewKey.named("a"));
    String id = k.key().id();
    try (UsageRecorder usage = new UsageRecorder(store, Duration.ZERO)) {
      UsageRecorder.Counter found = usage.counterFor(id);
      found.retired = true; // what a flush's drop marks before its last look
      usage.count(id, found, 1, 1_000); // still mapped: the count stays where it is
      assertThat(usage.counterFor(id)).isSameAs(found);
      found.retired = false;
      usage.flush();
      assertThat(usageCount(k)).isEqualTo(1);
    }
  }

  @Test
  void lastUsedNeverMovesBackwardsWhenTheClockDoes() {
    AuthenticationEngine engine = engine(Duration.ZERO);
    IssuedKey k = service.create(NewKey.named("a"));
    Instant later = clock.instant().plus(Duration.ofHours(1));
    clock.set(later);
    engine.authenticate(key(k.plaintext()));
    clock.set(later.minus(Duration.ofMinutes(30)));
    engine.authenticate(key(k.plaintext()));
    engine.flushUsage();
    assertThat(store.usageBatches).singleElement().satisfies(batch ->
        assertThat(batch).singleElement().extracting(UsageRecord::lastUsedAt).isEqualTo(later));
  }

  @Test
  void aRequestAnsweredAfterCloseIsStillWritten() {
    AuthenticationEngine engine = engine(Duration.ZERO);
    IssuedKey k = service.create(NewKey.named("a"));
    engine.authenticate(key(k.plaintext()));
    engine.close();
    assertThat(usageCount(k)).isEqualTo(1);
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(usageCount(k)).as("written at once: nobody else will").isEqualTo(2);
    assertThat(store.usageBatches).hasSize(2);
  }

  @Test
  void aFailedScheduledFlushIsLoggedAndTheNextOneWritesItAll() {
    IssuedKey k = service.create(NewKey.named("a"));
    store.nextUsageFailure = new StoreUnavailableException("connection refused");
    try (LogCapture logs = new LogCapture()) {
      AuthenticationEngine engine = engine(Duration.ofMillis(20));
      engine.authenticate(key(k.plaintext()));
      engine.authenticate(key(k.plaintext()));
      await().atMost(Duration.ofSeconds(30)).until(() -> usageCount(k) == 2);
      assertThat(logs.text()).contains("usage flush failed; the usage counts not yet written stay in memory");
    }
  }

  @Test
  void anErrorInAScheduledFlushDoesNotStopLaterFlushes() {
    IssuedKey k = service.create(NewKey.named("a"));
    store.nextUsageFailure = new StackOverflowError();
    AuthenticationEngine engine = engine(Duration.ofMillis(20));
    engine.authenticate(key(k.plaintext()));
    await().atMost(Duration.ofSeconds(30)).until(() -> store.nextUsageFailure == null);
    engine.authenticate(key(k.plaintext()));
    await().atMost(Duration.ofSeconds(30)).until(() -> usageCount(k) == 2);
  }

  @Test
  void anOutOfMemoryErrorWhileFlushingOnCloseIsNotSwallowed() {
    AuthenticationEngine engine = engine(Duration.ZERO);
    IssuedKey k = service.create(NewKey.named("a"));
    engine.authenticate(key(k.plaintext()));
    store.nextUsageFailure = new OutOfMemoryError("simulated");
    assertThatThrownBy(engine::close).isInstanceOf(OutOfMemoryError.class);
    engine.flushUsage();
    assertThat(usageCount(k)).as("kept for the next flush").isEqualTo(1);
  }

  @Test
  void closingStopsTheFlushThread() {
    Set<String> before = flushThreads();
    AuthenticationEngine engine = engine(Duration.ofMinutes(1));
    Set<String> mine = flushThreads();
    mine.removeAll(before);
    List<Thread> threads = Thread.getAllStackTraces().keySet().stream().filter(t -> mine.contains(t.getId() + "")).toList();
    assertThat(threads).hasSize(1);
    assertThat(threads.get(0).isDaemon()).as("never keeps the JVM alive").isTrue();
    engine.close();
    await().atMost(Duration.ofSeconds(30)).until(() -> !threads.get(0).isAlive());
  }

  @Test
  void closingFromAnInterruptedThreadStillFlushesAndKeepsTheInterrupt() {
    AuthenticationEngine engine = engine(Duration.ofMinutes(1));
    IssuedKey k = service.create(NewKey.named("a"));
    engine.authenticate(key(k.plaintext()));
    Thread.currentThread().interrupt();
    try {
      engine.close();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(usageCount(k)).isEqualTo(1);
  }

  // --- token buckets ---------------------------------------------------------------------------

  @Test
  void checkingForATokenNeverTakesOne() {
    RateLimiter limiter = RateLimiter.of(new RateLimit(2, Duration.ofMinutes(1)), clock);
    assertThat(limiter.retryAfter("a")).isZero();
    assertThat(limiter.tryAcquire("a")).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.retryAfter("a")).isZero();
    }
    assertThat(limiter.tryAcquire("a")).isZero();
    assertThat(limiter.retryAfter("a")).isEqualTo(30);
    assertThat(limiter.tryAcquire("a")).isEqualTo(30);
    assertThat(limiter.defaultLimit()).isEqualTo(new RateLimit(2, Duration.ofMinutes(1)));
  }

  @Test
  void bucketsRefillInProportionToTheTimePassedUpToTheirSize() {
    RateLimiter limiter = RateLimiter.of(new RateLimit(3, Duration.ofSeconds(30)), clock);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("a")).isZero();
    }
    assertThat(limiter.tryAcquire("a")).as("a token every 10 s").isEqualTo(10);
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire("a")).isZero();
    clock.advance(Duration.ofSeconds(5));
    assertThat(limiter.tryAcquire("a")).as("half a token: 5 s to go").isEqualTo(5);
    clock.advance(Duration.ofMillis(4001));
    assertThat(limiter.tryAcquire("a")).as("0.9999 s to go rounds up").isEqualTo(1);
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("a")).as("an idle bucket holds at most its size").isZero();
    }
    assertThat(limiter.tryAcquire("a")).isEqualTo(10);
  }

  @Test
  void aKeysOwnLimitAppliesToItsBucket() {
    RateLimiter limiter = RateLimiter.of(new RateLimit(1, Duration.ofSeconds(1)), clock, 1);
    RateLimit perHour = new RateLimit(4, Duration.ofHours(1));
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAcquire("k", perHour)).isZero();
    }
    assertThat(limiter.tryAcquire("k", perHour)).as("a token every 15 minutes").isBetween(900L, 901L);
  }

  @Test
  void aBucketLeftIdleForItsPeriodIsForgottenFull() {
    RateLimiter limiter = RateLimiter.of(new RateLimit(2, Duration.ofMinutes(5)), clock);
    assertThat(limiter.tryAcquire("a")).isZero();
    assertThat(limiter.tryAcquire("a")).isZero();
    clock.advance(Duration.ofMinutes(4));
    assertThat(limiter.retryAfter("a")).as("1.6 tokens refilled").isZero();
    assertThat(limiter.tryAcquire("a")).isZero();
    assertThat(limiter.tryAcquire("a")).as("0.6 tokens: 60 s to go").isEqualTo(60);
  }
}

package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.hash.KeyHasher;
import dev.keygate.testing.LogCapture;
import dev.keygate.testkit.CountingHasher;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthenticationStatistics} for what is not an outcome: cache lookups, uncached
 * verifications and their time, hashing slots in use, waiting and refused, the store's outage and
 * failed usage flushes.
 */
class ResourceStatisticsTest extends EngineFixture {

  private AuthenticationEngine engine(AuthenticationEngine.Builder b, KeyHasher hasher) {
    AuthenticationEngine e = b.store(store).format(format).hasher(hasher).clock(clock).cacheExecutor(Runnable::run)
        .usageFlushInterval(Duration.ZERO).failureLimit(new RateLimit(1000, Duration.ofMinutes(1))).build();
    engines.add(e);
    return e;
  }

  private static CompletableFuture<AuthenticationResult> inBackground(AuthenticationEngine engine, String k) {
    CompletableFuture<AuthenticationResult> result = new CompletableFuture<>();
    Thread t = new Thread(() -> result.complete(engine.authenticate(key(k))));
    t.setDaemon(true);
    t.start();
    return result;
  }

  @Test
  void aMissVerifiesOnceAndTheHitsThatFollowCostNoVerification() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    AuthenticationStatistics s = engine.statistics();
    String k = service.create(NewKey.named("a")).plaintext();
    long before = System.nanoTime();
    engine.authenticate(key(k));
    long elapsed = System.nanoTime() - before;
    assertThat(s.cacheMisses()).isEqualTo(1);
    assertThat(s.cacheHits()).isZero();
    assertThat(s.verifications()).isEqualTo(1);
    assertThat(s.hashes()).isEqualTo(1);
    assertThat(s.verificationNanos()).as("within the call's own time").isPositive().isLessThanOrEqualTo(elapsed);
    assertThat(s.cachedKeys()).isEqualTo(1);
    long nanos = s.verificationNanos();
    engine.authenticate(key(k));
    engine.authenticate(key(k));
    assertThat(s.cacheHits()).isEqualTo(2);
    assertThat(s.cacheMisses()).isEqualTo(1);
    assertThat(s.verifications()).isEqualTo(1);
    assertThat(s.verificationNanos()).isEqualTo(nanos);
    assertThat(s.hashes()).isEqualTo(1);
  }

  @Test
  void aKeyRefusedBeforeTheCacheIsNoLookupAndAFailureIsRemembered() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    AuthenticationStatistics s = engine.statistics();
    engine.authenticate(key("kg_test_malformed"));
    engine.authenticate(AuthenticationRequest.from(PEER).build());
    assertThat(s.cacheHits() + s.cacheMisses()).isZero();
    String unknown = format.generate().plaintext();
    engine.authenticate(key(unknown));
    engine.authenticate(key(unknown)); // from the failed-key cache
    assertThat(s.cacheMisses()).isEqualTo(2);
    assertThat(s.verifications()).as("the second from memory").isEqualTo(1);
    assertThat(s.hashes()).as("no such id: no hash").isZero();
    assertThat(s.failedKeys()).isEqualTo(1);
    assertThat(s.cachedKeys()).isZero();
  }

  @Test
  void aKeyThatMatchedBeforeIsVerifiedWithoutHashingWhenItsEntryExpires() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().cache(100, Duration.ofSeconds(1)),
        new CountingHasher());
    AuthenticationStatistics s = engine.statistics();
    String k = service.create(NewKey.named("a")).plaintext();
    engine.authenticate(key(k));
    clock.advance(Duration.ofSeconds(2));
    engine.authenticate(key(k));
    assertThat(s.verifications()).isEqualTo(2);
    assertThat(s.hashes()).isEqualTo(1);
    assertThat(s.cacheMisses()).isEqualTo(2);
  }

  @Test
  void slotsInUseWaitingAndRefusedFollowTheHashingSlots() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(1, Duration.ofSeconds(30)), gated);
    AuthenticationStatistics s = engine.statistics();
    String a = service.create(NewKey.named("a")).plaintext();
    String b = service.create(NewKey.named("b")).plaintext();
    assertThat(s.hashingSlots()).isEqualTo(1);
    assertThat(s.hashingSlotsInUse()).isZero();
    gated.close();
    CompletableFuture<AuthenticationResult> first = inBackground(engine, a);
    gated.awaitEntered(1);
    assertThat(s.hashingSlotsInUse()).isEqualTo(1);
    CompletableFuture<AuthenticationResult> second = inBackground(engine, b);
    await().atMost(Duration.ofSeconds(30)).until(() -> s.waitingForHashing() == 1);
    gated.open();
    assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(second.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(s.hashingSlotsInUse()).isZero();
    assertThat(s.waitingForHashing()).isZero();
    assertThat(s.peakConcurrentHashes()).isEqualTo(1);
    assertThat(s.hashingRefused()).isZero();
  }

  @Test
  void noFreeHashingSlotIsCountedAsRefusedForHashingAndAs503() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(2, Duration.ZERO), gated);
    AuthenticationStatistics s = engine.statistics();
    String a = service.create(NewKey.named("a")).plaintext();
    String b = service.create(NewKey.named("b")).plaintext();
    String c = service.create(NewKey.named("c")).plaintext();
    gated.close();
    CompletableFuture<AuthenticationResult> first = inBackground(engine, a);
    CompletableFuture<AuthenticationResult> second = inBackground(engine, b);
    gated.awaitEntered(2); // both slots held
    assertThat(s.hashingSlots()).isEqualTo(2);
    assertThat(s.hashingSlotsInUse()).isEqualTo(2);
    assertThat(reason(engine.authenticate(key(c)))).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(reason(engine.authenticate(key(c)))).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(s.hashingRefused()).isEqualTo(2);
    assertThat(s.refused(Refusal.UNAVAILABLE)).isEqualTo(2);
    assertThat(s.verifications()).as("the refused ones ran to their end too").isEqualTo(2);
    gated.open();
    assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(second.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(key(c))).isInstanceOf(Authenticated.class);
    assertThat(s.hashingRefused()).isEqualTo(2);
    assertThat(s.peakConcurrentHashes()).isEqualTo(2);
    assertThat(s.hashes()).isEqualTo(3);
  }

  @Test
  void withCountingOffAHashingRefusalIsNotCountedEither() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(1, Duration.ZERO).countOutcomes(false),
        gated);
    AuthenticationStatistics s = engine.statistics();
    String a = service.create(NewKey.named("a")).plaintext();
    String b = service.create(NewKey.named("b")).plaintext();
    gated.close();
    CompletableFuture<AuthenticationResult> first = inBackground(engine, a);
    gated.awaitEntered(1); // the one slot held
    assertThat(reason(engine.authenticate(key(b)))).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(s.hashingRefused()).isZero();
    assertThat(s.refused(Refusal.UNAVAILABLE)).isZero();
    gated.open();
    assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
  }

  @Test
  void theStoreIsUnavailableFromTheFirstFailedLookupUntilOneSucceeds() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    AuthenticationStatistics s = engine.statistics();
    String k = service.create(NewKey.named("a")).plaintext();
    String k2 = service.create(NewKey.named("b")).plaintext();
    assertThat(s.storeUnavailableSince()).isEmpty();
    try (LogCapture logs = new LogCapture()) {
      store.down = true;
      Instant down = clock.instant();
      engine.authenticate(key(format.generate().plaintext()));
      clock.advance(Duration.ofSeconds(5));
      engine.authenticate(key(format.generate().plaintext()));
      assertThat(s.storeUnavailableSince()).contains(down);
      assertThat(s.toString()).contains("storeUnavailableSince=" + down);
      store.down = false;
      assertThat(engine.authenticate(key(k))).isInstanceOf(Authenticated.class);
      assertThat(s.storeUnavailableSince()).isEmpty();
      assertThat(engine.authenticate(key(k2))).as("a second lookup after the outage").isInstanceOf(Authenticated.class);
      store.down = true;
      engine.authenticate(key(format.generate().plaintext()));
      assertThat(s.storeUnavailableSince()).as("a new outage, a new start").contains(clock.instant());
      assertThat(logs.text()).as("once per recovery, not per lookup").containsOnlyOnce("key store reachable again");
      assertThat(logs.lines().stream().filter(l -> l.contains("key store unavailable")).count())
          .as("once per outage (two outages), not per failed lookup").isEqualTo(2);
      assertThat(s.hashingRefused()).as("an outage is not a hashing refusal").isZero();
    }
  }

  @Test
  void aFailedUsageFlushIsCountedWhetherOnDemandOrOnClose() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    AuthenticationStatistics s = engine.statistics();
    String k = service.create(NewKey.named("a")).plaintext();
    engine.authenticate(key(k));
    store.nextUsageFailure = new StoreUnavailableException("down");
    assertThatThrownBy(engine::flushUsage).isInstanceOf(StoreUnavailableException.class);
    assertThat(s.usageFlushFailures()).isEqualTo(1);
    engine.flushUsage();
    assertThat(s.usageFlushFailures()).as("a flush that works counts nothing").isEqualTo(1);
    engine.authenticate(key(k));
    store.nextUsageFailure = new StoreUnavailableException("down");
    try (LogCapture logs = new LogCapture()) {
      engine.close();
    }
    assertThat(s.usageFlushFailures()).isEqualTo(2);
  }

  @SuppressWarnings("deprecation")
  @Test
  void theOldStatsMapStillReportsHasherRunsAsVerifications() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().cache(100, Duration.ofSeconds(1)),
        new CountingHasher());
    String k = service.create(NewKey.named("a")).plaintext();
    engine.authenticate(key(k));
    clock.advance(Duration.ofSeconds(2));
    engine.authenticate(key(k));
    assertThat(engine.stats()).containsEntry("verifications", 1L).containsEntry("cachedKeys", 1L);
    assertThat(engine.statistics().verifications()).isEqualTo(2);
  }
}

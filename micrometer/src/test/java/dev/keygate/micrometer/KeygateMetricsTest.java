package dev.keygate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.ApiKey;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.KeygatePrincipal;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import dev.keygate.RateLimiters;
import dev.keygate.Refusal;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import dev.keygate.hash.KeyHasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.ForwardingApiKeyStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every meter of {@link KeygateMetrics} on a real {@link SimpleMeterRegistry}, read after real
 * authentications by a real engine on the in-memory store.
 */
class KeygateMetricsTest {
  private static final String PEER = "203.0.113.7";
  private static final KeyFormat FORMAT = KeyFormat.withPrefix("kg_test");

  private final SwitchableStore store = new SwitchableStore();
  private final BlockingHasher hasher = new BlockingHasher();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Keygate keygate = Keygate.builder().store(store).keyFormat(FORMAT).hasher(hasher)
      .maxConcurrentHashes(1).hashingWait(Duration.ZERO).usageFlushInterval(Duration.ZERO).build();
  private final AuthenticationEngine engine = keygate.engine();

  @AfterEach
  void close() {
    hasher.release.countDown();
    store.usageFails = false;
    keygate.close();
  }

  /** An in-memory store whose lookups and usage writes can be made to fail. */
  static final class SwitchableStore extends ForwardingApiKeyStore {
    volatile boolean down;
    volatile boolean usageFails;

    SwitchableStore() {
      super(new InMemoryApiKeyStore());
    }

    @Override
    public Optional<ApiKey> findById(String id) {
      if (down) {
        throw new StoreUnavailableException("connection refused");
      }
      return super.findById(id);
    }

    @Override
    public void recordUsage(Collection<UsageRecord> usage) {
      if (usageFails) {
        throw new StoreUnavailableException("connection refused");
      }
      super.recordUsage(usage);
    }
  }

  /** Cheap Argon2id; while {@link #hold} is set, a verification waits in its slot for {@link #release}. */
  static final class BlockingHasher implements KeyHasher {
    private final KeyHasher delegate = CountingHasher.cheapArgon2id();
    volatile boolean hold;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String hash(byte[] secret) {
      return delegate.hash(secret);
    }

    @Override
    public boolean verify(String encodedHash, byte[] secret) {
      if (hold) {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.verify(encodedHash, secret);
    }

    @Override
    public boolean needsRehash(String encodedHash) {
      return delegate.needsRehash(encodedHash);
    }

    @Override
    public boolean supports(String encodedHash) {
      return delegate.supports(encodedHash);
    }
  }

  private static AuthenticationRequest key(String key) {
    return AuthenticationRequest.from(PEER).apiKey(key).build();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  private double authentications(String outcome, String method, String reason) {
    return counter("keygate.authentications", "outcome", outcome, "method", method, "reason", reason);
  }

  @Test
  void everyMeterIsRegisteredWithConsistentTagKeys() {
    new KeygateMetrics(engine).bindTo(registry);
    assertThat(registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("keygate.authentications", "keygate.verifications", "keygate.hashes",
            "keygate.cache.size", "keygate.cache.gets", "keygate.hashing.slots.active",
            "keygate.hashing.slots.max", "keygate.hashing.slots.peak", "keygate.hashing.waiting",
            "keygate.hashing.refused", "keygate.usage.flush.failures", "keygate.store.unavailable",
            "keygate.limits.local.decisions", "keygate.limits.shared.unavailable");
    assertThat(registry.get("keygate.authentications").meters()).as("2 methods, 11 refusals, deferred")
        .hasSize(2 + Refusal.values().length + 1)
        .allSatisfy(m -> assertThat(m.getId().getTags()).extracting(t -> t.getKey())
            .containsExactly("method", "outcome", "reason"));
    assertThat(registry.get("keygate.cache.gets").meters()).hasSize(2);
    assertThat(registry.get("keygate.cache.size").meters()).hasSize(2);
    assertThat(registry.getMeters()).hasSize(14 + 1 + 1 + 2 + 2 + 5 + 2 + 2);
    assertThat(registry.get("keygate.verifications").functionTimer().getId().getDescription())
        .isEqualTo("uncached key verifications: store lookup and hash");
    assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getDescription()).isNotBlank());
  }

  @Test
  void outcomesAreCountedByMethodAndReason() {
    new KeygateMetrics(engine).bindTo(registry);
    String k = keygate.keys().create(NewKey.named("a").withScopes("read")).plaintext();
    AuthenticationResult ok = engine.authenticate(key(k));
    engine.authenticate(key(k));
    engine.authenticate(key(FORMAT.generate().plaintext()));
    engine.authenticate(AuthenticationRequest.from(PEER).build());
    engine.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer t").build());
    engine.authorize(((AuthenticationResult.Authenticated) ok).principal(), Set.of("write"), Set.of());
    engine.recordRefusal(Refusal.INSUFFICIENT_SCOPE);

    assertThat(authentications("authenticated", "api_key", "none")).isEqualTo(2);
    assertThat(authentications("authenticated", "bearer", "none")).isZero();
    assertThat(authentications("refused", "none", "invalid_key")).isEqualTo(1);
    assertThat(authentications("refused", "none", "missing_credentials")).isEqualTo(1);
    assertThat(authentications("refused", "none", "insufficient_scope")).isEqualTo(2);
    assertThat(authentications("refused", "none", "unavailable")).isZero();
    assertThat(authentications("deferred", "bearer", "none")).isEqualTo(1);
  }

  @Test
  void aBearerTokenAcceptedIsCountedUnderBearer() {
    try (Keygate bearer = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(FORMAT)
        .bearerAuthenticator(t -> Optional.of(KeygatePrincipal.bearer("sub", null, Set.of()))).build()) {
      new KeygateMetrics(bearer.engine()).bindTo(registry);
      bearer.engine().authenticate(AuthenticationRequest.from(PEER).authorization("Bearer t").build());
      assertThat(authentications("authenticated", "bearer", "none")).isEqualTo(1);
      assertThat(authentications("deferred", "bearer", "none")).isZero();
    }
  }

  @Test
  void verificationsAndTheCacheAreMetered() {
    new KeygateMetrics(engine).bindTo(registry);
    String k = keygate.keys().create(NewKey.named("a")).plaintext();
    engine.authenticate(key(k));
    engine.authenticate(key(k));
    engine.authenticate(key(k));
    engine.authenticate(key(FORMAT.generate().plaintext()));

    FunctionTimer verifications = registry.get("keygate.verifications").functionTimer();
    assertThat(verifications.count()).isEqualTo(2);
    // Micrometer keeps the total in seconds: back in nanoseconds it may differ in the last bit
    assertThat(verifications.totalTime(TimeUnit.NANOSECONDS))
        .isCloseTo(engine.statistics().verificationNanos(), org.assertj.core.data.Offset.offset(1.0)).isPositive();
    assertThat(counter("keygate.hashes")).isEqualTo(1);
    assertThat(counter("keygate.cache.gets", "result", "hit")).isEqualTo(2);
    assertThat(counter("keygate.cache.gets", "result", "miss")).isEqualTo(2);
    assertThat(gauge("keygate.cache.size", "cache", "verified")).isEqualTo(1);
    assertThat(gauge("keygate.cache.size", "cache", "failed")).isEqualTo(1);
  }

  @Test
  void hashingSlotsInUseAndA503ForWantOfOneAreMetered() throws Exception {
    new KeygateMetrics(engine).bindTo(registry);
    String a = keygate.keys().create(NewKey.named("a")).plaintext();
    String b = keygate.keys().create(NewKey.named("b")).plaintext();
    assertThat(gauge("keygate.hashing.slots.max")).isEqualTo(1);
    hasher.hold = true;
    CompletableFuture<AuthenticationResult> first = CompletableFuture.supplyAsync(() -> engine.authenticate(key(a)));
    assertThat(hasher.entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(gauge("keygate.hashing.slots.active")).isEqualTo(1);
    assertThat(gauge("keygate.hashing.waiting")).isZero();
    AuthenticationResult busy = engine.authenticate(key(b));
    assertThat(((AuthenticationResult.Refused) busy).reason()).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(counter("keygate.hashing.refused")).isEqualTo(1);
    assertThat(authentications("refused", "none", "unavailable")).isEqualTo(1);
    hasher.release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(AuthenticationResult.Authenticated.class);
    assertThat(gauge("keygate.hashing.slots.active")).isZero();
    assertThat(gauge("keygate.hashing.slots.peak")).isEqualTo(1);
  }

  @Test
  void theStoreOutageAndFailedUsageFlushesAreMetered() {
    new KeygateMetrics(engine).bindTo(registry);
    String k = keygate.keys().create(NewKey.named("a")).plaintext();
    assertThat(gauge("keygate.store.unavailable")).isZero();
    store.down = true;
    engine.authenticate(key(FORMAT.generate().plaintext()));
    assertThat(gauge("keygate.store.unavailable")).isEqualTo(1);
    store.down = false;
    engine.authenticate(key(k));
    assertThat(gauge("keygate.store.unavailable")).isZero();
    store.usageFails = true;
    assertThatThrownBy(engine::flushUsage).isInstanceOf(StoreUnavailableException.class);
    assertThat(counter("keygate.usage.flush.failures")).isEqualTo(1);
  }

  @Test
  void sharedLimitsThatDoNotAnswerAreMetered() {
    java.util.concurrent.atomic.AtomicLong local = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> down = new java.util.concurrent.atomic.AtomicReference<>();
    RateLimiters shared = new RateLimiters() {
      @Override
      public RateLimiter limiter(String name, RateLimit defaultLimit, java.time.Clock clock) {
        return RateLimiters.local().limiter(name, defaultLimit, clock);
      }

      @Override
      public long localDecisions() {
        return local.get();
      }

      @Override
      public Optional<java.time.Instant> sharedUnavailableSince() {
        return Optional.ofNullable(down.get());
      }
    };
    try (Keygate fleet = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(FORMAT).rateLimiters(shared)
        .build()) {
      new KeygateMetrics(fleet.engine()).bindTo(registry);
      assertThat(counter("keygate.limits.local.decisions")).isZero();
      assertThat(gauge("keygate.limits.shared.unavailable")).isZero();
      local.set(3);
      down.set(java.time.Instant.parse("2026-01-01T00:00:00Z"));
      assertThat(counter("keygate.limits.local.decisions")).isEqualTo(3);
      assertThat(gauge("keygate.limits.shared.unavailable")).isEqualTo(1);
    }
  }

  @Test
  void extraTagsGoOnEveryMeterSoTwoEnginesCanShareARegistry() {
    new KeygateMetrics(engine, Tags.of("engine", "one")).bindTo(registry);
    try (Keygate other = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(FORMAT).build()) {
      new KeygateMetrics(other.engine(), List.of(io.micrometer.core.instrument.Tag.of("engine", "two")))
          .bindTo(registry);
      other.engine().authenticate(AuthenticationRequest.from(PEER).build());
      assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("engine")).isNotNull());
      assertThat(counter("keygate.authentications", "engine", "two", "reason", "missing_credentials"))
          .isEqualTo(1);
      assertThat(counter("keygate.authentications", "engine", "one", "reason", "missing_credentials"))
          .isZero();
      assertThat(registry.getMeters()).hasSize(2 * 29);
    }
    assertThat(new KeygateMetrics(engine, Tags.of("engine", "one")).toString()).contains("engine", "one");
  }

  @Test
  void metersAreOfTheKindsThatReadTheEngineRatherThanRecord() {
    new KeygateMetrics(engine).bindTo(registry);
    for (Meter m : registry.getMeters()) {
      assertThat((Object) m).isInstanceOfAny(FunctionCounter.class, FunctionTimer.class, Gauge.class);
    }
    assertThatThrownBy(() -> new KeygateMetrics(null)).isInstanceOf(NullPointerException.class);
  }
}

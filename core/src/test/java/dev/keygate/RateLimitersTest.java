package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The engine and the application take every limiter from the Keygate's {@link RateLimiters}, by
 * name, and the statistics read its outage figures.
 */
class RateLimitersTest {
  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final Recording recording = new Recording();

  /** Local limiters, recording what was asked of them. */
  private static final class Recording implements RateLimiters {
    final Map<String, RateLimit> defaults = new ConcurrentHashMap<>();
    final Map<String, Clock> clocks = new ConcurrentHashMap<>();
    final List<String> taken = new CopyOnWriteArrayList<>();
    long local = 7;
    Optional<Instant> down = Optional.of(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    public RateLimiter limiter(String name, RateLimit defaultLimit, Clock clock) {
      defaults.put(name, defaultLimit);
      clocks.put(name, clock);
      RateLimiter local = RateLimiter.of(defaultLimit, clock);
      return new RateLimiter() {
        @Override
        public long tryAcquire(String key, RateLimit limit) {
          taken.add(name + " " + key + " " + limit.requests());
          return local.tryAcquire(key, limit);
        }

        @Override
        public long retryAfter(String key) {
          taken.add("peek " + name + " " + key);
          return local.retryAfter(key);
        }

        @Override
        public long retryAfterShared(String key) {
          taken.add("shared peek " + name + " " + key);
          return local.retryAfterShared(key);
        }

        @Override
        public double spent(String key) {
          return local.spent(key);
        }

        @Override
        public RateLimit defaultLimit() {
          return local.defaultLimit();
        }
      };
    }

    @Override
    public long localDecisions() {
      return local;
    }

    @Override
    public Optional<Instant> sharedUnavailableSince() {
      return down;
    }
  }

  private Keygate keygate(RateLimiters limiters) {
    return Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("kg_test"))
        .hasher(CountingHasher.cheapArgon2id()).clock(clock).rateLimiters(limiters)
        .failuresPerAddress(new RateLimit(3, Duration.ofMinutes(1)))
        .wrongSecretsPerKeyId(new RateLimit(4, Duration.ofMinutes(2)))
        .usageFlushInterval(Duration.ZERO).build();
  }

  private static Refusal reason(AuthenticationResult r) {
    return r instanceof AuthenticationResult.Refused refused ? refused.reason() : null;
  }

  @Test
  void theEngineTakesItsFourLimitersByName() {
    try (Keygate keygate = keygate(recording)) {
      assertThat(recording.defaults).containsOnlyKeys("keygate.failures-per-address", "keygate.key",
          "keygate.wrong-secrets-per-key-id", "keygate.wrong-secrets-per-owner");
      assertThat(recording.defaults.get("keygate.failures-per-address")).isEqualTo(new RateLimit(3, Duration.ofMinutes(1)));
      assertThat(recording.defaults.get("keygate.wrong-secrets-per-key-id")).isEqualTo(new RateLimit(4, Duration.ofMinutes(2)));
      assertThat(recording.defaults.get("keygate.wrong-secrets-per-owner")).isEqualTo(new RateLimit(4, Duration.ofMinutes(2)));
      assertThat(recording.clocks.values()).allMatch(c -> c == clock);
      assertThat(keygate.engine()).isNotNull();
    }
  }

  @Test
  void eachCountGoesThroughTheGivenLimiters() {
    try (Keygate keygate = keygate(recording)) {
      IssuedKey issued = keygate.keys().create(NewKey.named("limited").withOwner("acme")
          .withRateLimit(new RateLimit(2, Duration.ofMinutes(1))));
      String id = issued.key().id();
      AuthenticationRequest good = AuthenticationRequest.from("203.0.113.7").apiKey(issued.plaintext()).build();
      assertThat(keygate.engine().authenticate(good)).isInstanceOf(AuthenticationResult.Authenticated.class);
      assertThat(keygate.engine().authenticate(good)).isInstanceOf(AuthenticationResult.Authenticated.class);
      assertThat(reason(keygate.engine().authenticate(good))).isEqualTo(Refusal.RATE_LIMITED);
      // the first use is looked up (the address's failures asked first, of the shared store); then cache hits
      assertThat(recording.taken).containsExactly("shared peek keygate.failures-per-address 203.0.113.7",
          "keygate.key " + id + " 2", "keygate.key " + id + " 2", "keygate.key " + id + " 2");
      recording.taken.clear();

      String forged = KeyFormat.withPrefix("kg_test").generate(id).plaintext(); // the id, another secret
      AuthenticationRequest bad = AuthenticationRequest.from("198.51.100.9").apiKey(forged).build();
      assertThat(reason(keygate.engine().authenticate(bad))).isEqualTo(Refusal.INVALID_KEY);
      assertThat(recording.taken).filteredOn(t -> !t.startsWith("peek keygate.wrong-secrets")).containsExactly(
          "shared peek keygate.failures-per-address 198.51.100.9", "keygate.wrong-secrets-per-key-id " + id + " 4",
          "keygate.wrong-secrets-per-owner acme 4", "keygate.failures-per-address 198.51.100.9 3");
    }
  }

  @Test
  void aBearerTokenIsCheckedAgainstWhatTheNodeKnowsOfItsAddress() {
    try (Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("kg_test"))
        .clock(clock).rateLimiters(recording).usageFlushInterval(Duration.ZERO)
        .bearerAuthenticator(token -> Optional.empty()).build()) {
      AuthenticationRequest bearer = AuthenticationRequest.from("198.51.100.9").authorization("Bearer abc").build();
      assertThat(reason(keygate.engine().authenticate(bearer))).isEqualTo(Refusal.INVALID_BEARER_TOKEN);
      assertThat(recording.taken).containsExactly("peek keygate.failures-per-address 198.51.100.9",
          "keygate.failures-per-address 198.51.100.9 10");
    }
  }

  @Test
  void theApplicationsLimitersComeFromTheSamePlace() {
    try (Keygate keygate = keygate(recording)) {
      RateLimiter signup = keygate.rateLimiter("signup", RateLimit.perMinute(1));
      assertThat(recording.defaults.get("signup")).isEqualTo(RateLimit.perMinute(1));
      assertThat(recording.clocks.get("signup")).isSameAs(clock);
      assertThat(signup.tryAcquire("203.0.113.7")).isZero();
      assertThat(signup.tryAcquire("203.0.113.7")).isEqualTo(60);
      assertThat(recording.taken).containsExactly("signup 203.0.113.7 1", "signup 203.0.113.7 1");
      assertThat(keygate.rateLimiter("a".repeat(64), RateLimit.perMinute(1))).isNotNull();
      assertThat(keygate.rateLimiter("Orders_v2.export-1", RateLimit.perMinute(1))).isNotNull();
      for (String bad : List.of("", "a".repeat(65), "keygate.key", "keygate.mine", "a b", "a:b", "ü")) {
        assertThatThrownBy(() -> keygate.rateLimiter(bad, RateLimit.perMinute(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got '" + bad + "'");
      }
      assertThatThrownBy(() -> keygate.rateLimiter(null, RateLimit.perMinute(1))).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> keygate.rateLimiter("x", null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void statisticsReadTheLimitersOutageFigures() {
    try (Keygate keygate = keygate(recording)) {
      AuthenticationStatistics s = keygate.engine().statistics();
      assertThat(s.rateLimitLocalDecisions()).isEqualTo(7);
      assertThat(s.sharedLimitsUnavailableSince()).contains(Instant.parse("2026-01-01T00:00:00Z"));
      assertThat(s.toString()).contains("rateLimitLocalDecisions=7")
          .contains("sharedLimitsUnavailableSince=2026-01-01T00:00:00Z");
      recording.local = 9;
      recording.down = Optional.empty();
      assertThat(s.rateLimitLocalDecisions()).isEqualTo(9);
      assertThat(s.toString()).contains("sharedLimitsUnavailableSince=none");
    }
  }

  @Test
  void localLimitersByDefault() {
    try (Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("kg_test"))
        .clock(clock).usageFlushInterval(Duration.ZERO).build()) {
      AuthenticationStatistics s = keygate.engine().statistics();
      assertThat(s.rateLimitLocalDecisions()).isZero();
      assertThat(s.sharedLimitsUnavailableSince()).isEmpty();
      RateLimiter a = keygate.rateLimiter("signup", RateLimit.perMinute(1));
      RateLimiter b = keygate.rateLimiter("signup", RateLimit.perMinute(1));
      assertThat(b).as("one limiter per name").isSameAs(a);
      assertThat(a.tryAcquire("x")).isZero();
      assertThat(b.tryAcquire("x")).isEqualTo(60);
      assertThat(a.retryAfterShared("x")).as("in memory, the shared answer is the local one").isEqualTo(60);
      assertThat(keygate.rateLimiter("other", RateLimit.perMinute(1)).tryAcquire("x")).isZero();
      assertThatThrownBy(() -> keygate.rateLimiter("signup", RateLimit.perMinute(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the rate limiter 'signup' has the limit " + RateLimit.perMinute(1) + ", not "
              + RateLimit.perMinute(2));
      assertThat(a.defaultLimit()).isEqualTo(RateLimit.perMinute(1));
    }
    assertThat(RateLimiters.local().localDecisions()).isZero();
    assertThat(RateLimiters.local().sharedUnavailableSince()).isEmpty();
    assertThat(RateLimiters.local()).hasToString("RateLimiters.local()");
    assertThat(RateLimiters.local().limiter("x", RateLimit.perMinute(3), clock).defaultLimit())
        .isEqualTo(RateLimit.perMinute(3));
  }

  @Test
  void theBuilderTakesLimitersOnce() {
    Keygate.Builder b = Keygate.builder().rateLimiters(RateLimiters.local());
    assertThatThrownBy(() -> b.rateLimiters(recording)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rateLimiters was already set");
    assertThatThrownBy(() -> Keygate.builder().rateLimiters(null)).isInstanceOf(NullPointerException.class);
  }
}

package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The root object: one configuration for verifying and issuing, so they cannot disagree; its
 * builder gives each setting once, checks it when given and names what is missing.
 */
class KeygateTest {
  private static final String PEER = "203.0.113.7";
  private static final byte[] HMAC_KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final MutableClock clock = MutableClock.atEpochOfTests();

  private Keygate.Builder minimal() {
    return Keygate.builder().store(store).keyFormat(KeyFormat.withPrefix("kg_test")).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO);
  }

  /** {@link #minimal()} with a cheap Argon2id: the default one costs tens of milliseconds per key. */
  private Keygate.Builder cheap() {
    return minimal().hasher(CountingHasher.cheapArgon2id());
  }

  private static AuthenticationRequest.Builder from(String peer, String key) {
    return AuthenticationRequest.from(peer).apiKey(key);
  }

  @Test
  void aKeyIssuedByKeysIsAcceptedByTheEngineWhateverTheHasher() {
    HmacSha256Hasher hmac = HmacSha256Hasher.withPepper(HMAC_KEY, "k1");
    try (Keygate keygate = minimal().hasher(hmac).build()) {
      IssuedKey issued = keygate.keys().create(NewKey.named("ci").withScopes("orders.read"));
      assertThat(issued.key().secretHash()).as("issued with the one hasher given").startsWith("$hmac-sha256$k=k1$");
      AuthenticationResult r = keygate.engine().authenticate(from(PEER, issued.plaintext()).build());
      assertThat(r).isInstanceOfSatisfying(Authenticated.class,
          a -> assertThat(a.principal().scopes()).containsExactly("orders.read"));
      assertThat(keygate.engine().format()).isSameAs(keygate.keys().format());
    }
  }

  @Test
  void theClockGivenIsTheOneEveryPartUsesAndTheSystemClockOtherwise() {
    try (Keygate keygate = minimal().hasher(CountingHasher.cheapArgon2id()).build()) {
      assertThat(keygate.clock()).isSameAs(clock);
      assertThat(keygate.keys().create(NewKey.named("t")).key().createdAt()).isEqualTo(clock.instant());
    }
    try (Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("kg_test"))
        .hasher(CountingHasher.cheapArgon2id()).build()) {
      assertThat(keygate.clock()).isEqualTo(java.time.Clock.systemUTC());
    }
  }

  @Test
  void missingRequiredSettingsAreNamed() {
    assertThatThrownBy(() -> Keygate.builder().keyFormat(KeyFormat.withPrefix("kg_test")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("store is required");
    assertThatThrownBy(() -> Keygate.builder().store(store).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("keyFormat is required");
  }

  @Test
  void eachSettingCanBeGivenOnceAndTheSecondCallNamesTheFirstValue() {
    List<Consumer<Keygate.Builder>> twice = List.of(
        b -> b.store(new InMemoryApiKeyStore()),
        b -> b.keyFormat(KeyFormat.withPrefix("other")),
        b -> b.clock(clock),
        b -> b.cacheExecutor(Runnable::run),
        b -> b.usageFlushInterval(Duration.ofSeconds(1)));
    for (Consumer<Keygate.Builder> again : twice) {
      assertThatThrownBy(() -> again.accept(minimal())).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("was already set to");
    }
    assertThatThrownBy(() -> minimal().maxConcurrentHashes(2).maxConcurrentHashes(3))
        .isInstanceOf(IllegalStateException.class).hasMessage("maxConcurrentHashes was already set to 2");
    assertThatThrownBy(() -> minimal().hashingWait(Duration.ofMillis(5)).hashingWait(Duration.ofMillis(6)))
        .isInstanceOf(IllegalStateException.class).hasMessage("hashingWait was already set to PT0.005S");
    assertThatThrownBy(() -> minimal().apiKeyHeaders("X-A").apiKeyHeaders("X-B"))
        .isInstanceOf(IllegalStateException.class).hasMessage("apiKeyHeaders was already set to [X-A]");
    assertThatThrownBy(() -> minimal().requireHttps(true).requireHttps(false))
        .isInstanceOf(IllegalStateException.class).hasMessage("requireHttps was already set to true");
    assertThatThrownBy(() -> minimal().verifiedKeyCacheSize(5).verifiedKeyCacheSize(6))
        .isInstanceOf(IllegalStateException.class).hasMessage("verifiedKeyCacheSize was already set to 5");
    assertThatThrownBy(() -> minimal().failuresPerAddress(RateLimit.perMinute(3)).failuresPerAddress(RateLimit.perMinute(4)))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("failuresPerAddress was already set to RateLimit[requests=3");
    assertThatThrownBy(() -> minimal().listeners(e -> { }).listeners(e -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("listeners was already set to");
  }

  @Test
  void valuesAreCheckedWhenGivenAndARefusedValueDoesNotCountAsGiven() {
    Keygate.Builder b = minimal();
    assertThatThrownBy(() -> b.verifiedKeyCacheSize(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("verifiedKeyCacheSize must be at least 1, got 0");
    assertThat(b.verifiedKeyCacheSize(1)).isSameAs(b);
    assertThatThrownBy(() -> b.failedKeyCacheSize(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failedKeyCacheSize must be at least 1, got -1");
    assertThatThrownBy(() -> b.maxConcurrentHashes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentHashes must be at least 1, got 0");
    assertThatThrownBy(() -> b.verifiedKeyCacheDuration(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("verifiedKeyCacheDuration must be positive, got PT0S");
    assertThatThrownBy(() -> b.failedKeyCacheDuration(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("failedKeyCacheDuration must be positive, got PT-1S");
    assertThatThrownBy(() -> b.maxKeyLifetime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxKeyLifetime must be positive, got PT0S");
    assertThatThrownBy(() -> b.hashingWait(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hashingWait must not be negative, got PT-0.001S");
    assertThatThrownBy(() -> Keygate.builder().usageFlushInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("usageFlushInterval must not be negative, got PT-0.001S");
    assertThatThrownBy(() -> b.apiKeyHeaders()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one API-key header name is required");
    assertThatThrownBy(() -> Keygate.builder().apiKeyHeaders("X API Key")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid header name: 'X API Key'");
    assertThatThrownBy(() -> b.trustedProxies(List.of("not-an-address"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'not-an-address'");
    assertThatThrownBy(() -> Keygate.builder().store(null)).isInstanceOf(NullPointerException.class).hasMessage("store");
    assertThat(b.hashingWait(Duration.ZERO).failedKeyCacheSize(1)).isSameAs(b);
  }

  @Test
  void engineSettingsReachTheEngine() {
    List<KeyEvent> events = new ArrayList<>();
    try (Keygate keygate = cheap().apiKeyHeaders("X-Acme-Key", "X-API-Key").trustedProxies(List.of("10.0.0.1"))
        .failuresPerAddress(RateLimit.perMinute(1)).listeners(events::add).build()) {
      AuthenticationEngine engine = keygate.engine();
      assertThat(engine.apiKeyHeaders()).containsExactly("X-Acme-Key", "X-API-Key");
      AuthenticationRequest viaProxy = AuthenticationRequest.from("10.0.0.1").xForwardedFor("198.51.100.9")
          .build();
      assertThat(engine.clientAddress(viaProxy).text()).isEqualTo("198.51.100.9");
      IssuedKey issued = keygate.keys().create(NewKey.named("a"));
      String wrong = KeyFormat.withPrefix("kg_test").generate(issued.key().id()).plaintext();
      assertThat(engine.authenticate(from(PEER, wrong).build())).isInstanceOfSatisfying(Refused.class,
          r -> assertThat(r.reason()).isEqualTo(Refusal.INVALID_KEY));
      assertThat(engine.authenticate(from(PEER, wrong).build())).as("one failure a minute per address")
          .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.reason()).isEqualTo(Refusal.RATE_LIMITED));
      assertThat(events).extracting(KeyEvent::type)
          .containsExactly(KeyEvent.Type.CREATED, KeyEvent.Type.AUTHENTICATION_FAILED);
    }
  }

  @Test
  void requireHttpsAndEmptyScopePolicyReachTheEngine() {
    try (Keygate keygate = cheap().requireHttps(true).emptyScopePolicy(EmptyScopePolicy.DENY).build()) {
      IssuedKey issued = keygate.keys().create(NewKey.named("a"));
      assertThat(keygate.engine().authenticate(from(PEER, issued.plaintext()).build()))
          .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.reason()).isEqualTo(Refusal.HTTPS_REQUIRED));
      AuthenticationResult overHttps = keygate.engine().authenticate(from(PEER, issued.plaintext()).secure(true).build());
      assertThat(overHttps).isInstanceOfSatisfying(Authenticated.class,
          a -> assertThat(a.principal().fullAccess()).as("no scopes means nothing under DENY").isFalse());
    }
  }

  @Test
  void maxKeyLifetimeGivesKeysAnExpiry() {
    try (Keygate keygate = cheap().maxKeyLifetime(Duration.ofDays(90)).build()) {
      IssuedKey issued = keygate.keys().create(NewKey.named("a"));
      assertThat(issued.key().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(90)));
    }
  }

  @Test
  void closeWritesTheUsageCountedSoFar() {
    Keygate keygate = cheap().build();
    IssuedKey issued = keygate.keys().create(NewKey.named("a"));
    assertThat(keygate.engine().authenticate(from(PEER, issued.plaintext()).build())).isInstanceOf(Authenticated.class);
    assertThat(store.findById(issued.key().id()).orElseThrow().lastUsedAt()).isNull();
    keygate.close();
    assertThat(store.findById(issued.key().id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant());
  }
}

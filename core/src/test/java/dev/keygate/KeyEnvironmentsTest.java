package dev.keygate;

import static dev.keygate.KeyFormatEnvironmentsTest.ordered;
import static dev.keygate.KeyFormatEnvironmentsTest.underPrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keys whose prefix says their environment: issued in the environment asked for, rotated within
 * it, accepted only when their record agrees with their prefix, and held to an endpoint's
 * environment.
 */
class KeyEnvironmentsTest {
  private static final String PEER = "203.0.113.7";
  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final List<KeyEvent> events = new ArrayList<>();
  private final List<AuthenticationResult> told = new ArrayList<>();
  private final Keygate keygate = Keygate.builder().store(store)
      .keyFormat(KeyFormat.withEnvironments(ordered("test", "kg_test", "live", "kg_live")))
      .hasher(CountingHasher.cheapArgon2id()).clock(clock).cacheExecutor(Runnable::run)
      .usageFlushInterval(Duration.ZERO).listeners(events::add).authenticationListeners(told::add).build();
  private final ApiKeyService keys = keygate.keys();
  private final AuthenticationEngine engine = keygate.engine();

  @AfterEach
  void close() {
    keygate.close();
  }

  private AuthenticationResult present(String key) {
    return engine.authenticate(AuthenticationRequest.from(PEER).apiKey(key).build());
  }

  private KeygatePrincipal authenticated(String key) {
    AuthenticationResult r = present(key);
    assertThat(r).isInstanceOf(Authenticated.class);
    return ((Authenticated) r).principal();
  }

  private static void assertInvalid(AuthenticationResult r) {
    assertThat(r).isInstanceOf(Refused.class);
    assertThat(((Refused) r).reason()).isEqualTo(Refusal.INVALID_KEY);
  }

  @Test
  void testAndLiveKeysWorkSideBySideEachInItsEnvironment() {
    IssuedKey test = keys.create(NewKey.named("ci").withEnvironment("test"));
    IssuedKey live = keys.create(NewKey.named("prod").withEnvironment("live"));
    assertThat(test.plaintext()).startsWith("kg_test_" + test.key().id());
    assertThat(test.key().hint()).isEqualTo("kg_test_" + test.key().id().substring(0, 6) + "…");
    assertThat(test.key().environment()).isEqualTo("test");
    assertThat(live.plaintext()).startsWith("kg_live_" + live.key().id());
    assertThat(live.key().hint()).startsWith("kg_live_");
    assertThat(authenticated(test.plaintext()).environment()).isEqualTo("test");
    assertThat(authenticated(live.plaintext()).environment()).isEqualTo("live");
    assertThat(authenticated(live.plaintext()).environment()).as("from the cache too").isEqualTo("live");
  }

  @Test
  void aKeyWithoutAnEnvironmentOrOfAnotherIsRefusedNamingTheAllowedOnes() {
    assertThatThrownBy(() -> keys.create(NewKey.named("none")))
        .isInstanceOf(InvalidKeyRequestException.class)
        .hasMessage("environment: is required: one of test, live (the key format's environments)")
        .extracting(e -> ((InvalidKeyRequestException) e).field()).isEqualTo("environment");
    assertThatThrownBy(() -> keys.create(NewKey.named("other").withEnvironment("staging")))
        .isInstanceOf(InvalidKeyRequestException.class)
        .hasMessage("environment: must be one of test, live (the key format's environments)");
    assertThatThrownBy(() -> keys.create(NewKey.named("padded").withEnvironment(" live")))
        .isInstanceOf(InvalidKeyRequestException.class).hasMessageStartingWith("environment: must be 1 to 64");
    assertThat(store.count(KeyQuery.all(clock.instant()), 10)).isZero();
  }

  @Test
  void rotationKeepsTheKeysEnvironmentAndPrefix() {
    IssuedKey test = keys.create(NewKey.named("ci").withEnvironment("test"));
    IssuedKey rotated = keys.rotate(test.key().id());
    assertThat(rotated.plaintext()).startsWith("kg_test_" + test.key().id()).isNotEqualTo(test.plaintext());
    assertThat(rotated.key().environment()).isEqualTo("test");
    assertThat(authenticated(rotated.plaintext()).environment()).isEqualTo("test");
    IssuedKey live = keys.rotate(keys.create(NewKey.named("prod").withEnvironment("live")).key().id());
    assertThat(live.plaintext()).startsWith("kg_live_");
  }

  @Test
  void aKeyInNoEnvironmentOfTheFormatCannotBeRotated() {
    IssuedKey test = keys.create(NewKey.named("ci").withEnvironment("test"));
    ApiKey stored = store.findById(test.key().id()).orElseThrow();
    assertThat(store.update(stored.toBuilder().environment(null).build())).isTrue();
    assertThatThrownBy(() -> keys.rotate(test.key().id())).isInstanceOf(KeyStateRefusedException.class)
        .hasMessage("API key " + test.key().id() + " is in no environment, not one of the key format's [test, live], "
            + "and cannot be rotated");
    stored = store.findById(test.key().id()).orElseThrow();
    assertThat(store.update(stored.toBuilder().environment("staging").build())).isTrue();
    assertThatThrownBy(() -> keys.rotate(test.key().id())).isInstanceOf(KeyStateRefusedException.class)
        .hasMessage("API key " + test.key().id() + " is in environment 'staging', not one of the key format's "
            + "[test, live], and cannot be rotated");
  }

  @Test
  void aKeyWhoseRecordIsOfAnotherEnvironmentThanItsPrefixIsInvalid() {
    IssuedKey test = keys.create(NewKey.named("ci").withEnvironment("test"));
    assertThat(authenticated(test.plaintext()).environment()).isEqualTo("test");
    ApiKey stored = store.findById(test.key().id()).orElseThrow();
    assertThat(store.update(stored.toBuilder().environment("live").build())).isTrue(); // a row changed by hand
    assertInvalid(present(test.plaintext()));
    assertThat(events).filteredOn(e -> e.type() == KeyEvent.Type.AUTHENTICATION_FAILED)
        .singleElement().satisfies(e -> {
          assertThat(e.keyId()).isEqualTo(test.key().id());
          assertThat(e.reason()).isEqualTo(Refusal.INVALID_KEY.name());
        });
    stored = store.findById(test.key().id()).orElseThrow();
    assertThat(store.update(stored.toBuilder().environment(null).build())).isTrue(); // migrated without one
    assertInvalid(present(test.plaintext()));
    assertThat(engine.statistics().refused(Refusal.INVALID_KEY)).isEqualTo(2);
  }

  @Test
  void aKeysIdAndSecretUnderTheOtherPrefixAreInvalidCachedOrNot() {
    IssuedKey test = keys.create(NewKey.named("ci").withEnvironment("test"));
    String asLive = underPrefix(test.plaintext(), "kg_test", "kg_live");
    assertThat(engine.format().parse(asLive)).isNotNull(); // well-formed: only the record can tell
    assertInvalid(present(asLive)); // not cached: verified, then refused
    assertThat(authenticated(test.plaintext()).environment()).isEqualTo("test");
    assertInvalid(present(asLive)); // the real key is cached now: same id and secret, still refused
    assertThat(authenticated(test.plaintext()).environment()).as("the real key is not harmed").isEqualTo("test");
    IssuedKey live = keys.create(NewKey.named("prod").withEnvironment("live"));
    assertThat(authenticated(live.plaintext()).environment()).isEqualTo("live");
    assertInvalid(present(underPrefix(live.plaintext(), "kg_live", "kg_test")));
  }

  @Test
  void anEndpointsEnvironmentAdmitsItsKeysAndRefusesOthersWith403NamingIt() {
    KeygatePrincipal test = authenticated(keys.create(NewKey.named("ci").withEnvironment("test")).plaintext());
    KeygatePrincipal live = authenticated(keys.create(NewKey.named("prod").withEnvironment("live")).plaintext());
    told.clear();
    assertThat(engine.authorizeEnvironment(live, "live")).isEmpty();
    assertThat(engine.statistics().refused(Refusal.ENVIRONMENT_NOT_ALLOWED)).isZero();
    assertThat(told).isEmpty();
    Optional<Refused> refused = engine.authorizeEnvironment(test, "live");
    assertThat(refused).isPresent();
    Refused r = refused.get();
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.reason()).isEqualTo(Refusal.ENVIRONMENT_NOT_ALLOWED);
    assertThat(r.requiredEnvironment()).isEqualTo("live");
    assertThat(r.body()).isEqualTo(
        "{\"detail\":\"This endpoint does not accept keys of this environment.\",\"required_environment\":\"live\"}");
    assertThat(r.headers()).containsExactly(java.util.Map.entry("Content-Type", "application/json"),
        java.util.Map.entry("Cache-Control", "no-store"));
    assertThat(engine.statistics().refused(Refusal.ENVIRONMENT_NOT_ALLOWED)).isEqualTo(1);
    assertThat(told).containsExactly(r);
    KeygatePrincipal bearer = KeygatePrincipal.bearer("someone", "acme", Set.of());
    assertThat(engine.authorizeEnvironment(bearer, "live")).contains(r);
    assertThat(engine.statistics().refused(Refusal.ENVIRONMENT_NOT_ALLOWED)).isEqualTo(2);
    assertThatThrownBy(() -> engine.authorizeEnvironment(live, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void otherRefusalsNameNoEnvironment() {
    Refused scope = Refused.insufficientScope(Set.of("a"));
    assertThat(scope.requiredEnvironment()).isEmpty();
    assertThat(scope.body()).doesNotContain("required_environment");
    assertThat(new Refused(Refusal.IP_NOT_ALLOWED, 0, Set.of(), "")).isEqualTo(
        new Refused(Refusal.IP_NOT_ALLOWED, 0, Set.of(), "", ""));
    assertThatThrownBy(() -> new Refused(Refusal.IP_NOT_ALLOWED, 0, Set.of(), "", null))
        .isInstanceOf(NullPointerException.class);
  }

  /** One environment's format ({@code forEnvironment}) binds that one: its list holds no null. */
  @Test
  void oneEnvironmentsFormatRequiresItsEnvironmentToo() {
    KeyFormat live = KeyFormat.withEnvironments(ordered("test", "kg_test", "live", "kg_live")).forEnvironment("live");
    InMemoryApiKeyStore own = new InMemoryApiKeyStore();
    try (Keygate one = Keygate.builder().store(own).keyFormat(live).hasher(CountingHasher.cheapArgon2id())
        .clock(clock).usageFlushInterval(Duration.ZERO).build()) {
      assertThatThrownBy(() -> one.keys().create(NewKey.named("none"))).isInstanceOf(InvalidKeyRequestException.class)
          .hasMessage("environment: is required: one of live (the key format's environments)");
      IssuedKey key = one.keys().create(NewKey.named("prod").withEnvironment("live"));
      assertThat(key.plaintext()).startsWith("kg_live_");
      ApiKey stored = own.findById(key.key().id()).orElseThrow();
      assertThat(own.update(stored.toBuilder().environment(null).build())).isTrue();
      assertThatThrownBy(() -> one.keys().rotate(key.key().id())).isInstanceOf(KeyStateRefusedException.class)
          .hasMessageContaining("is in no environment, not one of the key format's [live]");
    }
  }

  @Test
  void aSinglePrefixFormatKeepsEnvironmentsFreeText() {
    try (Keygate plain = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("kg_live"))
        .hasher(CountingHasher.cheapArgon2id()).clock(clock).usageFlushInterval(Duration.ZERO).build()) {
      IssuedKey none = plain.keys().create(NewKey.named("none"));
      IssuedKey other = plain.keys().create(NewKey.named("other").withEnvironment("anything at all"));
      assertThat(none.plaintext()).startsWith("kg_live_");
      assertThat(other.plaintext()).startsWith("kg_live_");
      String rotated = plain.keys().rotate(other.key().id()).plaintext();
      assertThat(rotated).startsWith("kg_live_");
      AuthenticationResult r = plain.engine().authenticate(AuthenticationRequest.from(PEER).apiKey(rotated).build());
      assertThat(((Authenticated) r).principal().environment()).isEqualTo("anything at all");
      r = plain.engine().authenticate(AuthenticationRequest.from(PEER).apiKey(none.plaintext()).build());
      assertThat(((Authenticated) r).principal().environment()).isNull();
    }
  }
}

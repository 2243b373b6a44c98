package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testing.LogCapture;
import dev.keygate.testkit.CountingHasher;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthenticationStatistics} counts each outcome once, under the right method or row of the
 * response table, and nothing else; {@link AuthenticationListener}s see the very result the caller
 * gets, and one that throws changes no answer.
 */
class OutcomeStatisticsTest extends EngineFixture {

  private AuthenticationEngine engine(AuthenticationEngine.Builder b) {
    AuthenticationEngine e = b.store(store).format(format).hasher(new CountingHasher()).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO)
        .failureLimit(new RateLimit(1000, Duration.ofMinutes(1))).build();
    engines.add(e);
    return e;
  }

  private AuthenticationEngine engine() {
    return engine(AuthenticationEngine.builder());
  }

  private static AuthenticationRequest bearer(String token) {
    return AuthenticationRequest.from(PEER).authorization("Bearer " + token).build();
  }

  /** Every outcome counter, by name: what moved is the difference of two of these. */
  private static Map<String, Long> outcomes(AuthenticationStatistics s) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (AuthMethod m : AuthMethod.values()) {
      out.put("authenticated." + m, s.authenticated(m));
    }
    for (Refusal r : Refusal.values()) {
      out.put("refused." + r, s.refused(r));
    }
    out.put("deferred", s.deferred());
    return out;
  }

  /** Runs {@code action} and checks that exactly {@code counter} moved, by one. */
  private static <T> T movesOnly(AuthenticationEngine engine, String counter, Supplier<T> action) {
    Map<String, Long> before = outcomes(engine.statistics());
    T result = action.get();
    Map<String, Long> expected = new java.util.TreeMap<>(before);
    expected.merge(counter, 1L, Long::sum);
    assertThat(outcomes(engine.statistics())).as(counter).isEqualTo(expected);
    return result;
  }

  @Test
  void everyCounterStartsAtZeroAndTheObjectIsLive() {
    AuthenticationEngine engine = engine();
    AuthenticationStatistics s = engine.statistics();
    assertThat(outcomes(s).values()).containsOnly(0L);
    assertThat(engine.statistics()).isSameAs(s);
    engine.authenticate(AuthenticationRequest.from(PEER).build());
    assertThat(s.refused(Refusal.MISSING_CREDENTIALS)).as("read live, not a snapshot").isEqualTo(1);
  }

  @Test
  void anApiKeyIsCountedAuthenticatedByApiKeyEachTime() {
    AuthenticationEngine engine = engine();
    String k = service.create(NewKey.named("a")).plaintext();
    assertThat(movesOnly(engine, "authenticated.API_KEY", () -> engine.authenticate(key(k))))
        .isInstanceOf(Authenticated.class);
    assertThat(movesOnly(engine, "authenticated.API_KEY", () -> engine.authenticate(key(k))))
        .as("from the cache").isInstanceOf(Authenticated.class);
  }

  @Test
  void aBearerTokenIsCountedByBearerOrAsRefusedOrDeferred() {
    AuthenticationEngine withBearer = engine(AuthenticationEngine.builder().bearerAuthenticator(
        t -> t.equals("good") ? Optional.of(KeygatePrincipal.bearer("sub", null, Set.of())) : Optional.empty()));
    assertThat(movesOnly(withBearer, "authenticated.BEARER", () -> withBearer.authenticate(bearer("good"))))
        .isInstanceOf(Authenticated.class);
    assertThat(reason(movesOnly(withBearer, "refused.INVALID_BEARER_TOKEN",
        () -> withBearer.authenticate(bearer("bad"))))).isEqualTo(Refusal.INVALID_BEARER_TOKEN);
    AuthenticationEngine withoutBearer = engine();
    assertThat(movesOnly(withoutBearer, "deferred", () -> withoutBearer.authenticate(bearer("good"))))
        .isInstanceOf(AuthenticationResult.Deferred.class);
  }

  @Test
  void eachRefusalOfAuthenticateIsCountedUnderItsRow() {
    AuthenticationEngine engine = engine();
    IssuedKey revoked = service.create(NewKey.named("revoked"));
    service.revoke(revoked.key().id());
    String expiring = service.create(NewKey.named("expiring").withExpiresAt(clock.instant().plusSeconds(60)))
        .plaintext();
    String fenced = service.create(NewKey.named("fenced").withAllowedIps(List.of("198.51.100.0/24"))).plaintext();
    String limited = service.create(NewKey.named("limited").withRateLimit(new RateLimit(1, Duration.ofMinutes(1))))
        .plaintext();
    engine.authenticate(key(expiring));
    clock.advance(Duration.ofMinutes(2));
    engine.authenticate(key(limited)); // its one request a minute

    Map<Refusal, AuthenticationRequest> requests = new EnumMap<>(Refusal.class);
    requests.put(Refusal.MISSING_CREDENTIALS, AuthenticationRequest.from(PEER).build());
    requests.put(Refusal.INVALID_KEY, key(format.generate().plaintext()));
    requests.put(Refusal.REVOKED, key(revoked.plaintext()));
    requests.put(Refusal.EXPIRED, key(expiring));
    requests.put(Refusal.IP_NOT_ALLOWED, key(fenced));
    requests.put(Refusal.RATE_LIMITED, key(limited));
    requests.put(Refusal.INVALID_BEARER_TOKEN, bearer("bad"));
    for (Map.Entry<Refusal, AuthenticationRequest> e : requests.entrySet()) {
      AuthenticationEngine bearerEngine = e.getKey() == Refusal.INVALID_BEARER_TOKEN ? engine(
          AuthenticationEngine.builder().bearerAuthenticator(t -> Optional.empty())) : engine;
      assertThat(reason(movesOnly(bearerEngine, "refused." + e.getKey(),
          () -> bearerEngine.authenticate(e.getValue())))).isEqualTo(e.getKey());
    }
  }

  @Test
  void plainHttpAndAnOutageAreCountedUnderTheirRows() {
    AuthenticationEngine https = engine(AuthenticationEngine.builder().requireHttps(true));
    assertThat(reason(movesOnly(https, "refused.HTTPS_REQUIRED",
        () -> https.authenticate(AuthenticationRequest.from(PEER).build())))).isEqualTo(Refusal.HTTPS_REQUIRED);
    AuthenticationEngine engine = engine();
    store.down = true;
    assertThat(reason(movesOnly(engine, "refused.UNAVAILABLE",
        () -> engine.authenticate(key(format.generate().plaintext()))))).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(engine.statistics().hashingRefused()).as("an outage is not a lack of hashing slots").isZero();
  }

  @Test
  void anUnexpectedFailureAnswered503IsCounted() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().bearerAuthenticator(t -> {
      throw new StackOverflowError();
    }));
    try (LogCapture logs = new LogCapture()) {
      assertThat(reason(movesOnly(engine, "refused.UNAVAILABLE", () -> engine.authenticate(bearer("t")))))
          .isEqualTo(Refusal.UNAVAILABLE);
      assertThat(logs.text()).contains("authentication failed unexpectedly");
    }
  }

  @Test
  void authorizeCountsOnlyItsRefusalsAndAnAdapterMayCountItsOwn() {
    AuthenticationEngine engine = engine();
    KeygatePrincipal p = KeygatePrincipal.bearer("sub", null, Set.of("read"));
    assertThat(movesOnly(engine, "refused.INSUFFICIENT_SCOPE", () -> engine.authorize(p, Set.of("write"), Set.of())))
        .isPresent();
    Map<String, Long> before = outcomes(engine.statistics());
    assertThat(engine.authorize(p, Set.of("read"), Set.of())).isEmpty();
    assertThat(outcomes(engine.statistics())).as("an allowed request counts nothing").isEqualTo(before);
    movesOnly(engine, "refused.INSUFFICIENT_SCOPE", () -> {
      engine.recordRefusal(Refusal.INSUFFICIENT_SCOPE);
      return null;
    });
    movesOnly(engine, "refused.RATE_LIMITED", () -> {
      engine.recordRefusal(Refusal.RATE_LIMITED);
      return null;
    });
    assertThatThrownBy(() -> engine.recordRefusal(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void withCountingOffNothingIsCounted() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().countOutcomes(false));
    String k = service.create(NewKey.named("a")).plaintext();
    engine.authenticate(key(k));
    engine.authenticate(key(k));
    engine.authenticate(AuthenticationRequest.from(PEER).build());
    engine.authorize(KeygatePrincipal.bearer("sub", null, Set.of()), Set.of("x"), Set.of());
    engine.recordRefusal(Refusal.RATE_LIMITED);
    assertThat(outcomes(engine.statistics()).values()).containsOnly(0L);
    assertThat(engine.statistics().cacheHits()).isZero();
    assertThat(engine.statistics().cacheMisses()).isZero();
  }

  @Test
  void listenersGetTheResultTheCallerGetsInOrder() {
    List<Object> seen = new CopyOnWriteArrayList<>();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder()
        .authenticationListener(r -> seen.add("first"))
        .authenticationListener(seen::add));
    String k = service.create(NewKey.named("a").withScopes("read")).plaintext();
    AuthenticationResult ok = engine.authenticate(key(k));
    AuthenticationResult missing = engine.authenticate(AuthenticationRequest.from(PEER).build());
    AuthenticationResult deferred = engine.authenticate(bearer("t"));
    Optional<Refused> denied = engine.authorize(((Authenticated) ok).principal(), Set.of("nope"), Set.of());
    engine.authorize(((Authenticated) ok).principal(), Set.of(), Set.of()); // allowed: no outcome to tell
    engine.recordRefusal(Refusal.INSUFFICIENT_SCOPE); // counted only
    assertThat(seen).hasSize(8);
    assertThat(seen.get(1)).isSameAs(ok);
    assertThat(seen.get(3)).isSameAs(missing);
    assertThat(seen.get(5)).isSameAs(deferred);
    assertThat(seen.get(7)).isSameAs(denied.orElseThrow());
    assertThat(seen.get(0)).isEqualTo("first");
  }

  @Test
  void aThrowingListenerIsLoggedAndChangesNoAnswer() {
    List<AuthenticationResult> after = new CopyOnWriteArrayList<>();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder()
        .authenticationListener(r -> {
          throw new IllegalStateException("listener bug");
        })
        .authenticationListener(r -> {
          throw new StackOverflowError("deep listener");
        })
        .authenticationListener(after::add));
    String k = service.create(NewKey.named("a").withScopes("read")).plaintext();
    try (LogCapture logs = new LogCapture()) {
      AuthenticationResult ok = engine.authenticate(key(k));
      assertThat(ok).isInstanceOf(Authenticated.class);
      assertThat(reason(engine.authenticate(key(format.generate().plaintext())))).isEqualTo(Refusal.INVALID_KEY);
      assertThat(engine.authorize(((Authenticated) ok).principal(), Set.of("x"), Set.of())).isPresent();
      assertThat(after).as("the next listener is still called").hasSize(3).first().isSameAs(ok);
      assertThat(engine.statistics().authenticated(AuthMethod.API_KEY)).isEqualTo(1);
      assertThat(logs.text()).contains("authentication listener").contains("listener bug").contains("deep listener");
    }
  }

  @Test
  void keygateBuilderTakesTheListenersOnce() {
    List<AuthenticationResult> seen = new CopyOnWriteArrayList<>();
    AuthenticationListener listener = seen::add;
    Keygate.Builder b = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(format)
        .hasher(CountingHasher.cheapArgon2id()).authenticationListeners(listener);
    assertThatThrownBy(() -> b.authenticationListeners(listener)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("authenticationListeners");
    assertThatThrownBy(() -> Keygate.builder().authenticationListeners((AuthenticationListener) null))
        .isInstanceOf(NullPointerException.class);
    try (Keygate keygate = b.build()) {
      String k = keygate.keys().create(NewKey.named("a")).plaintext();
      AuthenticationResult r = keygate.engine().authenticate(key(k));
      assertThat(seen).containsExactly(r);
      assertThat(keygate.engine().statistics().authenticated(AuthMethod.API_KEY)).isEqualTo(1);
    }
  }

  @Test
  void toStringListsTheFiguresAndNoKey() {
    AuthenticationEngine engine = engine();
    IssuedKey issued = service.create(NewKey.named("a"));
    engine.authenticate(key(issued.plaintext()));
    engine.authenticate(key(format.generate().plaintext()));
    String text = engine.statistics().toString();
    assertThat(text).startsWith("AuthenticationStatistics[").contains("authenticated.API_KEY=1",
        "authenticated.BEARER=0", "refused.INVALID_KEY=1", "refused.UNAVAILABLE=0", "deferred=0", "cachedKeys=1",
        "cacheHits=0", "cacheMisses=2", "verifications=2", "hashes=1", "hashingSlots=", "hashingSlotsInUse=0",
        "waitingForHashing=0", "hashingRefused=0", "peakConcurrentHashes=1", "failedKeys=1",
        "usageFlushFailures=0", "storeUnavailableSince=none", "verificationNanos=");
    assertThat(text).doesNotContain(issued.key().id()).doesNotContain(issued.plaintext());
  }
}

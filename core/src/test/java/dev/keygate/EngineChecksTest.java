package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.LogCapture;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each check of {@link AuthenticationEngine} on its own: the order they run in, what each refusal
 * looks like, what is audited, and what the engine gives back to the store when it closes.
 */
class EngineChecksTest {
  private static final String PEER = "203.0.113.7";

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final CountingHasher hasher = new CountingHasher();
  private final ObservedStore store = ObservedStore.announcing();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(hasher).clock(clock).build();
  private final List<KeyEvent> events = new CopyOnWriteArrayList<>();
  private final List<AuthenticationEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(AuthenticationEngine::close);
  }

  private AuthenticationEngine engine(AuthenticationEngine.Builder b) {
    AuthenticationEngine e = b.store(store).format(format).clock(clock).cacheExecutor(Runnable::run)
        .usageFlushInterval(Duration.ZERO).listener(events::add).build();
    engines.add(e);
    return e;
  }

  private AuthenticationEngine engine() {
    return engine(AuthenticationEngine.builder().hasher(hasher));
  }

  private static AuthenticationRequest key(String key) {
    return AuthenticationRequest.from(PEER).apiKey(key).build();
  }

  private static Refusal reason(AuthenticationResult r) {
    return r instanceof Refused refused ? refused.reason() : null;
  }

  // --- defaults and challenges -----------------------------------------------------------------

  @Test
  void withoutAHasherTheEngineVerifiesOwaspArgon2idHashes() {
    ApiKeyService owasp = ApiKeyService.builder().store(store).format(format).clock(clock).build();
    IssuedKey k = owasp.create(NewKey.named("default hashing"));
    assertThat(k.key().secretHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    AuthenticationEngine engine = engine(AuthenticationEngine.builder());
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
  }

  @Test
  void theChallengeOffersBearerOnlyWhenBearerTokensAreChecked() {
    Refused plain = engine().missingCredentials();
    assertThat(plain.headers().get("WWW-Authenticate")).isEqualTo("ApiKey realm=\"keygate\", header=\"X-API-Key\"");
    AuthenticationEngine both = engine(AuthenticationEngine.builder().hasher(hasher).apiKeyHeaders("X-Avala-Api-Key", "X-API-Key")
        .bearerAuthenticator(t -> Optional.empty()));
    Refused missing = (Refused) both.authenticate(AuthenticationRequest.from(PEER).build());
    assertThat(missing.headers().get("WWW-Authenticate"))
        .isEqualTo("ApiKey realm=\"keygate\", header=\"X-Avala-Api-Key\", Bearer realm=\"keygate\"");
    assertThat(both.missingCredentials()).isEqualTo(missing);
    assertThat(both.invalidBearerToken().headers().get("WWW-Authenticate"))
        .isEqualTo("Bearer realm=\"keygate\", error=\"invalid_token\"");
    assertThat(both.invalidBearerToken().reason()).isEqualTo(Refusal.INVALID_BEARER_TOKEN);
    assertThat(both.apiKeyHeaders()).containsExactly("X-Avala-Api-Key", "X-API-Key");
    assertThat(both.format()).isSameAs(format);
  }

  // --- failures that are not refusals ----------------------------------------------------------

  @Test
  void aBearerPlugInThatOverflowsTheStackIsAnswered503AndLogged() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher).bearerAuthenticator(t -> {
      throw new StackOverflowError();
    }));
    try (LogCapture logs = new LogCapture()) {
      assertThat(reason(engine.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer t").build())))
          .isEqualTo(Refusal.UNAVAILABLE);
      assertThat(logs.text()).contains("authentication failed unexpectedly; answering 503");
    }
  }

  @Test
  void anOutOfMemoryErrorIsNeverSwallowed() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher).bearerAuthenticator(t -> {
      throw new OutOfMemoryError("simulated");
    }));
    assertThatThrownBy(() -> engine.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer t").build()))
        .isInstanceOf(OutOfMemoryError.class).hasMessage("simulated");
  }

  // --- the failure throttle comes before any key or token is checked --------------------------

  @Test
  void aThrottledAddressIsRefusedBeforeItsKeyIsVerified() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher)
        .failureLimit(new RateLimit(2, Duration.ofMinutes(1))));
    String valid = service.create(NewKey.named("a")).plaintext();
    engine.authenticate(key("junk"));
    engine.authenticate(key("junk"));
    Refused throttled = (Refused) engine.authenticate(key(valid));
    assertThat(throttled.reason()).isEqualTo(Refusal.RATE_LIMITED);
    assertThat(throttled.retryAfterSeconds()).isEqualTo(30);
    assertThat(hasher.verifications()).as("no hashing for a throttled address").isZero();
    assertThat(store.lookups).as("nor a store lookup").hasValue(0);
    assertThat(engine.authenticate(AuthenticationRequest.from("198.51.100.1").apiKey(valid).build()))
        .isInstanceOf(Authenticated.class);
  }

  @Test
  void aThrottledAddressIsRefusedBeforeItsBearerTokenIsChecked() {
    AtomicInteger asked = new AtomicInteger();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher)
        .failureLimit(new RateLimit(2, Duration.ofMinutes(1))).bearerAuthenticator(t -> {
          asked.incrementAndGet();
          return t.equals("good") ? Optional.of(KeygatePrincipal.bearer("u", null, Set.of())) : Optional.empty();
        }));
    AuthenticationRequest bad = AuthenticationRequest.from(PEER).authorization("Bearer bad").build();
    assertThat(reason(engine.authenticate(bad))).isEqualTo(Refusal.INVALID_BEARER_TOKEN);
    assertThat(reason(engine.authenticate(bad))).isEqualTo(Refusal.INVALID_BEARER_TOKEN);
    assertThat(reason(engine.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer good").build())))
        .isEqualTo(Refusal.RATE_LIMITED);
    assertThat(asked).hasValue(2);
  }

  // --- Bearer tokens ---------------------------------------------------------------------------

  @Test
  void anEmptyBearerTokenIsRefusedWithoutAskingThePlugIn() {
    List<String> asked = new CopyOnWriteArrayList<>();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher).bearerAuthenticator(t -> {
      asked.add(t);
      return Optional.of(KeygatePrincipal.bearer("anyone", null, Set.of()));
    }));
    for (String header : List.of("Bearer ", "bearer \t ", "BEARER  ")) {
      Refused r = (Refused) engine.authenticate(AuthenticationRequest.from(PEER).authorization(header).build());
      assertThat(r.reason()).as(header).isEqualTo(Refusal.INVALID_BEARER_TOKEN);
    }
    assertThat(asked).isEmpty();
    assertThat(reason(engine.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer").build())))
        .as("no token at all").isEqualTo(Refusal.MISSING_CREDENTIALS);
    assertThat(engine.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer\ttok").build()))
        .as("the scheme ends at a space").isInstanceOf(Refused.class);
  }

  @Test
  void aPlugInAnsweringNullIsARefusalNotAnError() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher).bearerAuthenticator(t -> null));
    assertThat(reason(engine.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer x").build())))
        .isEqualTo(Refusal.INVALID_BEARER_TOKEN);
  }

  @Test
  void httpWhitespaceAroundKeysAndTokensIsIgnored() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher).bearerAuthenticator(
        t -> t.equals("tok") ? Optional.of(KeygatePrincipal.bearer("u", null, Set.of())) : Optional.empty()));
    String k = service.create(NewKey.named("a")).plaintext();
    for (String wrapped : List.of(" " + k, "\t" + k, k + " ", k + "\t", " \t" + k + "\t ", "\t\t" + k, k + "  ")) {
      assertThat(engine.authenticate(key(wrapped))).as("[%s]", wrapped.replace(k, "key")).isInstanceOf(Authenticated.class);
    }
    for (String wrapped : List.of("Bearer  tok", "Bearer \ttok", "Bearer tok\t", "Bearer tok ", "Bearer \t tok \t")) {
      assertThat(engine.authenticate(AuthenticationRequest.from(PEER).authorization(wrapped).build())).as(wrapped)
          .isInstanceOf(Authenticated.class);
    }
    assertThat(engine.authenticate(key("\u000b" + k))).as("only space and tab").isInstanceOf(Refused.class);
    assertThat(Credentials.trimOws(" \t ")).isEmpty();
    assertThat(Credentials.trimOws("a b")).isEqualTo("a b");
  }

  // --- audit -----------------------------------------------------------------------------------

  @Test
  void failedVerificationsAreAuditedWithTheKeyIdAndClient() {
    AuthenticationEngine engine = engine();
    IssuedKey k = service.create(NewKey.named("a").withOwner("org_1"));
    String unknown = format.generate().plaintext();
    String wrong = format.generate(k.key().id()).plaintext();
    engine.authenticate(key(unknown));
    engine.authenticate(AuthenticationRequest.from("198.51.100.4").apiKey(wrong).build());
    assertThat(events).hasSize(2).allSatisfy(e -> {
      assertThat(e.type()).isEqualTo(KeyEvent.Type.AUTHENTICATION_FAILED);
      assertThat(e.reason()).isEqualTo("INVALID_KEY");
      assertThat(e.at()).isEqualTo(clock.instant());
    });
    assertThat(events.get(0).keyId()).isEqualTo(format.parse(unknown).id());
    assertThat(events.get(0).clientAddress()).isEqualTo(PEER);
    assertThat(events.get(1).keyId()).isEqualTo(k.key().id());
    assertThat(events.get(1).clientAddress()).isEqualTo("198.51.100.4");
  }

  // --- allowlists ------------------------------------------------------------------------------

  @Test
  void anAllowlistedKeyFromAnAddressNobodyKnowsIsRefused403() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher).trustedProxies(List.of("10.0.0.0/8")));
    IssuedKey k = service.create(NewKey.named("walled").withAllowedIps(List.of("0.0.0.0/0", "::/0")));
    AuthenticationRequest unreadable = AuthenticationRequest.from("10.0.0.1").xForwardedFor("unknown").apiKey(k.plaintext()).build();
    Refused r = (Refused) engine.authenticate(unreadable);
    assertThat(r.reason()).isEqualTo(Refusal.IP_NOT_ALLOWED);
    assertThat(r.status()).isEqualTo(403);
    AuthenticationRequest notIp = AuthenticationRequest.from("local:socket").apiKey(k.plaintext()).build();
    assertThat(reason(engine.authenticate(notIp))).isEqualTo(Refusal.IP_NOT_ALLOWED);
    assertThat(events).extracting(KeyEvent::clientAddress).containsExactly("unknown", "local:socket");
    assertThat(engine.authenticate(key(k.plaintext()))).as("any real address").isInstanceOf(Authenticated.class);
  }

  @Test
  void theAllowlistIsCheckedOnEveryCachedRequestToo() {
    AuthenticationEngine engine = engine();
    IssuedKey k = service.create(NewKey.named("walled").withAllowedIps(List.of("198.51.100.0/24")));
    AuthenticationRequest inside = AuthenticationRequest.from("198.51.100.7").apiKey(k.plaintext()).build();
    assertThat(engine.authenticate(inside)).isInstanceOf(Authenticated.class);
    assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.IP_NOT_ALLOWED);
    assertThat(engine.authenticate(inside)).isInstanceOf(Authenticated.class);
    assertThat(hasher.verifications()).isEqualTo(1);
  }

  // --- grace periods ---------------------------------------------------------------------------

  @Test
  void aPreviousSecretIsRefusedOnceItsGraceEndsEvenWhileCached() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher).cache(100, Duration.ofHours(1)));
    IssuedKey old = service.create(NewKey.named("a"));
    IssuedKey next = service.rotate(old.key().id(), Duration.ofMinutes(10));
    assertThat(engine.authenticate(key(old.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(key(next.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(engine.stats()).containsEntry("cachedKeys", 2L);
    clock.advance(Duration.ofMinutes(10));
    assertThat(reason(engine.authenticate(key(old.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.stats()).as("the old secret's entry is dropped").containsEntry("cachedKeys", 1L);
    assertThat(engine.authenticate(key(next.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(reason(engine.authenticate(key(old.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
  }

  // --- scopes ----------------------------------------------------------------------------------

  @Test
  void authorizeNeedsEveryAllOfScopeAndOneAnyOfScope() {
    KeygatePrincipal p = KeygatePrincipal.bearer("u", null, Set.of("orders.read", "reports.*"));
    AuthenticationEngine engine = engine();
    assertThat(engine.authorize(p, Set.of(), Set.of())).isEmpty();
    assertThat(engine.authorize(p, Set.of("orders.read"), Set.of())).isEmpty();
    assertThat(engine.authorize(p, Set.of("orders.read"), Set.of("admin", "reports.daily"))).isEmpty();
    assertThat(engine.authorize(p, Set.of(), Set.of("reports.daily"))).isEmpty();

    Optional<Refused> noneOfAnyOf = engine.authorize(p, Set.of("orders.read"), Set.of("admin", "orders.write"));
    assertThat(noneOfAnyOf).get().extracting(Refused::reason).isEqualTo(Refusal.INSUFFICIENT_SCOPE);
    assertThat(noneOfAnyOf.get().requiredScopes()).containsExactly("admin", "orders.read", "orders.write");
    Optional<Refused> missingAllOf = engine.authorize(p, Set.of("orders.read", "orders.write"), Set.of("reports.daily"));
    assertThat(missingAllOf).isPresent();
    assertThat(missingAllOf.get().requiredScopes()).containsExactly("orders.read", "orders.write", "reports.daily");
    assertThat(engine.authorize(p, Set.of(), Set.of("admin"))).isPresent();
    assertThat(engine.authorize(KeygatePrincipal.bearer("none", null, Set.of()), Set.of(), Set.of("x"))).isPresent();
  }

  // --- the engine and its store ----------------------------------------------------------------

  @Test
  void closingTheEngineEndsItsStoreSubscription() {
    AuthenticationEngine engine = engine();
    assertThat(store.openSubscriptions).hasValue(1);
    engine.close();
    assertThat(store.openSubscriptions).hasValue(0);
  }

  @Test
  void invalidateDropsAKeyTheStoreDidNotAnnounce() {
    ObservedStore silent = ObservedStore.silent();
    ApiKeyService admin = ApiKeyService.builder().store(silent).format(format).hasher(hasher).clock(clock).build();
    AuthenticationEngine engine = AuthenticationEngine.builder().store(silent).format(format).hasher(hasher).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO).build();
    engines.add(engine);
    IssuedKey k = admin.create(NewKey.named("a"));
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    admin.revoke(k.key().id());
    assertThat(engine.authenticate(key(k.plaintext()))).as("cached until told").isInstanceOf(Authenticated.class);
    engine.invalidate(k.key().id());
    assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.REVOKED);
  }

  @Test
  void theEngineShowsItsSettingsAndNoSecret() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hasher(hasher).requireHttps(true)
        .trustedProxies(List.of("10.0.0.0/8")));
    IssuedKey k = service.create(NewKey.named("a"));
    engine.authenticate(AuthenticationRequest.from(PEER).secure(true).apiKey(k.plaintext()).build());
    assertThat(engine.toString()).contains("kg_test").contains("X-API-Key").contains("requireHttps=true")
        .contains("10.0.0.0/8").doesNotContain(k.plaintext().substring(20, 52));
    assertThat(engine.clientAddress(AuthenticationRequest.from("10.0.0.1").xForwardedFor("203.0.113.9").build()).text())
        .isEqualTo("203.0.113.9");
  }
}

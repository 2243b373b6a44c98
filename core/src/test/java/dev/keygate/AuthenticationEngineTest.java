package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.StoreUnavailableException;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.LogCapture;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticationEngineTest {
  private static final String PEER = "203.0.113.7";

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final CountingHasher hasher = new CountingHasher();
  private final ObservedStore store = ObservedStore.announcing();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(hasher).clock(clock).build();
  private final List<AuthenticationEngine> engines = new ArrayList<>();

  private AuthenticationEngine engine() {
    return engine(AuthenticationEngine.builder());
  }

  private AuthenticationEngine engine(AuthenticationEngine.Builder b) {
    AuthenticationEngine e = b.store(store).format(format).hasher(hasher).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO).build();
    engines.add(e);
    return e;
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(AuthenticationEngine::close);
  }

  private static AuthenticationRequest key(String key) {
    return AuthenticationRequest.from(PEER).apiKey(key).build();
  }

  private static Refusal reason(AuthenticationResult r) {
    return r instanceof Refused refused ? refused.reason() : null;
  }

  @Test
  void validKeyAuthenticatesWithItsAttributes() {
    IssuedKey k = service.create(NewKey.named("deploy").withScopes("orders.read").withOwner("org_1")
        .withEnvironment("test").withMetadata(Map.of("team", "x")));
    AuthenticationResult r = engine().authenticate(key(k.plaintext()));
    assertThat(r).isInstanceOf(Authenticated.class);
    KeygatePrincipal p = ((Authenticated) r).principal();
    assertThat(p.method()).isEqualTo(AuthMethod.API_KEY);
    assertThat(p.getName()).isEqualTo(k.key().id());
    assertThat(p.keyName()).isEqualTo("deploy");
    assertThat(p.owner()).isEqualTo("org_1");
    assertThat(p.environment()).isEqualTo("test");
    assertThat(p.metadata()).containsEntry("team", "x");
    assertThat(p.hasScope("orders.read")).isTrue();
    assertThat(p.hasScope("orders.write")).isFalse();
    assertThat(p.toString()).doesNotContain(k.plaintext());
  }

  @Test
  void everyRefusalReason() {
    AuthenticationEngine engine = engine();
    IssuedKey k = service.create(NewKey.named("a").withExpiresAt(clock.instant().plus(Duration.ofHours(1))));
    String wrongSecret = format.generate(k.key().id()).plaintext();

    assertThat(reason(engine.authenticate(AuthenticationRequest.from(PEER).build()))).isEqualTo(Refusal.MISSING_CREDENTIALS);
    assertThat(reason(engine.authenticate(key("")))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(engine.authenticate(key("kg_test_nope")))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(engine.authenticate(key(format.generate().plaintext())))).as("unknown id").isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(engine.authenticate(key(wrongSecret)))).as("wrong secret").isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    clock.advance(Duration.ofHours(1));
    assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.EXPIRED);

    IssuedKey r = service.create(NewKey.named("b"));
    service.revoke(r.key().id());
    assertThat(reason(engine.authenticate(key(r.plaintext())))).isEqualTo(Refusal.REVOKED);
    String wrongForRevoked = format.generate(r.key().id()).plaintext();
    assertThat(reason(engine.authenticate(key(wrongForRevoked)))).as("only a matching secret learns 'revoked'")
        .isEqualTo(Refusal.INVALID_KEY);
  }

  @Test
  void refusalsCarryTheTableResponses() {
    AuthenticationEngine engine = engine();
    Refused missing = (Refused) engine.authenticate(AuthenticationRequest.from(PEER).build());
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");
    assertThat(missing.headers()).containsEntry("Content-Type", "application/json")
        .containsEntry("Cache-Control", "no-store")
        .containsEntry("WWW-Authenticate", "ApiKey realm=\"keygate\", header=\"X-API-Key\"")
        .doesNotContainKey("Retry-After");
    Refused invalid = (Refused) engine.authenticate(key("junk"));
    assertThat(invalid.body()).isEqualTo("{\"detail\":\"Invalid API key.\"}");
    Refused scope = Refused.insufficientScope(Set.of("orders.write", "admin"));
    assertThat(scope.status()).isEqualTo(403);
    assertThat(scope.body()).isEqualTo(
        "{\"detail\":\"You do not have permission to perform this action.\",\"required_scopes\":[\"admin\",\"orders.write\"]}");
    assertThat(scope.headers()).doesNotContainKey("WWW-Authenticate");
  }

  @Test
  void httpsIsCheckedBeforeAnyKey() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().requireHttps(true)
        .trustedProxies(List.of("10.0.0.1")));
    IssuedKey k = service.create(NewKey.named("a"));
    assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.HTTPS_REQUIRED);
    assertThat(reason(engine.authenticate(AuthenticationRequest.from(PEER).build()))).isEqualTo(Refusal.HTTPS_REQUIRED);
    assertThat(hasher.verifications()).isZero();
    assertThat(engine.authenticate(AuthenticationRequest.from(PEER).secure(true).apiKey(k.plaintext()).build()))
        .isInstanceOf(Authenticated.class);
    AuthenticationRequest viaProxy = AuthenticationRequest.from("10.0.0.1").xForwardedProto("https").apiKey(k.plaintext()).build();
    assertThat(engine.authenticate(viaProxy)).isInstanceOf(Authenticated.class);
    AuthenticationRequest spoofed = AuthenticationRequest.from(PEER).xForwardedProto("https").apiKey(k.plaintext()).build();
    assertThat(reason(engine.authenticate(spoofed))).isEqualTo(Refusal.HTTPS_REQUIRED);
  }

  @Test
  void apiKeyWinsOverBearerAndBearerGoesToThePlugIn() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().bearerAuthenticator(
        t -> t.equals("good-token") ? Optional.of(KeygatePrincipal.bearer("user-1", "org_9", Set.of("x"))) : Optional.empty()));
    IssuedKey k = service.create(NewKey.named("a"));
    AuthenticationResult both = engine.authenticate(AuthenticationRequest.from(PEER).apiKey(k.plaintext())
        .authorization("Bearer good-token").build());
    assertThat(((Authenticated) both).principal().method()).isEqualTo(AuthMethod.API_KEY);
    AuthenticationResult badKeyGoodToken = engine.authenticate(AuthenticationRequest.from(PEER).apiKey("junk")
        .authorization("Bearer good-token").build());
    assertThat(reason(badKeyGoodToken)).as("never falls back to the token").isEqualTo(Refusal.INVALID_KEY);
    AuthenticationResult bearer = engine.authenticate(AuthenticationRequest.from(PEER).authorization("bearer good-token").build());
    assertThat(((Authenticated) bearer).principal().getName()).isEqualTo("user-1");
    Refused bad = (Refused) engine.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer nope").build());
    assertThat(bad.reason()).isEqualTo(Refusal.INVALID_BEARER_TOKEN);
    assertThat(bad.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"keygate\", error=\"invalid_token\"");
    assertThat(reason(engine.authenticate(AuthenticationRequest.from(PEER).authorization("Basic dTpw").build())))
        .isEqualTo(Refusal.MISSING_CREDENTIALS);
  }

  @Test
  void bearerWithoutPlugInIsDeferredAndAFailingPlugInIs503() {
    assertThat(engine().authenticate(AuthenticationRequest.from(PEER).authorization("Bearer x").build()))
        .isInstanceOf(AuthenticationResult.Deferred.class);
    AuthenticationEngine broken = engine(AuthenticationEngine.builder().bearerAuthenticator(t -> {
      throw new IllegalStateException("JWKS down");
    }));
    assertThat(reason(broken.authenticate(AuthenticationRequest.from(PEER).authorization("Bearer x").build())))
        .isEqualTo(Refusal.UNAVAILABLE);
  }

  @Test
  void severalEqualHeadersCountAsOneAndDifferentOnesAreInvalid() {
    AuthenticationEngine engine = engine();
    IssuedKey a = service.create(NewKey.named("a"));
    IssuedKey b = service.create(NewKey.named("b"));
    assertThat(engine.authenticate(AuthenticationRequest.from(PEER).apiKey(a.plaintext()).apiKey(" " + a.plaintext()).build()))
        .isInstanceOf(Authenticated.class);
    assertThat(reason(engine.authenticate(AuthenticationRequest.from(PEER).apiKey(a.plaintext()).apiKey(b.plaintext()).build())))
        .isEqualTo(Refusal.INVALID_KEY);
  }

  @Test
  void scopesAllOfAnyOfAndEmptyScopePolicy() {
    AuthenticationEngine engine = engine();
    KeygatePrincipal scoped = ((Authenticated) engine.authenticate(key(
        service.create(NewKey.named("a").withScopes("orders.*", "reports.read")).plaintext()))).principal();
    assertThat(engine.authorize(scoped, Set.of("orders.write", "reports.read"), Set.of())).isEmpty();
    assertThat(engine.authorize(scoped, Set.of(), Set.of("admin", "orders.delete"))).isEmpty();
    Optional<Refused> denied = engine.authorize(scoped, Set.of("admin"), Set.of());
    assertThat(denied).get().extracting(Refused::status).isEqualTo(403);
    assertThat(denied.get().requiredScopes()).containsExactly("admin");

    String unscoped = service.create(NewKey.named("b")).plaintext();
    KeygatePrincipal full = ((Authenticated) engine.authenticate(key(unscoped))).principal();
    assertThat(full.fullAccess()).isTrue();
    assertThat(engine.authorize(full, Set.of("anything"), Set.of())).isEmpty();

    AuthenticationEngine strict = engine(AuthenticationEngine.builder().emptyScopePolicy(EmptyScopePolicy.DENY));
    KeygatePrincipal none = ((Authenticated) strict.authenticate(key(unscoped))).principal();
    assertThat(strict.authorize(none, Set.of("anything"), Set.of())).isPresent();
    assertThat(strict.authorize(none, Set.of(), Set.of())).isEmpty();
  }

  @Test
  void allowlistUsesTheResolvedClientAddress() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().trustedProxies(List.of("10.0.0.0/8")));
    String k = service.create(NewKey.named("a").withAllowedIps(List.of("198.51.100.0/24", "2001:db8::/32"))).plaintext();
    assertThat(reason(engine.authenticate(key(k)))).isEqualTo(Refusal.IP_NOT_ALLOWED);
    assertThat(engine.authenticate(AuthenticationRequest.from("198.51.100.9").apiKey(k).build())).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(AuthenticationRequest.from("2001:db8::5").apiKey(k).build())).isInstanceOf(Authenticated.class);
    AuthenticationRequest viaProxy = AuthenticationRequest.from("10.1.1.1").xForwardedFor("198.51.100.9, 10.2.2.2").apiKey(k).build();
    assertThat(engine.authenticate(viaProxy)).isInstanceOf(Authenticated.class);
    // an untrusted peer cannot claim an allowed address
    AuthenticationRequest spoofed = AuthenticationRequest.from(PEER).xForwardedFor("198.51.100.9").forwarded("for=198.51.100.9").apiKey(k).build();
    assertThat(reason(engine.authenticate(spoofed))).isEqualTo(Refusal.IP_NOT_ALLOWED);
    // through a trusted proxy, the left-most entry written by the client is not believed
    AuthenticationRequest forged = AuthenticationRequest.from("10.1.1.1").xForwardedFor("198.51.100.9, " + PEER).apiKey(k).build();
    assertThat(reason(engine.authenticate(forged))).isEqualTo(Refusal.IP_NOT_ALLOWED);
  }

  @Test
  void perKeyRateLimitAnswers429WithRetryAfter() {
    AuthenticationEngine engine = engine();
    String k = service.create(NewKey.named("a").withRateLimit(new RateLimit(2, Duration.ofMinutes(1)))).plaintext();
    assertThat(engine.authenticate(key(k))).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(key(k))).isInstanceOf(Authenticated.class);
    Refused limited = (Refused) engine.authenticate(key(k));
    assertThat(limited.reason()).isEqualTo(Refusal.RATE_LIMITED);
    assertThat(limited.retryAfterSeconds()).isEqualTo(30);
    assertThat(limited.headers()).containsEntry("Retry-After", "30");
    assertThat(limited.detail()).isEqualTo("Request was throttled. Expected available in 30 seconds.");
    clock.advance(Duration.ofSeconds(30));
    assertThat(engine.authenticate(key(k))).isInstanceOf(Authenticated.class);
  }

  @Test
  void cachedKeysCostOneHashAndRevokeRotateDeleteInvalidateAtOnce() {
    AuthenticationEngine engine = engine();
    IssuedKey k = service.create(NewKey.named("a"));
    for (int i = 0; i < 100; i++) {
      assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    }
    assertThat(hasher.verifications()).isEqualTo(1);

    IssuedKey rotated = service.rotate(k.key().id());
    assertThat(reason(engine.authenticate(key(k.plaintext())))).as("old secret dead at once").isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.authenticate(key(rotated.plaintext()))).isInstanceOf(Authenticated.class);
    service.revoke(k.key().id());
    assertThat(reason(engine.authenticate(key(rotated.plaintext())))).isEqualTo(Refusal.REVOKED);
    service.delete(k.key().id());
    assertThat(reason(engine.authenticate(key(rotated.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
  }

  @Test
  void previousSecretWorksDuringGraceOnly() {
    AuthenticationEngine engine = engine();
    IssuedKey k = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOfSatisfying(Authenticated.class,
        a -> assertThat(a.principal().previousSecret()).isFalse());
    IssuedKey next = service.rotate(k.key().id(), Duration.ofMinutes(5));
    assertThat(engine.authenticate(key(k.plaintext()))).as("the previous secret, and the principal says so")
        .isInstanceOfSatisfying(Authenticated.class, a -> assertThat(a.principal().previousSecret()).isTrue());
    assertThat(engine.authenticate(key(next.plaintext()))).isInstanceOfSatisfying(Authenticated.class,
        a -> assertThat(a.principal().previousSecret()).isFalse());
    clock.advance(Duration.ofMinutes(5));
    assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.authenticate(key(next.plaintext()))).isInstanceOf(Authenticated.class);
  }

  @Test
  void repeatedWrongSecretsCostOneHashEachAtMostAndAreThrottledPerAddress() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().failureLimit(new RateLimit(1_000_000, Duration.ofMinutes(1))));
    IssuedKey k = service.create(NewKey.named("a"));
    String wrong = format.generate(k.key().id()).plaintext();
    for (int i = 0; i < 1000; i++) {
      assertThat(reason(engine.authenticate(key(wrong)))).isEqualTo(Refusal.INVALID_KEY);
    }
    assertThat(hasher.verifications()).as("negative cache").isEqualTo(1);
    service.revoke(k.key().id());
    int before = hasher.verifications();
    for (int i = 0; i < 1000; i++) {
      assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.REVOKED);
    }
    assertThat(hasher.verifications() - before).as("a revoked key is verified once").isEqualTo(1);
  }

  @Test
  void failuresFromOneAddressAreThrottledButOtherAddressesAndCachedKeysAreNot() {
    AuthenticationEngine engine = engine();
    String good = service.create(NewKey.named("a")).plaintext();
    assertThat(engine.authenticate(key(good))).isInstanceOf(Authenticated.class);
    for (int i = 0; i < 10; i++) {
      assertThat(reason(engine.authenticate(key(format.generate().plaintext())))).isEqualTo(Refusal.INVALID_KEY);
    }
    Refused throttled = (Refused) engine.authenticate(key(format.generate().plaintext()));
    assertThat(throttled.reason()).isEqualTo(Refusal.RATE_LIMITED);
    assertThat(throttled.retryAfterSeconds()).isBetween(1L, 60L);
    assertThat(reason(engine.authenticate(key("junk")))).isEqualTo(Refusal.RATE_LIMITED);
    assertThat(engine.authenticate(key(good))).as("a cached valid key still works").isInstanceOf(Authenticated.class);
    assertThat(reason(engine.authenticate(AuthenticationRequest.from("198.51.100.1").apiKey("junk").build())))
        .isEqualTo(Refusal.INVALID_KEY);
    clock.advance(Duration.ofMinutes(1));
    assertThat(reason(engine.authenticate(key("junk")))).isEqualTo(Refusal.INVALID_KEY);
  }

  @Test
  void failuresAreThrottledPerIpv6SlashSixtyFourButNeverPerKeyId() {
    AuthenticationEngine engine = engine();
    for (int i = 1; i <= 10; i++) {
      AuthenticationRequest r = AuthenticationRequest.from("2001:db8:1:2::" + Integer.toHexString(i)).apiKey("junk").build();
      assertThat(reason(engine.authenticate(r))).isEqualTo(Refusal.INVALID_KEY);
    }
    assertThat(reason(engine.authenticate(AuthenticationRequest.from("2001:db8:1:2::ff").apiKey("junk").build())))
        .as("same /64").isEqualTo(Refusal.RATE_LIMITED);
    assertThat(reason(engine.authenticate(AuthenticationRequest.from("2001:db8:1:3::1").apiKey("junk").build())))
        .isEqualTo(Refusal.INVALID_KEY);

    IssuedKey k = service.create(NewKey.named("target"));
    for (int i = 0; i < 25; i++) {
      String wrong = format.generate(k.key().id()).plaintext();
      assertThat(reason(engine.authenticate(AuthenticationRequest.from("198.51.100." + i).apiKey(wrong).build())))
          .as("wrong secrets for a known id are refused, never throttled per id").isEqualTo(Refusal.INVALID_KEY);
    }
    assertThat(engine.authenticate(AuthenticationRequest.from("192.0.2.1").apiKey(k.plaintext()).build()))
        .as("the right secret after the id's budget is spent").isInstanceOf(Authenticated.class);
  }

  @Test
  void refusalsOfMatchingSecretsAreAudited() {
    List<KeyEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().listener(events::add));
    IssuedKey revoked = service.create(NewKey.named("r").withOwner("org_1"));
    service.revoke(revoked.key().id());
    IssuedKey walled = service.create(NewKey.named("w").withAllowedIps(List.of("10.0.0.0/8")));
    engine.authenticate(key(revoked.plaintext()));
    engine.authenticate(key(walled.plaintext()));
    assertThat(events).extracting(KeyEvent::reason).containsExactly("REVOKED", "IP_NOT_ALLOWED");
    assertThat(events.get(0).owner()).isEqualTo("org_1");
    assertThat(events.get(1).clientAddress()).isEqualTo(PEER);
  }

  @Test
  void storeOutageKeepsCachedKeysAndAnswers503ForOthers() {
    AuthenticationEngine engine = engine();
    String cached = service.create(NewKey.named("a")).plaintext();
    String uncached = service.create(NewKey.named("b")).plaintext();
    assertThat(engine.authenticate(key(cached))).isInstanceOf(Authenticated.class);
    store.down = true;
    try (LogCapture logs = new LogCapture()) {
      assertThat(engine.authenticate(key(cached))).isInstanceOf(Authenticated.class);
      Refused down = (Refused) engine.authenticate(key(uncached));
      assertThat(down.reason()).isEqualTo(Refusal.UNAVAILABLE);
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.headers()).containsEntry("Retry-After", "1");
      assertThat(logs.text()).doesNotContain(uncached).doesNotContain(uncached.substring(20, 52));
    }
  }

  @Test
  void revokeRacingWithTrafficIsRefusedEverywhereAfterwards() throws Exception {
    AuthenticationEngine engine = engine();
    String k = service.create(NewKey.named("a")).plaintext();
    String id = format.parse(k).id();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch answered = new CountDownLatch(8);
      AtomicBoolean revoked = new AtomicBoolean();
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        running.add(pool.submit(() -> {
          start.await();
          // each thread keeps the key busy until it has sent 100 requests after revoke() returned,
          // and every one of those is refused: none is answered from a verification cached before
          for (int i = 0, after = 0; after < 100; i++) {
            boolean startedAfterRevoke = revoked.get();
            AuthenticationResult r = engine.authenticate(key(k));
            if (i == 0) {
              answered.countDown();
            }
            if (startedAfterRevoke) {
              assertThat(reason(r)).as("request %d after revoke() returned", after).isEqualTo(Refusal.REVOKED);
              after++;
            }
          }
          return null;
        }));
      }
      start.countDown();
      // every thread is in its loop, the key cached: revoke in mid-traffic
      assertThat(answered.await(30, TimeUnit.SECONDS)).isTrue();
      service.revoke(id);
      revoked.set(true);
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(reason(engine.authenticate(key(k)))).isEqualTo(Refusal.REVOKED);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void usageIsCountedExactlyAndFlushedInBatchesOnClose() throws Exception {
    AuthenticationEngine engine = engine();
    IssuedKey a = service.create(NewKey.named("a"));
    IssuedKey b = service.create(NewKey.named("b"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      running.add(pool.submit(() -> {
        for (int i = 0; i < 2500; i++) {
          engine.authenticate(key(i % 5 == 0 ? b.plaintext() : a.plaintext()));
        }
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    clock.advance(Duration.ofSeconds(3));
    engine.close();
    assertThat(store.findById(a.key().id()).orElseThrow().usageCount()).isEqualTo(8000);
    assertThat(store.findById(b.key().id()).orElseThrow().usageCount()).isEqualTo(2000);
    assertThat(store.findById(a.key().id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant().minusSeconds(3));
    assertThat(store.usageBatches).as("one write on close, none per request").hasSize(1);
  }

  @Test
  void failedFlushKeepsTheCountsForTheNextOne() {
    AuthenticationEngine engine = engine();
    IssuedKey a = service.create(NewKey.named("a"));
    engine.authenticate(key(a.plaintext()));
    engine.authenticate(key(a.plaintext()));
    store.nextUsageFailure = new StoreUnavailableException("down", null);
    org.assertj.core.api.Assertions.assertThatThrownBy(engine::flushUsage).isInstanceOf(StoreUnavailableException.class);
    engine.authenticate(key(a.plaintext()));
    engine.flushUsage();
    assertThat(store.findById(a.key().id()).orElseThrow().usageCount()).isEqualTo(3);
  }

  @Test
  void outdatedHashesAreUpgradedOnSuccessfulVerification() {
    IssuedKey k = service.create(NewKey.named("a"));
    dev.keygate.hash.Argon2idHasher stronger = dev.keygate.hash.Argon2idHasher.builder().memoryKib(2048).iterations(1).parallelism(1).build();
    AuthenticationEngine engine = AuthenticationEngine.builder().store(store).format(format).hasher(stronger)
        .clock(clock).usageFlushInterval(Duration.ZERO).build();
    engines.add(engine);
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(store.findById(k.key().id()).orElseThrow().secretHash()).startsWith("$argon2id$v=19$m=2048,t=1,p=1$");
  }

  @Test
  void unexpectedFailuresAreAnswered503NeverThrown() {
    AuthenticationEngine engine = engine();
    String k = service.create(NewKey.named("a")).plaintext();
    store.lookupFailure = new IllegalStateException("bug");
    assertThat(reason(engine.authenticate(key(k)))).isEqualTo(Refusal.UNAVAILABLE);
  }

  @Test
  void noSecretReachesTheLogs() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().failureLimit(new RateLimit(3, Duration.ofMinutes(1))));
    IssuedKey k = service.create(NewKey.named("a").withAllowedIps(List.of("10.0.0.0/8")));
    String wrong = format.generate(k.key().id()).plaintext();
    try (LogCapture logs = new LogCapture()) {
      engine.authenticate(key(k.plaintext()));
      for (int i = 0; i < 5; i++) {
        engine.authenticate(key(wrong));
      }
      String text = logs.text() + engine + engine.stats();
      for (String secretish : List.of(k.plaintext(), k.plaintext().substring(20, 52), wrong, wrong.substring(20, 52), k.key().secretHash())) {
        assertThat(text).doesNotContain(secretish);
      }
    }
  }
}

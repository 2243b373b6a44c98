package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request's client address is resolved once, when a check first needs it, and every later check
 * of the same request (HTTPS, the failure throttle, the allowlist, the audit event) uses that
 * answer. Counted on the request itself: behind a trusted proxy, one walk of the forwarding chain
 * reads the peer address and {@code X-Forwarded-For} exactly once each (a Mockito spy of the real
 * request counts the reads; no hook in the engine).
 */
class ClientResolvedOnceTest {
  private static final String PROXY = "10.0.0.1";
  private static final String CLIENT = "203.0.113.7";

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

  private AuthenticationEngine engine(boolean requireHttps) {
    AuthenticationEngine e = AuthenticationEngine.builder().store(store).format(format).hasher(hasher).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO).listener(events::add)
        .requireHttps(requireHttps).trustedProxies(List.of("10.0.0.0/8"))
        .bearerAuthenticator(t -> Optional.empty()).build();
    engines.add(e);
    return e;
  }

  /** A request through the trusted proxy, over HTTPS at the proxy, as a spy that counts reads. */
  private static AuthenticationRequest viaProxy(AuthenticationRequest.Builder b) {
    return spy(b.xForwardedFor(CLIENT).xForwardedProto("https").build());
  }

  private static AuthenticationRequest keyViaProxy(String key) {
    return viaProxy(AuthenticationRequest.from(PROXY).apiKey(key));
  }

  private static void assertResolvedOnce(AuthenticationRequest request) {
    verify(request, times(1)).peerAddress();
    verify(request, times(1)).xForwardedFor();
  }

  private static void assertNotResolved(AuthenticationRequest request) {
    verify(request, times(0)).peerAddress();
    verify(request, times(0)).xForwardedFor();
  }

  private static Refusal reason(AuthenticationResult r) {
    return r instanceof Refused refused ? refused.reason() : null;
  }

  @Test
  void aMalformedKeyOverRequiredHttpsResolvesTheClientOnce() {
    AuthenticationEngine engine = engine(true);
    AuthenticationRequest request = keyViaProxy("kg_test_not-a-key");
    assertThat(reason(engine.authenticate(request))).isEqualTo(Refusal.INVALID_KEY);
    assertResolvedOnce(request);
  }

  @Test
  void aWrongSecretOverRequiredHttpsResolvesTheClientOnceAndAuditsIt() {
    AuthenticationEngine engine = engine(true);
    IssuedKey k = service.create(NewKey.named("a"));
    AuthenticationRequest request = keyViaProxy(format.generate(k.key().id()).plaintext());
    assertThat(reason(engine.authenticate(request))).isEqualTo(Refusal.INVALID_KEY);
    assertResolvedOnce(request);
    assertThat(events).singleElement().satisfies(e -> assertThat(e.clientAddress()).isEqualTo(CLIENT));
  }

  @Test
  void aRevokedKeyOverRequiredHttpsResolvesTheClientOnceAndAuditsIt() {
    AuthenticationEngine engine = engine(true);
    IssuedKey k = service.create(NewKey.named("a"));
    service.revoke(k.key().id());
    AuthenticationRequest request = keyViaProxy(k.plaintext());
    assertThat(reason(engine.authenticate(request))).isEqualTo(Refusal.REVOKED);
    assertResolvedOnce(request);
    assertThat(events).singleElement().satisfies(e -> assertThat(e.clientAddress()).isEqualTo(CLIENT));
  }

  @Test
  void anAddressOffTheAllowlistResolvesTheClientOnceAndAuditsIt() {
    AuthenticationEngine engine = engine(true);
    IssuedKey k = service.create(NewKey.named("a").withAllowedIps(List.of("198.51.100.0/24")));
    AuthenticationRequest request = keyViaProxy(k.plaintext());
    assertThat(reason(engine.authenticate(request))).isEqualTo(Refusal.IP_NOT_ALLOWED);
    assertResolvedOnce(request);
    assertThat(events).singleElement().satisfies(e -> assertThat(e.clientAddress()).isEqualTo(CLIENT));
  }

  @Test
  void anAllowlistedKeyFromACachedVerificationResolvesTheClientOnce() {
    AuthenticationEngine engine = engine(true);
    IssuedKey k = service.create(NewKey.named("a").withAllowedIps(List.of(CLIENT)));
    assertThat(engine.authenticate(keyViaProxy(k.plaintext()))).isInstanceOf(Authenticated.class);
    AuthenticationRequest cached = keyViaProxy(k.plaintext());
    assertThat(engine.authenticate(cached)).isInstanceOf(Authenticated.class);
    assertResolvedOnce(cached);
  }

  @Test
  void aRefusedBearerTokenOverRequiredHttpsResolvesTheClientOnce() {
    AuthenticationEngine engine = engine(true);
    AuthenticationRequest request = viaProxy(AuthenticationRequest.from(PROXY).authorization("Bearer nope"));
    assertThat(reason(engine.authenticate(request))).isEqualTo(Refusal.INVALID_BEARER_TOKEN);
    assertResolvedOnce(request);
  }

  @Test
  void theClientIsNotResolvedUntilACheckNeedsIt() {
    AuthenticationEngine engine = engine(false);
    IssuedKey k = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(keyViaProxy(k.plaintext()))).isInstanceOf(Authenticated.class);
    AuthenticationRequest cached = keyViaProxy(k.plaintext());
    assertThat(engine.authenticate(cached)).as("a cached key without allowlist").isInstanceOf(Authenticated.class);
    assertNotResolved(cached);
    AuthenticationRequest nothing = viaProxy(AuthenticationRequest.from(PROXY));
    assertThat(reason(engine.authenticate(nothing))).isEqualTo(Refusal.MISSING_CREDENTIALS);
    assertNotResolved(nothing);
  }

  @Test
  void aSecureConnectionNeedsNoResolutionForTheHttpsCheck() {
    AuthenticationEngine engine = engine(true);
    IssuedKey k = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(keyViaProxy(k.plaintext()))).isInstanceOf(Authenticated.class);
    AuthenticationRequest secure = spy(AuthenticationRequest.from(PROXY).secure(true).apiKey(k.plaintext()).build());
    assertThat(engine.authenticate(secure)).isInstanceOf(Authenticated.class);
    assertNotResolved(secure);
  }
}

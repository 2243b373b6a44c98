package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import dev.keygate.ApiKeyService;
import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.KeygatePrincipal;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.StoreUnavailableException;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.ApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.StoreUnavailableException;
import dev.keygate.testkit.MutableClock;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.RuntimeDelegate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JAX-RS adapter's contract over real HTTP, run by every runtime: each row of the response
 * table with exact bodies and headers, the annotations, Bearer tokens, the security context, and
 * the client filter with this runtime's client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KeygateJaxRsContract extends JaxRsContractSupport {
  private static final String CHALLENGE =
      "ApiKey realm=\"keygate\", header=\"X-API-Key\", Bearer realm=\"keygate\"";
  private AuthenticationEngine engine;
  private AuthenticationEngine httpsEngine;
  private AuthenticationEngine deferringEngine;
  private JaxRsRuntime runtime;
  private final Map<String, URI> deployed = new HashMap<>();
  private final List<JaxRsRuntime> servers = new ArrayList<>();

  @BeforeAll
  void start() {
    engine = keygate().bearerAuthenticator(KeygateJaxRsContract::goodToken).build().engine();
    httpsEngine = keygate().requireHttps(true).build().engine();
    deferringEngine = keygate().build().engine();
    runtime = runtime();
  }

  // Each application is deployed on its own server when a test first asks for it: mutation testing
  // runs one test at a time, each with this class's set-up, and most tests need only /app.

  private URI app() throws Exception {
    return deployed("/app", () -> TestResources.application(new KeygateFeature(engine)));
  }

  private URI httpsApp() throws Exception {
    return deployed("/secure", () -> TestResources.application(KeygateFeature.builder(httpsEngine).build()));
  }

  private URI deferringApp() throws Exception {
    return deployed("/deferring", () -> TestResources.application(
        KeygateFeature.builder(deferringEngine).deferBearerTokens(true).build(),
        new TestResources.AppTokenFilter()));
  }

  /** The same engine and the same application authentication as deferringApp(), without the opt-in. */
  private URI closedApp() throws Exception {
    return deployed("/closed", () -> TestResources.application(new KeygateFeature(deferringEngine),
        new TestResources.AppTokenFilter()));
  }

  /** CORS preflights pass without credentials (allowPreflight). */
  private URI preflightApp() throws Exception {
    return deployed("/preflight", () -> TestResources.application(
        KeygateFeature.builder(engine).allowPreflight(true).build()));
  }

  private URI deployed(String path, Supplier<Application> application) throws Exception {
    URI uri = deployed.get(path);
    if (uri == null) {
      JaxRsRuntime server = runtime();
      servers.add(server);
      uri = server.start(Map.of(path, application.get())).resolve(path + "/");
      deployed.put(path, uri);
    }
    return uri;
  }

  private static Optional<KeygatePrincipal> goodToken(String token) {
    return token.equals("good-token")
        ? Optional.of(KeygatePrincipal.bearer("token-user", "acme", Set.of("orders.read")))
        : Optional.empty();
  }

  @AfterAll
  void stop() throws Exception {
    for (JaxRsRuntime server : servers) {
      server.stop();
    }
    engine.close();
    httpsEngine.close();
    deferringEngine.close();
  }

  @Test
  void runsOnTheImplementationUnderTest() {
    assertThat(RuntimeDelegate.getInstance().getClass().getName())
        .startsWith(runtime.implementationPackage());
  }

  // ---- the response table ----

  @Test
  void respondsToMissingCredentialsWith401() throws Exception {
    HttpResponse<String> r = get(app(), "me");
    assertRefused(r, 401, "{\"detail\":\"Authentication credentials were not provided.\"}",
        CHALLENGE, null);
  }

  @Test
  void respondsToMalformedKeyWith401() throws Exception {
    assertInvalidKey(get(app(), "me", "X-API-Key", "kg_test_not-a-key"));
    assertInvalidKey(get(app(), "me", "X-API-Key", ""));
  }

  @Test
  void respondsToUnknownKeyWith401() throws Exception {
    assertInvalidKey(get(app(), "me", "X-API-Key", format.generate().plaintext()));
  }

  @Test
  void respondsToWrongSecretWith401() throws Exception {
    IssuedKey key = create(NewKey.named("wrong secret"));
    String sameIdOtherSecret = format.generate(key.key().id()).plaintext();
    assertInvalidKey(get(app(), "me", "X-API-Key", sameIdOtherSecret));
  }

  @Test
  void respondsToExpiredKeyWith401() throws Exception {
    IssuedKey key = create(NewKey.named("expiring").withExpiresAt(clock.instant().plusSeconds(60)));
    assertThat(get(app(), "me", "X-API-Key", key.plaintext()).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(2));
    assertRefused(get(app(), "me", "X-API-Key", key.plaintext()), 401,
        "{\"detail\":\"API key has expired.\"}", CHALLENGE, null);
  }

  @Test
  void respondsToRevokedKeyWith401AtOnce() throws Exception {
    IssuedKey key = create(NewKey.named("revoked"));
    assertThat(get(app(), "me", "X-API-Key", key.plaintext()).statusCode()).isEqualTo(200);
    service.revoke(key.key().id());
    assertRefused(get(app(), "me", "X-API-Key", key.plaintext()), 401,
        "{\"detail\":\"API key has been revoked.\"}", CHALLENGE, null);
  }

  @Test
  void respondsToAddressOffTheAllowListWith403() throws Exception {
    IssuedKey elsewhere = create(NewKey.named("elsewhere").withAllowedIps(List.of("10.1.2.3")));
    assertRefused(get(app(), "me", "X-API-Key", elsewhere.plaintext()), 403,
        "{\"detail\":\"IP address not allowed.\"}", null, null);
  }

  @Test
  void readsThePeerAddressFromTheServletRequest() throws Exception {
    IssuedKey local = create(NewKey.named("local").withAllowedIps(List.of("127.0.0.0/8", "::1")));
    assertThat(get(app(), "me", "X-API-Key", local.plaintext()).statusCode()).isEqualTo(200);
  }

  @Test
  void respondsToMissingScopeWith403ListingTheRequiredScopes() throws Exception {
    IssuedKey reader = create(NewKey.named("reader").withScopes(Set.of("orders.read")));
    assertRefused(post(app(), "orders", "X-API-Key", reader.plaintext()), 403,
        "{\"detail\":\"" + FORBIDDEN + "\",\"required_scopes\":[\"orders.write\"]}", null, null);
  }

  @Test
  void respondsToPlainHttpWith403WhenHttpsIsRequired() throws Exception {
    IssuedKey key = create(NewKey.named("https"));
    assertRefused(get(httpsApp(), "me", "X-API-Key", key.plaintext()), 403,
        "{\"detail\":\"HTTPS is required.\"}", null, null);
    assertRefused(get(httpsApp(), "me"), 403, "{\"detail\":\"HTTPS is required.\"}", null, null);
  }

  @Test
  void respondsToKeyOverItsRateLimitWith429AndRetryAfter() throws Exception {
    IssuedKey key = create(NewKey.named("limited").withRateLimit(new RateLimit(2, Duration.ofMinutes(1))));
    assertThat(get(app(), "me", "X-API-Key", key.plaintext()).statusCode()).isEqualTo(200);
    assertThat(get(app(), "me", "X-API-Key", key.plaintext()).statusCode()).isEqualTo(200);
    HttpResponse<String> r = get(app(), "me", "X-API-Key", key.plaintext());
    String wait = r.headers().firstValue("Retry-After").orElseThrow();
    assertThat(Long.parseLong(wait)).isBetween(1L, 60L);
    assertRefused(r, 429, "{\"detail\":\"Request was throttled. Expected available in " + wait
        + " seconds.\"}", null, wait);
  }

  @Test
  void respondsToStoreOutageOnUncachedKeyWith503AndRetryAfter() throws Exception {
    IssuedKey cached = create(NewKey.named("cached"));
    assertThat(get(app(), "me", "X-API-Key", cached.plaintext()).statusCode()).isEqualTo(200);
    IssuedKey uncached = create(NewKey.named("uncached"));
    doThrow(new StoreUnavailableException("store down")).when(store).findById(uncached.key().id());
    doThrow(new StoreUnavailableException("store down")).when(store).findById(cached.key().id());

    assertRefused(get(app(), "me", "X-API-Key", uncached.plaintext()), 503,
        "{\"detail\":\"Authentication service temporarily unavailable.\"}", null, "1");
    assertThat(get(app(), "me", "X-API-Key", cached.plaintext()).statusCode())
        .as("a verified key keeps working from the cache").isEqualTo(200);
  }

  // ---- annotations ----

  @Test
  void classScopeAppliesToItsMethods() throws Exception {
    IssuedKey reader = create(NewKey.named("reader").withScopes(Set.of("orders.read")));
    IssuedKey other = create(NewKey.named("other").withScopes(Set.of("reports.read")));
    assertOk(get(app(), "orders", "X-API-Key", reader.plaintext()), "orders");
    assertRefused(get(app(), "orders", "X-API-Key", other.plaintext()), 403,
        "{\"detail\":\"" + FORBIDDEN + "\",\"required_scopes\":[\"orders.read\"]}", null, null);
  }

  @Test
  void methodScopeReplacesClassScope() throws Exception {
    IssuedKey writer = create(NewKey.named("writer").withScopes(Set.of("orders.write")));
    assertOk(post(app(), "orders", "X-API-Key", writer.plaintext()), "created");
    assertThat(get(app(), "orders", "X-API-Key", writer.plaintext()).statusCode()).isEqualTo(403);
  }

  @Test
  void anyOfNeedsOneScopeAndAllOfNeedsEvery() throws Exception {
    IssuedKey auditor = create(NewKey.named("auditor").withScopes(Set.of("orders.audit")));
    IssuedKey reader = create(NewKey.named("reader").withScopes(Set.of("orders.read")));
    IssuedKey exporter =
        create(NewKey.named("exporter").withScopes(Set.of("orders.read", "orders.export")));
    assertOk(get(app(), "orders/either", "X-API-Key", auditor.plaintext()), "either");
    assertRefused(get(app(), "orders/either", "X-API-Key", reader.plaintext()), 403,
        "{\"detail\":\"" + FORBIDDEN + "\",\"required_scopes\":[\"orders.admin\",\"orders.audit\"]}",
        null, null);
    assertOk(get(app(), "orders/both", "X-API-Key", exporter.plaintext()), "both");
    assertRefused(get(app(), "orders/both", "X-API-Key", reader.plaintext()), 403,
        "{\"detail\":\"" + FORBIDDEN + "\",\"required_scopes\":[\"orders.export\",\"orders.read\"]}",
        null, null);
  }

  @Test
  void wildcardAndEmptyScopesGrantAccess() throws Exception {
    IssuedKey wildcard = create(NewKey.named("wildcard").withScopes(Set.of("orders.*")));
    IssuedKey full = create(NewKey.named("full access"));
    assertOk(post(app(), "orders", "X-API-Key", wildcard.plaintext()), "created");
    assertOk(get(app(), "orders/both", "X-API-Key", full.plaintext()), "both");
  }

  @Test
  void rolesAllowedReadsRolesAsScopesAndMethodOverridesClass() throws Exception {
    IssuedKey reader = create(NewKey.named("reader").withScopes(Set.of("reports.read")));
    IssuedKey admin = create(NewKey.named("admin").withScopes(Set.of("admin")));
    IssuedKey wildcard = create(NewKey.named("wildcard").withScopes(Set.of("reports.*")));
    assertOk(get(app(), "reports", "X-API-Key", reader.plaintext()), "reports");
    assertRefused(get(app(), "reports", "X-API-Key", admin.plaintext()), 403,
        "{\"detail\":\"" + FORBIDDEN + "\",\"required_scopes\":[\"reports.read\"]}", null, null);
    assertOk(get(app(), "reports/admin", "X-API-Key", admin.plaintext()), "reports admin");
    assertRefused(get(app(), "reports/admin", "X-API-Key", reader.plaintext()), 403,
        "{\"detail\":\"" + FORBIDDEN + "\",\"required_scopes\":[\"admin\",\"reports.admin\"]}",
        null, null);
    assertOk(get(app(), "reports/admin", "X-API-Key", wildcard.plaintext()), "reports admin");
  }

  @Test
  void rolesAllowedAsksUnauthenticatedCallersForCredentials() throws Exception {
    assertRefused(get(app(), "reports"), 401,
        "{\"detail\":\"Authentication credentials were not provided.\"}", CHALLENGE, null);
  }

  @Test
  void permitAllOpensAMethodWithoutCredentials() throws Exception {
    assertOk(get(app(), "reports/open"), "open reports");
    assertOk(get(app(), "locked/open"), "open lock");
  }

  @Test
  void denyAllRefusesEveryCaller() throws Exception {
    IssuedKey full = create(NewKey.named("full access"));
    assertRefused(get(app(), "reports/closed", "X-API-Key", full.plaintext()), 403,
        "{\"detail\":\"" + FORBIDDEN + "\",\"required_scopes\":[]}", null, null);
    assertThat(get(app(), "locked", "X-API-Key", full.plaintext()).statusCode()).isEqualTo(403);
    assertThat(get(app(), "locked").statusCode()).isEqualTo(401);
  }

  @Test
  void publicResourcesNeedNoCredentials() throws Exception {
    HttpResponse<String> health = get(app(), "health");
    assertOk(health, "{\"status\":\"ok\"}");
    assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertOk(get(app(), "orders/open"), "open orders");
    assertOk(get(app(), "health", "X-API-Key", "garbage"), "{\"status\":\"ok\"}");
  }

  @Test
  void methodScopeOnPublicClassProtectsThatMethod() throws Exception {
    assertThat(get(app(), "health/details").statusCode()).isEqualTo(401);
    IssuedKey ops = create(NewKey.named("ops").withScopes(Set.of("ops.read")));
    assertOk(get(app(), "health/details", "X-API-Key", ops.plaintext()), "details");
  }

  @Test
  void publicResourceStaysUpDuringAStoreOutage() throws Exception {
    IssuedKey key = create(NewKey.named("outage"));
    doThrow(new StoreUnavailableException("store down")).when(store).findById(key.key().id());
    assertOk(get(app(), "health", "X-API-Key", key.plaintext()), "{\"status\":\"ok\"}");
  }

  @Test
  void letsCorsPreflightThroughWhenAllowed() throws Exception {
    assertOk(options(preflightApp(), "orders", "Origin", "https://example.test", "Access-Control-Request-Method", "POST"),
        "options");
  }

  @Test
  void onlyAnOptionsRequestWithOriginAndRequestMethodIsAPreflight() throws Exception {
    assertRefused(get(preflightApp(), "orders", "Origin", "https://example.test", "Access-Control-Request-Method", "GET"),
        401, NOT_PROVIDED, CHALLENGE, null);
    assertRefused(options(preflightApp(), "orders", "Access-Control-Request-Method", "POST"), 401, NOT_PROVIDED,
        CHALLENGE, null);
    assertRefused(options(preflightApp(), "orders", "Origin", "https://example.test"), 401, NOT_PROVIDED, CHALLENGE,
        null);
  }

  @Test
  void allowingPreflightsLetsOnlyPreflightsPastTheScopeCheck() throws Exception {
    IssuedKey other = create(NewKey.named("other").withScopes(Set.of("reports.read")));

    // an OPTIONS without Origin and a GET are no preflights: the key still needs orders.read
    assertRefused(options(preflightApp(), "orders", "Access-Control-Request-Method", "POST", "X-API-Key",
        other.plaintext()), 403, forbidden("orders.read"), null, null);
    assertRefused(get(preflightApp(), "orders", "X-API-Key", other.plaintext()), 403, forbidden("orders.read"),
        null, null);
  }

  @Test
  void preflightsAreCheckedLikeAnyRequestByDefault() throws Exception {
    String[] preflight = {"Origin", "https://example.test", "Access-Control-Request-Method", "POST"};
    IssuedKey other = create(NewKey.named("other").withScopes(Set.of("reports.read")));
    IssuedKey reader = create(NewKey.named("reader").withScopes(Set.of("orders.read")));

    assertRefused(options(app(), "orders", preflight), 401, NOT_PROVIDED, CHALLENGE, null);
    assertRefused(options(app(), "orders", with(preflight, "X-API-Key", other.plaintext())), 403,
        forbidden("orders.read"), null, null);
    assertOk(options(app(), "orders", with(preflight, "X-API-Key", reader.plaintext())), "options");
  }

  // ---- Bearer and the security context ----

  @Test
  void securityContextCarriesTheKeyPrincipal() throws Exception {
    IssuedKey key = create(NewKey.named("context key").withScopes(Set.of("orders.read")));
    assertOk(get(app(), "me", "X-API-Key", key.plaintext()),
        "scheme=API_KEY name=" + key.key().id() + " keyName=context key secure=false"
            + " orders.read=true orders.write=false");
  }

  @Test
  void nobodyHoldsTheNullRole() throws Exception {
    IssuedKey full = create(NewKey.named("full access"));
    assertOk(get(app(), "me/null-role", "X-API-Key", full.plaintext()), "false");
  }

  @Test
  void securityContextKeepsASecureTransportAndRequireHttpsAcceptsIt() throws Exception {
    IssuedKey key = create(NewKey.named("tls"));
    // as a runtime behind TLS reports it: the request's security context is secure
    URI tls = deployed("/tls", () -> TestResources.application(KeygateFeature.builder(httpsEngine).build(),
        new TestResources.SecureTransport()));
    assertOk(get(tls, "me", "X-API-Key", key.plaintext()),
        "scheme=API_KEY name=" + key.key().id() + " keyName=tls secure=true orders.read=true"
            + " orders.write=true");
  }

  @Test
  void aFilterRegisteredAloneReadsThePeerAddressFromItsResolver() throws Exception {
    IssuedKey office = create(NewKey.named("office").withAllowedIps(List.of("10.0.0.0/8")));
    IssuedKey anywhere = create(NewKey.named("anywhere"));
    // registered without KeygateFeature, the filter is not told the servlet request's peer
    URI resolved = deployed("/resolved", () -> TestResources.application(
        new KeygateRequestFilter(deferringEngine, request -> "10.1.2.3", true)));
    URI blank = deployed("/blank", () -> TestResources.application(
        new KeygateRequestFilter(deferringEngine, request -> " ", true)));
    URI unresolved = deployed("/unresolved", () -> TestResources.application(
        new KeygateRequestFilter(deferringEngine)));

    assertOk(get(resolved, "orders", "X-API-Key", office.plaintext()), "orders");
    for (URI unknown : List.of(blank, unresolved)) {
      assertRefused(get(unknown, "orders", "X-API-Key", office.plaintext()), 403,
          "{\"detail\":\"IP address not allowed.\"}", null, null);
      assertOk(get(unknown, "orders", "X-API-Key", anywhere.plaintext()), "orders");
      // alone, it refuses a Bearer token it cannot verify, and guards public resources too
      assertRefused(get(unknown, "health", "Authorization", "Bearer app-token"), 401,
          "{\"detail\":\"Invalid bearer token.\"}", "Bearer realm=\"keygate\", error=\"invalid_token\"",
          null);
    }
  }

  @Test
  void theFeatureReportsItselfEnabledOnServersAndRegistersNothingOnClients() throws Exception {
    IssuedKey key = create(NewKey.named("enabled"));
    assertOk(get(app(), "me/feature", "X-API-Key", key.plaintext()), "true");

    KeygateFeature feature = new KeygateFeature(engine);
    Client client = runtime.newClient().register(feature);
    try {
      Response r = client.target(app()).path("health").request().get();
      assertThat(r.getStatus()).isEqualTo(200);
      assertThat(client.getConfiguration().isEnabled(feature)).isFalse();
    } finally {
      client.close();
    }
  }

  @Test
  void acceptsBearerTokenWithoutApiKey() throws Exception {
    assertOk(get(app(), "me", "Authorization", "Bearer good-token"),
        "scheme=BEARER name=token-user keyName=null secure=false"
            + " orders.read=true orders.write=false");
    assertOk(get(app(), "orders", "Authorization", "Bearer good-token"), "orders");
    assertThat(post(app(), "orders", "Authorization", "Bearer good-token").statusCode())
        .isEqualTo(403);
  }

  @Test
  void refusesBadBearerTokenWith401() throws Exception {
    assertRefused(get(app(), "me", "Authorization", "Bearer bad-token"), 401,
        "{\"detail\":\"Invalid bearer token.\"}", "Bearer realm=\"keygate\", error=\"invalid_token\"",
        null);
  }

  @Test
  void apiKeyWinsOverBearerToken() throws Exception {
    IssuedKey key = create(NewKey.named("both"));
    HttpResponse<String> both = send(request(app(), "me")
        .header("X-API-Key", key.plaintext()).header("Authorization", "Bearer bad-token"));
    assertThat(both.statusCode()).isEqualTo(200);
    assertThat(both.body()).startsWith("scheme=API_KEY name=" + key.key().id());
    HttpResponse<String> badKey = send(request(app(), "me")
        .header("X-API-Key", "garbage").header("Authorization", "Bearer good-token"));
    assertInvalidKey(badKey);
  }

  @Test
  void bearerTokenWithoutAuthenticatorIsRefused401() throws Exception {
    String invalidBearer = "{\"detail\":\"Invalid bearer token.\"}";
    String challenge = "Bearer realm=\"keygate\", error=\"invalid_token\"";
    // "app-token" is one the application's own filter would accept: it must never get to run
    for (String value : List.of("Bearer app-token", "Bearer x", "bearer x", "BEARER x",
        "Bearer \tx", "Bearer " + "x".repeat(8_000))) {
      for (String path : List.of("orders", "me", "reports/closed")) {
        assertRefused(get(closedApp(), path, "Authorization", value), 401, invalidBearer, challenge,
            null);
      }
      assertRefused(post(closedApp(), "orders", "Authorization", value), 401, invalidBearer,
          challenge, null);
    }
    // a Bearer scheme without a token (Jetty drops trailing whitespace) carries no credential
    for (String value : List.of("Bearer", "Bearer ", "Bearer \t ")) {
      assertRefused(get(closedApp(), "orders", "Authorization", value), 401, NOT_PROVIDED,
          "ApiKey realm=\"keygate\", header=\"X-API-Key\"", null);
      assertRefused(get(deferringApp(), "orders", "Authorization", value), 401, NOT_PROVIDED,
          "ApiKey realm=\"keygate\", header=\"X-API-Key\"", null);
    }
    // an API key beside it decides alone, and a public resource never looks at either
    IssuedKey key = create(NewKey.named("key beside a token").withScopes(Set.of("orders.read")));
    HttpResponse<String> withKey = send(request(closedApp(), "me")
        .header("X-API-Key", key.plaintext()).header("Authorization", "Bearer x"));
    assertThat(withKey.statusCode()).isEqualTo(200);
    assertThat(withKey.body()).startsWith("scheme=API_KEY name=" + key.key().id());
    assertRefused(send(request(closedApp(), "me").header("X-API-Key", "garbage")
            .header("Authorization", "Bearer app-token")), 401,
        "{\"detail\":\"Invalid API key.\"}", "ApiKey realm=\"keygate\", header=\"X-API-Key\"",
        null);
    assertOk(get(closedApp(), "health", "Authorization", "Bearer x"), "{\"status\":\"ok\"}");
  }

  @Test
  void optedInBearerTokenReachesTheApplicationAndItsRolesAreChecked() throws Exception {
    assertOk(get(deferringApp(), "orders", "Authorization", "Bearer app-token"), "orders");
    assertOk(get(deferringApp(), "me", "Authorization", "Bearer app-token"),
        "scheme=APP name=app-user keyName=- secure=false orders.read=true orders.write=false");
    assertRefused(post(deferringApp(), "orders", "Authorization", "Bearer app-token"), 403,
        forbidden("orders.write"), null, null);
    assertRefused(get(deferringApp(), "reports/closed", "Authorization", "Bearer app-token"), 403,
        forbidden(), null, null);
    // a token the application does not accept either: no principal, the engine's 401
    assertRefused(get(deferringApp(), "orders", "Authorization", "Bearer unknown-token"), 401,
        NOT_PROVIDED, "ApiKey realm=\"keygate\", header=\"X-API-Key\"", null);
  }

  @Test
  void optedInBearerTokenRolesMeetAnyOfAndAllOfLikeScopes() throws Exception {
    // the application's principal holds the role orders.read only
    assertOk(get(deferringApp(), "orders/any-read", "Authorization", "Bearer app-token"), "any read");
    assertRefused(get(deferringApp(), "orders/either", "Authorization", "Bearer app-token"), 403,
        forbidden("orders.admin", "orders.audit"), null, null);
    assertRefused(get(deferringApp(), "orders/read-and-either", "Authorization", "Bearer app-token"), 403,
        forbidden("orders.admin", "orders.audit", "orders.read"), null, null);
  }

  // ---- the client filter, with this runtime's client ----

  @Test
  void clientFilterSendsExplicitKeyOnSyncAndAsyncCalls() throws Exception {
    IssuedKey key = create(NewKey.named("explicit"));
    assertClientSends(KeygateClientFilter.withApiKey(key.plaintext()), key.plaintext());
  }

  @Test
  void clientFilterSendsKeyFromTheEnvironment(@TempDir Path empty) throws Exception {
    IssuedKey key = create(NewKey.named("environment"));
    KeygateClientFilter filter = KeygateClientFilter.builder()
        .environment(Map.of("KEYGATE_API_KEY", key.plaintext())).workingDirectory(empty).build();
    assertThat(filter.source()).isEqualTo("environment variable KEYGATE_API_KEY");
    assertClientSends(filter, key.plaintext());
  }

  @Test
  void clientFilterSendsKeyFromDotEnv(@TempDir Path dir) throws Exception {
    IssuedKey key = create(NewKey.named("dotenv"));
    Files.writeString(dir.resolve(".env"),
        "# local settings\n\nOTHER=1\nexport KEYGATE_API_KEY=\"" + key.plaintext() + "\"\n");
    KeygateClientFilter filter =
        KeygateClientFilter.builder().environment(Map.of()).workingDirectory(dir).build();
    assertThat(filter.source()).endsWith(".env");
    assertClientSends(filter, key.plaintext());
  }

  private void assertClientSends(KeygateClientFilter filter, String expectedKey) throws Exception {
    Client client = runtime.newClient().register(filter);
    try {
      var target = client.target(app()).path("me").path("key");
      assertThat(target.request().get(String.class)).as("sync").isEqualTo(expectedKey);
      Response async = target.request().async().get().get(10, TimeUnit.SECONDS);
      assertThat(async.getStatus()).isEqualTo(200);
      assertThat(async.readEntity(String.class)).as("async").isEqualTo(expectedKey);
    } finally {
      client.close();
    }
  }

  // ---- helpers ----

  private HttpResponse<String> options(URI base, String path, String... headers) throws Exception {
    HttpRequest.Builder b = request(base, path).method("OPTIONS", HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  private static String[] with(String[] headers, String... more) {
    String[] all = java.util.Arrays.copyOf(headers, headers.length + more.length);
    System.arraycopy(more, 0, all, headers.length, more.length);
    return all;
  }

  private void assertInvalidKey(HttpResponse<String> r) {
    assertRefused(r, 401, "{\"detail\":\"Invalid API key.\"}", CHALLENGE, null);
  }
}

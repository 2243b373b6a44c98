package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.KeyEvent;
import dev.keygate.Keygate;
import dev.keygate.KeygatePrincipal;
import dev.keygate.NewKey;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link KeygateFeature} sets up when an application is deployed, on Jersey over real HTTP.
 * Unlike the contract tests, which share one deployment between tests, each test here deploys its
 * own application: what it checks happens at deployment, so it must happen inside the test (that
 * is also what lets mutation testing see which test covers it).
 */
class JerseyDeploymentTest extends JaxRsContractSupport {
  private static final String CHALLENGE = "ApiKey realm=\"keygate\", header=\"X-API-Key\"";

  private final List<JaxRsRuntime> servers = new ArrayList<>();
  private AuthenticationEngine engine;

  @Override
  JaxRsRuntime runtime() {
    return new JerseyRuntime();
  }

  @BeforeEach
  void buildEngine() {
    engine = keygate().build().engine();
  }

  @AfterEach
  void stop() throws Exception {
    for (JaxRsRuntime server : servers) {
      server.stop();
    }
    engine.close();
  }

  private URI deploy(Application application) throws Exception {
    JaxRsRuntime server = runtime();
    servers.add(server);
    return server.start(Map.of("/app", application)).resolve("/app/");
  }

  @Test
  void theFeatureIsEnabledOnTheServerAndRegistersNothingOnAClient() throws Exception {
    URI app = deploy(TestResources.application(new KeygateFeature(engine)));
    IssuedKey key = create(NewKey.named("enabled"));
    assertOk(get(app, "me/feature", "X-API-Key", key.plaintext()), "true");

    KeygateFeature feature = new KeygateFeature(engine);
    Client client = runtime().newClient().register(feature);
    try {
      // the client sends no credential and is not refused by a filter of its own
      Response r = client.target(app).path("health").request().get();
      assertThat(r.getStatus()).isEqualTo(200);
      assertThat(client.getConfiguration().isEnabled(feature)).isFalse();
      // the configuration a request is sent with is where the client records enabled features
      Response seen = client.target(app).path("health")
          .register((ClientRequestFilter) request -> request.abortWith(Response.ok(
              String.valueOf(request.getConfiguration().isEnabled(KeygateFeature.class))).build()))
          .request().get();
      assertThat(seen.readEntity(String.class)).isEqualTo("false");
    } finally {
      client.close();
    }
  }

  @Test
  void theFeatureReadsThePeerAddressFromTheServletRequestForAllowLists() throws Exception {
    URI app = deploy(TestResources.application(new KeygateFeature(engine)));
    IssuedKey local = create(NewKey.named("local").withAllowedIps(List.of("127.0.0.0/8", "::1")));
    IssuedKey office = create(NewKey.named("office").withAllowedIps(List.of("10.0.0.0/8")));
    assertOk(get(app, "orders/open", "X-API-Key", local.plaintext()), "open orders");
    assertOk(get(app, "me/null-role", "X-API-Key", local.plaintext()), "false");
    assertRefused(get(app, "me", "X-API-Key", office.plaintext()), 403,
        "{\"detail\":\"IP address not allowed.\"}", null, null);
  }

  @Test
  void aCorsPreflightPassesBothFiltersWhenAllowedAndNeitherByDefault() throws Exception {
    URI closed = deploy(TestResources.application(new KeygateFeature(engine)));
    assertRefused(send(request(closed, "orders").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://example.test").header("Access-Control-Request-Method", "POST")),
        401, NOT_PROVIDED, CHALLENGE, null);
    URI app = deploy(TestResources.application(KeygateFeature.builder(engine).allowPreflight(true).build()));
    assertOk(send(request(app, "orders").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://example.test").header("Access-Control-Request-Method", "POST")),
        "options");
    // not a preflight: refused like any request without credentials
    assertRefused(send(request(app, "orders").method("OPTIONS", HttpRequest.BodyPublishers.noBody())),
        401, NOT_PROVIDED, CHALLENGE, null);
  }

  @Test
  void aFilterRegisteredAloneWhoseResolverKnowsNoAddressTreatsTheAddressAsUnknown()
      throws Exception {
    URI app = deploy(TestResources.application(
        new KeygateRequestFilter(engine, request -> null, true)));
    IssuedKey office = create(NewKey.named("office").withAllowedIps(List.of("10.0.0.0/8")));
    IssuedKey anywhere = create(NewKey.named("anywhere"));
    assertRefused(get(app, "orders", "X-API-Key", office.plaintext()), 403,
        "{\"detail\":\"IP address not allowed.\"}", null, null);
    assertOk(get(app, "orders", "X-API-Key", anywhere.plaintext()), "orders");
    assertRefused(get(app, "orders", "X-API-Key", "kg_test_garbage"), 401,
        "{\"detail\":\"Invalid API key.\"}", CHALLENGE, null);

    URI resolved = deploy(TestResources.application(
        new KeygateRequestFilter(engine, request -> "10.1.2.3", true)));
    assertOk(get(resolved, "orders", "X-API-Key", office.plaintext()), "orders");
    // a blank answer is no address: the audit record says "unknown", not " "
    List<KeyEvent> audited = new CopyOnWriteArrayList<>();
    try (Keygate withAudit = keygate().listeners(audited::add).build()) {
      AuthenticationEngine audit = withAudit.engine();
      URI blank = deploy(TestResources.application(
          new KeygateRequestFilter(audit, request -> " ", true)));
      assertRefused(get(blank, "orders", "X-API-Key", office.plaintext()), 403,
          "{\"detail\":\"IP address not allowed.\"}", null, null);
    }
    assertThat(audited).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(KeyEvent.Type.AUTHENTICATION_FAILED);
      assertThat(e.keyId()).isEqualTo(office.key().id());
      assertThat(e.clientAddress()).isEqualTo("unknown");
    });
  }

  @Test
  void aRootResourceWhoseLocatorCarriesConflictingAnnotationsFailsDeployment() throws Exception {
    Application conflicting = new Application() {
      @Override
      public Set<Class<?>> getClasses() {
        return Set.of(AccessAnnotationsTest.ConflictingLocator.class);
      }

      @Override
      @SuppressWarnings("deprecation")
      public Set<Object> getSingletons() {
        return Set.of(new KeygateFeature(engine));
      }
    };
    // Jetty does not start an application whose servlet fails to initialise
    assertThatThrownBy(() -> deploy(conflicting))
        .hasStackTraceContaining("conflicting Keygate access annotations on ")
        .hasStackTraceContaining(AccessAnnotationsTest.ConflictingLocator.class.getName() + ".sub()");
  }

  @Test
  void diagnosticTextNamesTheSettingsAndNeverTheKey() throws Exception {
    IssuedKey key = create(NewKey.named("shown").withScopes(Set.of("orders.read")));
    AuthenticationResult result = engine.authenticate(AuthenticationRequest.of(
        name -> name.equalsIgnoreCase("X-API-Key") ? List.of(key.plaintext()) : List.of(),
        engine.apiKeyHeaders(), "127.0.0.1", false));
    KeygatePrincipal principal = ((AuthenticationResult.Authenticated) result).principal();
    KeygateSecurityContext context = new KeygateSecurityContext(principal, true);
    assertThat(context.toString()).isEqualTo("KeygateSecurityContext[API_KEY " + principal.getName() + "]");

    KeygateFeature feature = KeygateFeature.builder(engine).allowPreflight(true)
        .deferBearerTokens(true).build();
    assertThat(feature.toString()).startsWith("KeygateFeature[")
        .contains("allowPreflight=true", "deferBearerTokens=true");
    KeygateRequestFilter filter = new KeygateRequestFilter(engine);
    assertThat(filter.toString()).startsWith("KeygateRequestFilter[").contains("deferBearerTokens=false");

    AccessPolicy read = new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of("orders.read"), Set.of());
    MethodAccess access = new MethodAccess(read);
    assertThat(new MethodAccess(AccessPolicy.PUBLIC).toString()).isEqualTo("public");
    assertThat(access.toString()).isEqualTo(read.toString());
    assertThat(new AuthenticationGate(access, filter).toString())
        .isEqualTo("AuthenticationGate[" + read + "]");
    assertThat(new ScopeFilter(engine, access, engine.missingCredentials(), true).toString())
        .isEqualTo("ScopeFilter[" + read + "]");
    for (Object o : List.of(context, feature, filter, access)) {
      assertThat(o.toString()).doesNotContain(key.plaintext());
    }
  }

  @Test
  void aFeatureBuilderTakesOnePeerAddressResolver() {
    KeygateFeature.Builder builder = KeygateFeature.builder(engine);
    assertThat(builder.peerAddress(request -> "10.1.2.3")).isSameAs(builder);
    assertThatThrownBy(() -> builder.peerAddress(request -> null))
        .isInstanceOf(IllegalStateException.class).hasMessage("peerAddress was already set");
  }
}

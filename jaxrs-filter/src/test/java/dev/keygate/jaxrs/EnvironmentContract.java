package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationEngine;
import dev.keygate.KeyFormat;
import dev.keygate.NewKey;
import dev.keygate.Refusal;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link RequireEnvironment} over real HTTP on every runtime, in each placement of {@link
 * EnvironmentResources}: no credential is 401, a test key 403 naming the environment, a live key
 * 200.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EnvironmentContract extends JaxRsContractSupport {
  static final String WRONG_ENVIRONMENT =
      "{\"detail\":\"This endpoint does not accept keys of this environment.\",\"required_environment\":\"live\"}";

  private AuthenticationEngine engine;
  private JaxRsRuntime runtime;
  private URI app;
  private URI deferringApp;
  private String test;
  private String live;
  private String liveWithoutScopes;

  @Override
  KeyFormat keyFormat() {
    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put("test", "kg_test");
    prefixes.put("live", "kg_live");
    return KeyFormat.withEnvironments(prefixes);
  }

  @BeforeAll
  void start() throws Exception {
    engine = keygate().build().engine();
    runtime = runtime();
    Application application = new Application() {
      @Override
      public Set<Class<?>> getClasses() {
        return EnvironmentResources.classes();
      }

      @Override
      @SuppressWarnings("deprecation") // the portable way to hand over a configured instance
      public Set<Object> getSingletons() {
        return Set.of(new KeygateFeature(engine));
      }
    };
    Application deferring = new Application() {
      @Override
      public Set<Class<?>> getClasses() {
        return EnvironmentResources.classes();
      }

      @Override
      @SuppressWarnings("deprecation")
      public Set<Object> getSingletons() {
        return Set.of(KeygateFeature.builder(engine).deferBearerTokens(true).build(), new TestResources.AppTokenFilter());
      }
    };
    URI base = runtime.start(Map.of("/app", application, "/deferring", deferring));
    app = base.resolve("/app/");
    deferringApp = base.resolve("/deferring/");
    test = create(NewKey.named("test").withEnvironment("test")).plaintext();
    live = create(NewKey.named("live").withEnvironment("live")).plaintext();
    liveWithoutScopes = create(NewKey.named("reader").withEnvironment("live").withScopes("reports.read")).plaintext();
  }

  @AfterAll
  void stop() throws Exception {
    runtime.stop();
    engine.close();
  }

  private void assertLiveOnly(String path, String answer) throws Exception {
    assertRefused(get(app, path), 401, NOT_PROVIDED, "ApiKey realm=\"keygate\", header=\"X-API-Key\"", null);
    assertRefused(get(app, path, "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
    assertOk(get(app, path, "X-API-Key", live), answer);
  }

  @Test
  void onAMethod() throws Exception {
    assertLiveOnly("method/live", "live");
    assertOk(get(app, "method/any", "X-API-Key", test), "any");
  }

  @Test
  void onAClassForEveryMethodBesideTheMethodsScopes() throws Exception {
    assertLiveOnly("class/live", "live");
    assertLiveOnly("class/again", "again");
    assertLiveOnly("class/scoped", "scoped");
    assertRefused(get(app, "class/scoped", "X-API-Key", liveWithoutScopes), 403, forbidden("payouts.write"), null, null);
  }

  @Test
  void onAnInterfaceMethodOrType() throws Exception {
    assertLiveOnly("interface-method/live", "live");
    assertLiveOnly("interface-type/live", "live");
  }

  @Test
  void onAnOverriddenSuperclassMethodOrASuperclass() throws Exception {
    assertLiveOnly("superclass-method/live", "live");
    assertLiveOnly("superclass-type/live", "live");
  }

  @Test
  void onASubResourceLocatorForEverythingBehindIt() throws Exception {
    assertLiveOnly("locator/live", "shelf");
    assertOk(get(app, "locator/any", "X-API-Key", test), "shelf");
  }

  /** A principal of the application's own authentication has no key, so no environment. */
  @Test
  void aPrincipalOfTheApplicationsOwnAuthenticationIsOfNoEnvironment() throws Exception {
    assertRefused(get(deferringApp, "method/live", "Authorization", "Bearer app-token"), 403, WRONG_ENVIRONMENT,
        null, null);
    assertRefused(get(deferringApp, "class/live", "Authorization", "Bearer app-token"), 403, WRONG_ENVIRONMENT,
        null, null);
    assertOk(get(deferringApp, "method/any", "Authorization", "Bearer app-token"), "any");
    assertOk(get(deferringApp, "method/live", "X-API-Key", live), "live");
  }

  @Test
  void eachRefusalIsCountedByTheEngine() throws Exception {
    long before = engine.statistics().refused(Refusal.ENVIRONMENT_NOT_ALLOWED);
    assertRefused(get(app, "method/live", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
    assertThat(engine.statistics().refused(Refusal.ENVIRONMENT_NOT_ALLOWED)).isEqualTo(before + 1);
  }
}

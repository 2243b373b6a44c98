package dev.keygate.jaxrs;

import static dev.keygate.jaxrs.InheritedResources.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Access annotations wherever JAX-RS lets a resource inherit them, and on sub-resource locators,
 * over real HTTP on every runtime ({@link InheritedResources}). Each placement is tried with each
 * annotation, with no credential (401), a key whose scope is unrelated (403) and a key with the
 * right scope (200).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InheritedAccessContract extends JaxRsContractSupport {
  private static final String CHALLENGE = "ApiKey realm=\"keygate\", header=\"X-API-Key\"";

  private AuthenticationEngine engine;
  private JaxRsRuntime runtime;
  private URI app;
  private String unrelated;
  private String admin;

  @BeforeAll
  void start() throws Exception {
    engine = keygate().build().engine();
    runtime = runtime();
    Application application = new Application() {
      @Override
      public Set<Class<?>> getClasses() {
        return InheritedResources.classes();
      }

      @Override
      @SuppressWarnings("deprecation") // the portable way to hand over a configured instance
      public Set<Object> getSingletons() {
        return Set.of(new KeygateFeature(engine));
      }
    };
    app = runtime.start(Map.of("/app", application)).resolve("/app/");
    unrelated = key("reports.read");
    admin = key(ADMIN);
  }

  @AfterAll
  void stop() throws Exception {
    runtime.stop();
    engine.close();
  }

  @Test
  void interfaceMethodAnnotationsApply() throws Exception {
    assertEachKind("interface-method/%s");
  }

  @Test
  void interfaceTypeAnnotationsApply() throws Exception {
    assertEachKind("interface-type/%s");
  }

  @Test
  void annotationsOfAnOverriddenSuperclassMethodApply() throws Exception {
    assertEachKind("superclass-method/%s");
  }

  @Test
  void superclassTypeAnnotationsApply() throws Exception {
    assertEachKind("superclass-type/%s");
  }

  @Test
  void genericInterfaceAnnotationsApplyToTheImplementation() throws Exception {
    assertEachKind("generic/%s/7");
  }

  @Test
  void locatorMethodAnnotationsApplyToTheSubResource() throws Exception {
    assertEachKind("locator-method/%s");
  }

  @Test
  void locatorClassAnnotationsApplyToTheSubResource() throws Exception {
    assertEachKind("locator-class/%s/sub");
  }

  @Test
  void aSubResourceNeverRelaxesItsLocator() throws Exception {
    for (String open : new String[] {"combined/admin/permitted", "combined/admin/public"}) {
      assertRefused(get(app, open), 401, NOT_PROVIDED, CHALLENGE, null);
      assertRefused(get(app, open, "X-API-Key", unrelated), 403, forbidden(ADMIN), null, null);
      assertOk(get(app, open, "X-API-Key", admin), open.substring(open.lastIndexOf('/') + 1));
    }
    assertRefused(get(app, "combined/denied/public"), 401, NOT_PROVIDED, CHALLENGE, null);
    assertRefused(get(app, "combined/denied/public", "X-API-Key", admin), 403, forbidden(), null,
        null);
    assertRefused(get(app, "combined/denied/public", "X-API-Key", key()), 403, forbidden(), null,
        null);
  }

  @Test
  void locatorAndSubResourceRequirementsBothApply() throws Exception {
    String writer = key("orders.write");
    assertRefused(get(app, "combined/admin/write", "X-API-Key", admin), 403,
        forbidden("orders.write"), null, null);
    assertRefused(get(app, "combined/admin/write", "X-API-Key", writer), 403, forbidden(ADMIN),
        null, null);
    assertOk(get(app, "combined/admin/write", "X-API-Key", key(ADMIN, "orders.write")), "write");
    // through two locators: the outer one's scope, the class scope of the inner one, the method's
    String path = "combined/nested/sub/write";
    assertRefused(get(app, path, "X-API-Key", key(ADMIN, "orders.write")), 403,
        forbidden("orders.read"), null, null);
    assertRefused(get(app, path, "X-API-Key", key("orders.read", "orders.write")), 403,
        forbidden(ADMIN), null, null);
    assertOk(get(app, path, "X-API-Key", key(ADMIN, "orders.read", "orders.write")), "write");
    assertOk(get(app, "combined/nested/sub/public", "X-API-Key", key(ADMIN, "orders.read")),
        "public");
  }

  @Test
  void aPublicSubResourceIsOpenOnlyBehindPublicLocators() throws Exception {
    assertRefused(get(app, "combined/unmarked"), 401, NOT_PROVIDED, CHALLENGE, null);
    assertOk(get(app, "combined/unmarked", "X-API-Key", unrelated), "unmarked");
    assertRefused(get(app, "combined/open/plain"), 401, NOT_PROVIDED, CHALLENGE, null);
    assertOk(get(app, "combined/open/plain", "X-API-Key", unrelated), "plain");
    assertOk(get(app, "combined/open/public"), "public");
    assertOk(get(app, "combined/open/public", "X-API-Key", "garbage"), "public");
  }

  @Test
  void aRootResourceReachedThroughALocatorNeedsBothRequirements() throws Exception {
    String reader = key("orders.read");
    assertOk(get(app, "shared", "X-API-Key", reader), "shared");
    assertRefused(get(app, "combined/shared", "X-API-Key", reader), 403, forbidden(ADMIN), null,
        null);
    assertRefused(get(app, "combined/shared", "X-API-Key", admin), 403, forbidden("orders.read"),
        null, null);
    assertOk(get(app, "combined/shared", "X-API-Key", key(ADMIN, "orders.read")), "shared");
  }

  @Test
  void thePathTellsApartLocatorsReturningTheSameType() throws Exception {
    String reader = key("orders.read");
    assertOk(get(app, "shelves/1", "X-API-Key", reader), "shelf 1");
    assertRefused(get(app, "shelves/archive/1", "X-API-Key", reader), 403, forbidden(ADMIN), null,
        null);
    assertOk(get(app, "shelves/archive/1", "X-API-Key", admin), "archived 1");
    assertRefused(get(app, "shelves/1", "X-API-Key", admin), 403, forbidden("orders.read"), null,
        null);
    // "archive/x" is not an archived shelf (digits only): the {id} locator took "archive"
    assertThat(get(app, "shelves/archive/x", "X-API-Key", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void pathTricksNeverReachAStrictLocatorUnderALaxerOnesRequirement() throws Exception {
    assertRefused(get(app, "vault/admin", "X-API-Key", unrelated), 403, forbidden(ADMIN), null, null);
    assertOk(get(app, "vault/other", "X-API-Key", unrelated), "any other");
    for (String trick : List.of("vault/admin;m=1", "vault/admin;m=1/", "vault/%61dmin", "vault/adm%69n",
        "vault/admin/", "vault//admin", "vault/./admin", "vault/x/../admin", "vault/admin%2F",
        "vault/admin%2Fx", "vault/ad%2Fmin", "vault;m=1/admin", "vault/admin%3Bm=1",
        "vault/admin;/", "vault/admin%20", "vault/admin%00")) {
      HttpResponse<String> r = get(app, trick, "X-API-Key", unrelated);
      assertThat(r.statusCode() == 200 && r.body().equals("admin"))
          .as(trick + " -> " + r.statusCode() + " " + r.body()).isFalse();
      assertThat(r.statusCode()).as(trick).isNotEqualTo(500);
    }
    // Jersey routes "admin;m=1" to @Path("admin"): its requirement applies, whatever else might
    assertThat(get(app, "vault/admin;m=1", "X-API-Key", unrelated).statusCode()).isEqualTo(403);
    assertOk(get(app, "vault/admin;m=1", "X-API-Key", admin), "admin");
  }

  /**
   * Every annotation kind at {@code template} (with {@code %s} the kind): scopes and roles asking
   * for {@code orders.admin}, {@code @DenyAll}, {@code @PermitAll} and {@code @PublicResource}.
   * Every kind is tried; the failure names each kind that failed.
   */
  private void assertEachKind(String template) throws Exception {
    Map<String, String> failures = new TreeMap<>();
    for (String kind : List.of("scoped", "roles", "denied", "permitted", "public")) {
      try {
        assertKind(template.formatted(kind), kind);
      } catch (AssertionError e) {
        failures.put(kind, e.getMessage().strip());
      }
    }
    assertThat(failures).as(template).isEmpty();
  }

  private void assertKind(String path, String kind) throws Exception {
    switch (kind) {
      case "scoped", "roles" -> {
        assertRefused(get(app, path), 401, NOT_PROVIDED, CHALLENGE, null);
        assertRefused(get(app, path, "X-API-Key", unrelated), 403, forbidden(ADMIN), null, null);
        assertOk(get(app, path, "X-API-Key", admin), kind);
      }
      case "denied" -> {
        assertRefused(get(app, path), 401, NOT_PROVIDED, CHALLENGE, null);
        assertRefused(get(app, path, "X-API-Key", unrelated), 403, forbidden(), null, null);
        assertRefused(get(app, path, "X-API-Key", admin), 403, forbidden(), null, null);
      }
      default -> {
        assertOk(get(app, path), kind);
        // credentials are not even looked at
        assertOk(get(app, path, "X-API-Key", "garbage"), kind);
      }
    }
  }

  private String key(String... scopes) {
    IssuedKey key = create(NewKey.named("scopes " + String.join(" ", scopes))
        .withScopes(Set.of(scopes)));
    return key.plaintext();
  }
}

package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.EmptyScopePolicy;
import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** Public paths, CORS preflight, scopes per path and method, and roles. */
class PathRulesTest extends FilterTestBase {
  private static final String FORBIDDEN = "{\"detail\":\"You do not have permission to perform this action.\","
      + "\"required_scopes\":";

  @Test
  void publicPathsNeedNoCredentials() {
    TestServer s = serve(keys.keygate(), f -> f.publicPaths("/health", "/signup/*", "*.css"));

    assertEchoed(s.get("/health"));
    assertEchoed(s.get("/signup"));
    assertEchoed(s.get("/signup/confirm"));
    assertEchoed(s.get("/static/site.css"));
    // a key that would be refused is not even looked at on a public path
    assertThat(assertEchoed(s.get("/health", "X-API-Key", "garbage"))).containsEntry("principal", "none");
  }

  @Test
  void pathsNextToPublicOnesStayProtected() {
    TestServer s = serve(keys.keygate(), f -> f.publicPaths("/health", "/signup/*"));

    assertRefused(s.get("/healthz"), 401, NO_CREDENTIALS, CHALLENGE, null);
    assertRefused(s.get("/signupx"), 401, NO_CREDENTIALS, CHALLENGE, null);
    assertRefused(s.get("/health/more"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void dotSegmentsCannotReachAProtectedPathThroughAPublicOne() {
    TestServer s = serve(keys.keygate(), f -> f.publicPaths("/health/*"));

    TestServer.Raw r = s.raw("/health/../orders");

    assertRefused(r, 401, NO_CREDENTIALS, CHALLENGE);
  }

  @Test
  void corsPreflightPassesWhenAllowed() {
    TestServer s = serve(keys.keygate(), f -> f.allowPreflight(true));

    assertEchoed(s.send("OPTIONS", "/orders", "Origin", "https://app.example",
        "Access-Control-Request-Method", "POST"));
    // an OPTIONS that is not a preflight is an ordinary request
    assertRefused(s.send("OPTIONS", "/orders", "Origin", "https://app.example"), 401, NO_CREDENTIALS,
        CHALLENGE, null);
  }

  @Test
  void onlyAnOptionsRequestWithOriginAndRequestMethodIsAPreflight() {
    TestServer s = serve(keys.keygate(), f -> f.allowPreflight(true));

    // the preflight headers on another method do not skip authentication
    assertRefused(s.get("/orders", "Origin", "https://app.example", "Access-Control-Request-Method", "GET"), 401,
        NO_CREDENTIALS, CHALLENGE, null);
    assertRefused(s.send("POST", "/orders", "Origin", "https://app.example", "Access-Control-Request-Method", "POST"),
        401, NO_CREDENTIALS, CHALLENGE, null);
    assertRefused(s.send("OPTIONS", "/orders", "Access-Control-Request-Method", "POST"), 401, NO_CREDENTIALS,
        CHALLENGE, null);
  }

  @Test
  void corsPreflightIsAuthenticatedWhenExplicitlyNotAllowed() {
    TestServer s = serve(keys.keygate(), f -> f.allowPreflight(false));

    assertRefused(s.send("OPTIONS", "/orders", "Origin", "https://app.example",
        "Access-Control-Request-Method", "POST"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void corsPreflightIsAuthenticatedByDefault() {
    TestServer s = serve();

    assertRefused(s.send("OPTIONS", "/orders", "Origin", "https://app.example",
        "Access-Control-Request-Method", "POST"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void scopesAreRequiredPerPathAndMethod() {
    String reader = keys.key("orders.read");
    String writer = keys.key("orders.read", "orders.write");
    TestServer s = serve(keys.keygate(), f -> f
        .scopeRule("GET /orders/*=orders.read")
        .scopeRule(ScopeRule.path("/orders/*").onMethods("POST", "DELETE").requireAll("orders.write")));

    assertEchoed(s.get("/orders", "X-API-Key", reader));
    assertEchoed(s.get("/orders/42", "X-API-Key", reader));
    assertThat(s.send("HEAD", "/orders/42", "X-API-Key", reader).statusCode()).isEqualTo(200);
    assertRefused(s.send("POST", "/orders/42", "X-API-Key", reader), 403, FORBIDDEN + "[\"orders.write\"]}",
        null, null);
    assertEchoed(s.send("POST", "/orders/42", "X-API-Key", writer));
    // no rule for /reports: a valid key is enough
    assertEchoed(s.get("/reports", "X-API-Key", reader));
  }

  @Test
  void headIsHeldToTheGetRule() {
    String other = keys.key("reports.read");
    TestServer s = serve(keys.keygate(), f -> f.scopeRule("GET /orders/*=orders.read"));

    assertThat(s.send("HEAD", "/orders/42", "X-API-Key", other).statusCode()).isEqualTo(403);
  }

  @Test
  void headIsNotHeldToARuleForOtherMethods() {
    String reader = keys.key("orders.read");
    TestServer s = serve(keys.keygate(), f -> f.scopeRule("POST,PUT /orders/*=orders.write"));

    assertThat(s.send("HEAD", "/orders/42", "X-API-Key", reader).statusCode()).isEqualTo(200);
    assertThat(s.send("PUT", "/orders/42", "X-API-Key", reader).statusCode()).isEqualTo(403);
  }

  @Test
  void patternsSeeTheServletPathOfPrefixAndExactMappings() {
    String reader = keys.key("orders.read");
    engine = keys.keygate().build().engine();
    KeygateFilter filter = KeygateFilter.builder(engine).publicPaths("/status", "/docs/*")
        .scopeRule("/admin/*=admin").build();
    server = TestServer.startContext(ctx -> {
      // the path within the application is servlet path + path info, whichever part is empty
      ctx.addServlet(new ServletHolder(new EchoServlet()), "/admin/*");
      ctx.addServlet(new ServletHolder(new EchoServlet()), "/docs/*");
      ctx.addServlet(new ServletHolder(new EchoServlet()), "/status");
      ctx.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    });

    assertRefused(server.get("/admin/users", "X-API-Key", reader), 403, FORBIDDEN + "[\"admin\"]}", null, null);
    assertRefused(server.get("/admin", "X-API-Key", reader), 403, FORBIDDEN + "[\"admin\"]}", null, null);
    assertThat(assertEchoed(server.get("/status"))).containsEntry("path", "/status");
    assertThat(assertEchoed(server.get("/docs/intro"))).containsEntry("path", "/docs/intro");
    assertRefused(server.get("/statusx"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void anyOfRuleNeedsOneOfItsScopes() {
    String reports = keys.key("reports.read");
    String admin = keys.key("admin");
    String neither = keys.key("orders.read");
    TestServer s = serve(keys.keygate(), f -> f.scopeRule("/reports/*=reports.read|admin"));

    assertEchoed(s.get("/reports/q1", "X-API-Key", reports));
    assertEchoed(s.get("/reports/q1", "X-API-Key", admin));
    assertRefused(s.get("/reports/q1", "X-API-Key", neither), 403, FORBIDDEN + "[\"admin\",\"reports.read\"]}",
        null, null);
  }

  @Test
  void firstMatchingRuleDecides() {
    String reader = keys.key("orders.read");
    TestServer s = serve(keys.keygate(), f -> f
        .scopeRule("/orders/export=orders.export")
        .scopeRule("/orders/*=orders.read"));

    assertEchoed(s.get("/orders/1", "X-API-Key", reader));
    assertRefused(s.get("/orders/export", "X-API-Key", reader), 403, FORBIDDEN + "[\"orders.export\"]}",
        null, null);
  }

  @Test
  void wildcardScopeGrantsRolesBelowIt() {
    String key = keys.key("orders.*");
    TestServer s = serve(keys.keygate(), f -> f.scopeRule("POST /orders/*=orders.write"));

    assertEchoed(s.send("POST", "/orders/1", "X-API-Key", key));
    Map<String, String> echo = assertEchoed(
        s.get("/orders?role=orders.read&role=orders.write.bulk&role=reports.read&role=**", "X-API-Key", key));
    assertThat(echo).containsEntry("role:orders.read", "true").containsEntry("role:orders.write.bulk", "true")
        .containsEntry("role:reports.read", "false").containsEntry("role:**", "true");
  }

  @Test
  void noPrincipalHoldsTheNullRole() {
    String fullAccess = keys.key();
    TestServer s = serve();

    assertThat(assertEchoed(s.get("/orders?nullRole&role=anything", "X-API-Key", fullAccess)))
        .containsEntry("role:anything", "true").containsEntry("role:null", "false");
  }

  @Test
  void keyWithoutScopesHasFullAccessUnlessTheEngineSaysOtherwise() throws Exception {
    String key = keys.key();
    TestServer s = serve(keys.keygate(), f -> f.scopeRule("/orders/*=orders.write"));
    assertThat(assertEchoed(s.get("/orders?role=anything", "X-API-Key", key))).containsEntry("role:anything", "true");
    stop();

    TestServer strict = serve(keys.keygate().emptyScopePolicy(EmptyScopePolicy.DENY),
        f -> f.scopeRule("/orders/*=orders.write"));
    assertThat(strict.get("/orders", "X-API-Key", key).statusCode()).isEqualTo(403);
  }

  @Test
  void principalGoesToTheConfiguredAttribute() {
    IssuedKey issued = keys.create(NewKey.named("n"));
    TestServer s = serve(keys.keygate(), f -> f.principalAttribute("app.caller"));

    Map<String, String> echo = assertEchoed(s.get("/orders?attr=app.caller", "X-API-Key", issued.plaintext()));
    assertThat(echo).containsEntry("attribute", issued.key().id());
    assertThat(assertEchoed(s.get("/orders", "X-API-Key", issued.plaintext()))).containsEntry("attribute", "none");
  }
}

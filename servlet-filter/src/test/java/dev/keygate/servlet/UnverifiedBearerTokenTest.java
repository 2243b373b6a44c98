package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.KeygatePrincipal;
import dev.keygate.NewKey;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bearer tokens the engine cannot check (no {@code BearerTokenAuthenticator}): refused by default,
 * handed to the application only with {@code deferBearerTokens}, and then only where no scope rule
 * applies.
 */
class UnverifiedBearerTokenTest extends FilterTestBase {
  static final String INVALID_BEARER = "{\"detail\":\"Invalid bearer token.\"}";
  static final String BEARER_CHALLENGE = "Bearer realm=\"keygate\", error=\"invalid_token\"";

  /** Header lines as an attacker might send them, and the refusal each must get. */
  static Stream<Arguments> bearerForms() {
    return Stream.of(
        Arguments.of(new String[] {"Authorization: Bearer x"}, INVALID_BEARER, BEARER_CHALLENGE),
        Arguments.of(new String[] {"Authorization: bearer x"}, INVALID_BEARER, BEARER_CHALLENGE),
        Arguments.of(new String[] {"Authorization: BEARER   x"}, INVALID_BEARER, BEARER_CHALLENGE),
        Arguments.of(new String[] {"Authorization: Bearer " + "x".repeat(10 * 1024)}, INVALID_BEARER,
            BEARER_CHALLENGE),
        Arguments.of(new String[] {"Authorization: Bearer x, Basic YWxhZGRpbjpvcGVuc2VzYW1l"}, INVALID_BEARER,
            BEARER_CHALLENGE),
        Arguments.of(new String[] {"Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Authorization: Bearer x"},
            INVALID_BEARER, BEARER_CHALLENGE),
        Arguments.of(new String[] {"Authorization: Bearer x", "Authorization: Bearer y"}, INVALID_BEARER,
            BEARER_CHALLENGE),
        // an empty token is no credential at all (Jetty drops the trailing spaces)
        Arguments.of(new String[] {"Authorization: Bearer"}, NO_CREDENTIALS, CHALLENGE),
        Arguments.of(new String[] {"Authorization: Bearer    "}, NO_CREDENTIALS, CHALLENGE),
        // an API-key header, even an empty one, is what the engine decides on
        Arguments.of(new String[] {"X-API-Key:", "Authorization: Bearer x"}, INVALID_KEY, CHALLENGE),
        Arguments.of(new String[] {"X-API-Key:    ", "Authorization: Bearer x"}, INVALID_KEY, CHALLENGE));
  }

  @ParameterizedTest
  @MethodSource("bearerForms")
  void bearerTokenWithoutAuthenticatorIsRefused401(String[] headerLines, String body, String challenge) {
    TestServer s = serve();

    assertRefused(s.raw("/orders", headerLines), 401, body, challenge);
  }

  @Test
  void bearerTokenWithoutAuthenticatorIsRefusedOnRuledAndUnruledPathsAndEveryMethod() {
    TestServer s = serve(keys.keygate(), f -> f.scopeRule("GET /orders/*=orders.read"));

    assertRefused(s.get("/orders/1", "Authorization", "Bearer x"), 401, INVALID_BEARER, BEARER_CHALLENGE, null);
    assertRefused(s.get("/other", "Authorization", "Bearer x"), 401, INVALID_BEARER, BEARER_CHALLENGE, null);
    assertRefused(s.send("DELETE", "/orders/1", "Authorization", "Bearer x"), 401, INVALID_BEARER,
        BEARER_CHALLENGE, null);
  }

  @Test
  void explicitFalseInitParameterRefusesBearerTokens() {
    TestServer s = serveDeclared("false", "GET /orders/*=orders.read");

    assertRefused(s.get("/other", "Authorization", "Bearer x"), 401, INVALID_BEARER, BEARER_CHALLENGE, null);
  }

  @Test
  void apiKeyStillWinsOverAnUncheckableBearerToken() {
    IssuedKey issued = keys.create(NewKey.named("n").withScopes("orders.read"));
    TestServer s = serve();

    assertThat(assertEchoed(s.get("/orders/1", "X-API-Key", issued.plaintext(), "Authorization", "Bearer x")))
        .containsEntry("principal", issued.key().id()).containsEntry("authType", "API_KEY");
    assertRefused(s.get("/orders/1", "X-API-Key", Keys.unknownKey(), "Authorization", "Bearer x"), 401,
        INVALID_KEY, CHALLENGE, null);
  }

  @Test
  void builderOptInHandsBearerTokensToTheApplicationOnlyWhereNoScopeRuleApplies() {
    TestServer s = serve(keys.keygate(), f -> f.deferBearerTokens(true)
        .scopeRule("GET /orders/*=orders.read")
        .scopeRule("/me=")
        .scopeRule("POST /reports/*=reports.write"));

    assertHandedToTheApplicationOnlyWhereUnruled(s);
  }

  @Test
  void initParameterOptInHandsBearerTokensToTheApplicationOnlyWhereNoScopeRuleApplies() {
    TestServer s = serveDeclared("true", "GET /orders/*=orders.read; /me=; POST /reports/*=reports.write");

    assertHandedToTheApplicationOnlyWhereUnruled(s);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void apiKeyStillWinsWhenBearerTokensAreDeferred(boolean declared) {
    IssuedKey issued = keys.create(NewKey.named("n").withScopes("orders.read"));
    TestServer s = declared ? serveDeclared("true", "GET /orders/*=orders.read")
        : serve(keys.keygate(), f -> f.deferBearerTokens(true).scopeRule("GET /orders/*=orders.read"));

    for (String path : new String[] {"/orders/1", "/other"}) {
      assertThat(assertEchoed(s.get(path, "X-API-Key", issued.plaintext(), "Authorization", "Bearer x")))
          .containsEntry("principal", issued.key().id()).containsEntry("authType", "API_KEY");
      // a bad key never falls back to the token, not even to an unruled path
      assertRefused(s.get(path, "X-API-Key", Keys.unknownKey(), "Authorization", "Bearer x"), 401,
          INVALID_KEY, CHALLENGE, null);
      assertRefused(s.get(path, "X-API-Key", "", "Authorization", "Bearer x"), 401, INVALID_KEY, CHALLENGE, null);
    }
    assertRefused(s.get("/other"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void optInChangesNothingWhenTheEngineChecksBearerTokens() {
    TestServer s = serve(keys.keygate().bearerAuthenticator(t -> t.equals("good-token")
        ? Optional.of(KeygatePrincipal.bearer("alice", null, Set.of())) : Optional.empty()),
        f -> f.deferBearerTokens(true));

    assertRefused(s.get("/other", "Authorization", "Bearer forged"), 401, INVALID_BEARER, BEARER_CHALLENGE, null);
    assertThat(assertEchoed(s.get("/other", "Authorization", "Bearer good-token")))
        .containsEntry("principal", "alice").containsEntry("authType", "BEARER");
  }

  /** Unruled requests reach the servlet with no principal; ruled ones get 401 Invalid bearer token. */
  private static void assertHandedToTheApplicationOnlyWhereUnruled(TestServer s) {
    for (String form : new String[] {"Bearer x", "bearer x", "BEARER   x"}) {
      assertThat(assertEchoed(s.get("/other", "Authorization", form)))
          .containsEntry("principal", "none").containsEntry("attribute", "none")
          .containsEntry("authType", "null").containsEntry("remoteUser", "null");
    }
    // POST is the only method the /reports rule names
    assertThat(assertEchoed(s.get("/reports/q1", "Authorization", "Bearer x"))).containsEntry("principal", "none");

    assertRefused(s.get("/orders/1", "Authorization", "Bearer x"), 401, INVALID_BEARER, BEARER_CHALLENGE, null);
    assertRefused(s.get("/me", "Authorization", "Bearer x"), 401, INVALID_BEARER, BEARER_CHALLENGE, null);
    assertRefused(s.send("DELETE", "/me", "Authorization", "Bearer x"), 401, INVALID_BEARER, BEARER_CHALLENGE,
        null);
    assertRefused(s.send("POST", "/reports/q1", "Authorization", "Bearer x"), 401, INVALID_BEARER,
        BEARER_CHALLENGE, null);
    // a GET rule covers HEAD too
    HttpResponse<String> head = s.send("HEAD", "/orders/1", "Authorization", "Bearer x");
    assertThat(head.statusCode()).isEqualTo(401);
    assertThat(head.headers().firstValue("WWW-Authenticate")).contains(BEARER_CHALLENGE);
    assertRefused(s.raw("/orders/1", "Authorization: Bearer x", "Authorization: Bearer y"), 401, INVALID_BEARER,
        BEARER_CHALLENGE);
  }

  /** The filter declared by class name around a ready-made engine, with these init-parameters. */
  private TestServer serveDeclared(String deferBearerTokens, String scopes) {
    engine = keys.keygate().build().engine();
    server = TestServer.startContext(ctx -> {
      ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE, engine);
      FilterHolder holder = ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
      holder.setInitParameter("deferBearerTokens", deferBearerTokens);
      holder.setInitParameter("scopes", scopes);
    });
    return server;
  }
}

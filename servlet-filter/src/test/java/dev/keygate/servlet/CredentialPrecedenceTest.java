package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.KeygatePrincipal;
import dev.keygate.NewKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * API keys before Bearer tokens; Bearer through the engine's authenticator (without one, see {@link
 * UnverifiedBearerTokenTest}).
 */
class CredentialPrecedenceTest extends FilterTestBase {
  private static final String BEARER_CHALLENGE = CHALLENGE + ", Bearer realm=\"keygate\"";

  private Keygate.Builder withBearer() {
    return keys.keygate().bearerAuthenticator(token -> token.equals("good-token")
        ? Optional.of(KeygatePrincipal.bearer("alice", "acme", Set.of("orders.read")))
        : Optional.empty());
  }

  @Test
  void apiKeyWinsOverBearerToken() {
    IssuedKey issued = keys.create(NewKey.named("n"));
    TestServer s = serve(withBearer(), f -> {});

    Map<String, String> echo = assertEchoed(s.get("/orders", "X-API-Key", issued.plaintext(),
        "Authorization", "Bearer good-token"));

    assertThat(echo).containsEntry("principal", issued.key().id()).containsEntry("authType", "API_KEY");
  }

  @Test
  void badApiKeyIsRefusedEvenWithGoodBearerToken() {
    TestServer s = serve(withBearer(), f -> {});

    assertRefused(s.get("/orders", "X-API-Key", Keys.unknownKey(), "Authorization", "Bearer good-token"),
        401, INVALID_KEY, BEARER_CHALLENGE, null);
  }

  @Test
  void bearerTokenAloneIsAccepted() {
    TestServer s = serve(withBearer(), f -> {});

    Map<String, String> echo = assertEchoed(s.get("/orders?role=orders.read&role=orders.write",
        "Authorization", "Bearer good-token"));

    assertThat(echo).containsEntry("principal", "alice").containsEntry("authType", "BEARER")
        .containsEntry("remoteUser", "alice").containsEntry("attribute", "alice")
        .containsEntry("role:orders.read", "true").containsEntry("role:orders.write", "false");
  }

  @Test
  void bearerPrincipalIsHeldToScopeRules() {
    TestServer s = serve(withBearer(), f -> f.scopeRule("POST /orders/*=orders.write"));

    assertRefused(s.send("POST", "/orders/1", "Authorization", "Bearer good-token"), 403,
        "{\"detail\":\"You do not have permission to perform this action.\","
            + "\"required_scopes\":[\"orders.write\"]}", null, null);
    assertEchoed(s.get("/orders/1", "Authorization", "Bearer good-token"));
  }

  @Test
  void respondsToRejectedBearerTokenWith401() {
    TestServer s = serve(withBearer(), f -> {});

    assertRefused(s.get("/orders", "Authorization", "Bearer forged"), 401,
        "{\"detail\":\"Invalid bearer token.\"}", "Bearer realm=\"keygate\", error=\"invalid_token\"", null);
  }

  @Test
  void otherAuthorizationSchemesCountAsNoCredentials() {
    TestServer s = serve();

    assertRefused(s.get("/orders", "Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"), 401, NO_CREDENTIALS,
        CHALLENGE, null);
  }

  @Test
  void keyInAnotherConfiguredHeaderIsAccepted() {
    IssuedKey issued = keys.create(NewKey.named("n"));
    TestServer s = serve(keys.keygate().apiKeyHeaders("X-Avala-Api-Key", "X-API-Key"), f -> {});

    assertThat(assertEchoed(s.get("/orders", "X-Avala-Api-Key", issued.plaintext())))
        .containsEntry("principal", issued.key().id());
    assertThat(assertEchoed(s.get("/orders", "x-api-key", issued.plaintext())))
        .containsEntry("principal", issued.key().id());
  }
}

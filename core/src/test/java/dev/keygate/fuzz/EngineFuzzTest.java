package dev.keygate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keygate.ApiKeyService;
import dev.keygate.AuthMethod;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.KeygatePrincipal;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.Refusal;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes the engine's whole authenticate path with hostile requests. Invariants: it never throws,
 * it never authenticates without a valid credential, and every refusal is a row of the response
 * table with its headers.
 */
class EngineFuzzTest {
  private static final KeyFormat FORMAT = KeyFormat.withPrefix("kg_live");
  private static final InMemoryApiKeyStore STORE = new InMemoryApiKeyStore();
  private static final Keygate KEYGATE = Keygate.builder().store(STORE).keyFormat(FORMAT)
      .hasher(CountingHasher.cheapArgon2id()).trustedProxies(List.of("10.0.0.0/8"))
      .failuresPerAddress(new RateLimit(1_000_000, Duration.ofMinutes(1))).usageFlushInterval(Duration.ZERO)
      .bearerAuthenticator(t -> t.equals("good-token")
          ? Optional.of(KeygatePrincipal.bearer("user", null, Set.of())) : Optional.empty())
      .build();
  private static final ApiKeyService SERVICE = KEYGATE.keys();
  private static final IssuedKey VALID = SERVICE.create(NewKey.named("valid").withScopes("orders.read"));
  private static final IssuedKey LIMITED = SERVICE.create(NewKey.named("ip").withAllowedIps(List.of("10.9.0.0/16")));
  private static final IssuedKey REVOKED = SERVICE.create(NewKey.named("revoked"));
  private static final String WRONG_SECRET = FORMAT.generate(VALID.key().id()).plaintext();
  private static final AuthenticationEngine ENGINE = KEYGATE.engine();
  private static final Map<Refusal, Integer> STATUS = Map.of(
      Refusal.MISSING_CREDENTIALS, 401, Refusal.INVALID_KEY, 401, Refusal.INVALID_BEARER_TOKEN, 401,
      Refusal.EXPIRED, 401, Refusal.REVOKED, 401, Refusal.IP_NOT_ALLOWED, 403, Refusal.INSUFFICIENT_SCOPE, 403,
      Refusal.HTTPS_REQUIRED, 403, Refusal.RATE_LIMITED, 429, Refusal.UNAVAILABLE, 503);

  static {
    SERVICE.revoke(REVOKED.key().id());
  }

  @FuzzTest(maxDuration = "60s")
  void authenticate(FuzzedDataProvider data) {
    String peer = data.pickValue(new String[] {"10.1.2.3", "203.0.113.9", "::1", "not-an-ip"});
    AuthenticationRequest.Builder b = AuthenticationRequest.from(peer).secure(data.consumeBoolean());
    int n = data.consumeInt(0, 5);
    boolean sentValidKeyOnly = true;
    int apiKeys = 0;
    for (int i = 0; i < n; i++) {
      switch (data.consumeInt(0, 4)) {
        case 0 -> {
          String key = data.pickValue(new String[] {VALID.plaintext(), LIMITED.plaintext(), REVOKED.plaintext(),
              WRONG_SECRET, "fuzz"});
          if (key.equals("fuzz")) {
            key = data.consumeString(120);
          }
          String trimmed = key.replaceAll("^[ \t]+|[ \t]+$", "");
          sentValidKeyOnly &= trimmed.equals(VALID.plaintext()) || trimmed.equals(LIMITED.plaintext());
          apiKeys++;
          b.apiKey(key);
        }
        case 1 -> b.authorization(data.consumeBoolean() ? "Bearer " + data.consumeString(40) : data.consumeString(60));
        case 2 -> b.forwarded(data.consumeString(120));
        case 3 -> b.xForwardedFor(data.consumeString(120));
        default -> b.xForwardedProto(data.consumeString(10));
      }
    }
    AuthenticationRequest request = b.build();
    AuthenticationResult result = ENGINE.authenticate(request);
    if (result instanceof AuthenticationResult.Authenticated ok) {
        KeygatePrincipal p = ok.principal();
        if (p.method() == AuthMethod.API_KEY) {
          assertThat(apiKeys).isPositive();
          assertThat(sentValidKeyOnly).as("authenticated only with a valid key").isTrue();
          assertThat(p.keyId()).isIn(VALID.key().id(), LIMITED.key().id());
        } else {
          assertThat(apiKeys).as("an API key header always wins").isZero();
          assertThat(request.authorizations())
              .anyMatch(a -> a.replaceAll("[ \t]+$", "").matches("(?i:bearer) [ \t]*good-token"));
        }
    } else if (result instanceof AuthenticationResult.Refused refused) {
        assertThat(refused.status()).isEqualTo(STATUS.get(refused.reason()));
        assertThat(refused.body()).startsWith("{\"detail\":\"").endsWith("}");
        assertThat(refused.headers()).containsEntry("Content-Type", "application/json")
            .containsEntry("Cache-Control", "no-store");
        if (refused.status() == 401) {
          assertThat(refused.headers()).containsKey("WWW-Authenticate");
        }
        if (refused.status() == 429 || refused.status() == 503) {
          assertThat(refused.headers()).containsKey("Retry-After");
        }
        assertThat(refused.reason()).as("a plain key check never blames the store").isNotEqualTo(Refusal.UNAVAILABLE);
        if (refused.reason() == Refusal.REVOKED) {
          assertThat(request.apiKeys()).anyMatch(k -> k.replaceAll("^[ \t]+|[ \t]+$", "").equals(REVOKED.plaintext()));
        }
    } else {
      throw new AssertionError("a bearer authenticator is configured, nothing is deferred: " + result);
    }
  }
}

package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.spring.boot.orders.OrdersApp;
import dev.keygate.spring.boot.orders.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Keygate in a Spring Boot application with Spring Security, a JWT resource server and method
 * security, over real HTTP on the embedded server; run once per database by its subclasses.
 */
@SpringBootTest(classes = OrdersApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "keygate.key-prefix=sk_test",
    "keygate.scopes[orders.read]=Read orders",
    "keygate.scopes[orders.write]=Create orders",
    "keygate.scopes[reports.read]=Read reports",
    "keygate.scopes[keys.admin]=Manage API keys",
    "keygate.hasher.memory-kib=1024",
    "spring.liquibase.enabled=false",
    "keygate.management.enabled=true",
    "keygate.management.page.enabled=true",
    "management.endpoints.web.exposure.include=health,metrics",
    "management.endpoint.health.show-components=always",
    "management.endpoint.health.show-details=always"})
abstract class SpringBootContract {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @LocalServerPort
  int port;

  @Autowired
  Keygate keygate;

  IssuedKey key(NewKey request) {
    return keygate.keys().create(request.withOwner("acme"));
  }

  HttpResponse<String> send(String method, String path, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
    return send("GET", path, headers);
  }

  static Map<String, String> apiKey(IssuedKey key) {
    return Map.of("X-API-Key", key.plaintext());
  }

  @Test
  void aKeyWithTheScopeReachesPreAuthorizeAndTheScopesBecomeSpringAuthorities() throws Exception {
    IssuedKey k = key(NewKey.named("reader").withScopes("orders.read"));
    HttpResponse<String> r = get("/orders", apiKey(k));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("orders for " + k.key().id());
    assertThat(get("/me", apiKey(k)).body()).isEqualTo("KeygateAuthenticationToken " + k.key().id() + " [SCOPE_orders.read]");
  }

  @Test
  void aKeysEnvironmentIsAnAuthorityAndARouteOfAnotherEnvironmentAnswersKeygates403() throws Exception {
    IssuedKey live = key(NewKey.named("live").withEnvironment("live").withScopes("orders.read"));
    IssuedKey test = key(NewKey.named("test").withEnvironment("test").withScopes("orders.write"));
    IssuedKey none = key(NewKey.named("none").withScopes("orders.write"));
    assertThat(get("/me", apiKey(live)).body())
        .isEqualTo("KeygateAuthenticationToken " + live.key().id() + " [SCOPE_orders.read, KEYGATE_ENVIRONMENT_live]");
    assertThat(get("/payouts", apiKey(live)).body()).isEqualTo("payouts for " + live.key().id());
    String wrongEnvironment = "{\"detail\":\"This endpoint does not accept keys of this environment.\","
        + "\"required_environment\":\"live\"}";
    long before = keygate.engine().statistics().refused(dev.keygate.Refusal.ENVIRONMENT_NOT_ALLOWED);
    for (IssuedKey k : List.of(test, none)) {
      HttpResponse<String> r = get("/payouts", apiKey(k));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).isEqualTo(wrongEnvironment);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(get("/payouts/scoped", apiKey(k)).body()).isEqualTo(wrongEnvironment);
    }
    assertThat(keygate.engine().statistics().refused(dev.keygate.Refusal.ENVIRONMENT_NOT_ALLOWED)).isEqualTo(before + 4);
    // of the right environment, the scope is what is missing
    assertThat(get("/payouts/scoped", apiKey(live)).body()).isEqualTo(
        "{\"detail\":\"You do not have permission to perform this action.\",\"required_scopes\":[\"orders.write\"]}");
  }

  @Test
  void aKeyWithoutTheScopeIsRefusedWithKeygatesForbiddenRow() throws Exception {
    IssuedKey k = key(NewKey.named("writer").withScopes("orders.write"));
    for (String path : List.of("/orders", "/reports")) {
      HttpResponse<String> r = get(path, apiKey(k));
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.body()).isEqualTo("{\"detail\":\"You do not have permission to perform this action.\","
          + "\"required_scopes\":[\"" + (path.equals("/orders") ? "orders.read" : "reports.read") + "\"]}");
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }
  }

  @Test
  void chainRulesAndMethodSecurityOnAServiceSeeTheScopes() throws Exception {
    IssuedKey writer = key(NewKey.named("w").withScopes("orders.write"));
    HttpResponse<String> created = send("POST", "/orders", apiKey(writer));
    assertThat(created.statusCode()).as("POST with a key needs no CSRF token").isEqualTo(200);
    IssuedKey reader = key(NewKey.named("r").withScopes("orders.read"));
    HttpResponse<String> ruleRefused = send("POST", "/orders", apiKey(reader));
    assertThat(ruleRefused.statusCode()).isEqualTo(403);
    assertThat(ruleRefused.body()).as("the chain's hasAuthority rule names its scope").contains("\"required_scopes\":[\"orders.write\"]");
    IssuedKey reports = key(NewKey.named("rep").withScopes("reports.read"));
    assertThat(get("/reports", apiKey(reports)).body()).isEqualTo("monthly report");
  }

  @Test
  void fullAccessAndWildcardKeysGetEveryCatalogueScopeTheyCover() throws Exception {
    IssuedKey full = key(NewKey.named("full"));
    assertThat(get("/orders", apiKey(full)).statusCode()).isEqualTo(200);
    assertThat(get("/reports", apiKey(full)).statusCode()).isEqualTo(200);
    IssuedKey wildcard = key(NewKey.named("orders-all").withScopes("orders.*"));
    assertThat(get("/orders", apiKey(wildcard)).statusCode()).isEqualTo(200);
    assertThat(get("/reports", apiKey(wildcard)).statusCode()).isEqualTo(403);
  }

  @Test
  void noCredentialsGetKeygates401WithItsChallenge() throws Exception {
    HttpResponse<String> r = get("/orders", Map.of());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("X-API-Key"));
  }

  @Test
  void badExpiredAndRevokedKeysAreRefusedWithTheirRows() throws Exception {
    IssuedKey good = key(NewKey.named("soon-bad"));
    String tampered = good.plaintext().substring(0, good.plaintext().length() - 1)
        + (good.plaintext().endsWith("A") ? "B" : "A");
    HttpResponse<String> invalid = get("/orders", Map.of("X-API-Key", tampered));
    assertThat(invalid.statusCode()).isEqualTo(401);
    assertThat(invalid.body()).contains("Invalid API key.");
    assertThat(get("/orders", Map.of("X-API-Key", "not-a-key")).body()).contains("Invalid API key.");

    keygate.keys().revoke(good.key().id());
    HttpResponse<String> revoked = get("/orders", apiKey(good));
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(revoked.body()).contains("API key has been revoked.");

    IssuedKey expiring = key(NewKey.named("expiring").withExpiresAt(OrdersApp.CLOCK.instant().plus(Duration.ofHours(1))));
    assertThat(get("/orders", apiKey(expiring)).statusCode()).isEqualTo(200);
    OrdersApp.CLOCK.advance(Duration.ofHours(2));
    try {
      HttpResponse<String> expired = get("/orders", apiKey(expiring));
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(expired.body()).contains("API key has expired.");
    } finally {
      OrdersApp.CLOCK.advance(Duration.ofHours(-2));
    }
  }

  @Test
  void rateLimitAndAllowlistRefusalsKeepTheirStatusAndHeaders() throws Exception {
    IssuedKey limited = key(NewKey.named("limited").withRateLimit(RateLimit.perMinute(1)));
    assertThat(get("/orders", apiKey(limited)).statusCode()).isEqualTo(200);
    HttpResponse<String> throttled = get("/orders", apiKey(limited));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    IssuedKey elsewhere = key(NewKey.named("office").withAllowedIps(List.of("10.0.0.0/8")));
    HttpResponse<String> ip = get("/orders", apiKey(elsewhere));
    assertThat(ip.statusCode()).isEqualTo(403);
    assertThat(ip.body()).contains("IP address not allowed.");
  }

  @Test
  void aJwtAloneIsAuthenticatedBySpringsResourceServer() throws Exception {
    Map<String, String> bearer = Map.of("Authorization", "Bearer " + Tokens.jwt("alice", "orders.read"));
    HttpResponse<String> me = get("/me", bearer);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).startsWith("JwtAuthenticationToken alice");
    assertThat(get("/orders", bearer).statusCode()).isEqualTo(200);
    assertThat(get("/orders", Map.of("Authorization", "Bearer not.a.jwt")).statusCode()).isEqualTo(401);
  }

  @Test
  void aKeyDecidesWhateverBearerTokenComesWithIt() throws Exception {
    IssuedKey k = key(NewKey.named("with-jwt").withScopes("orders.read"));
    Map<String, String> both = Map.of("X-API-Key", k.plaintext(), "Authorization", "Bearer " + Tokens.jwt("bob", ""));
    assertThat(get("/me", both).body()).startsWith("KeygateAuthenticationToken " + k.key().id());
    Map<String, String> keyAndJunk = Map.of("X-API-Key", k.plaintext(), "Authorization", "Bearer junk");
    assertThat(get("/orders", keyAndJunk).statusCode()).as("an invalid token beside a valid key").isEqualTo(200);
    Map<String, String> badKeyGoodJwt = Map.of("X-API-Key", "sk_test_bad", "Authorization",
        "Bearer " + Tokens.jwt("carol", "orders.read"));
    HttpResponse<String> r = get("/orders", badKeyGoodJwt);
    assertThat(r.statusCode()).as("an invalid key never falls back to the token").isEqualTo(401);
    assertThat(r.body()).contains("Invalid API key.");
  }

  @Test
  void publicPathsNeedNothing() throws Exception {
    HttpResponse<String> r = get("/public/ping", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("pong");
  }

  @Test
  void theManagementApiAndPageAreServed() throws Exception {
    IssuedKey admin = key(NewKey.named("admin").withScopes("keys.admin", "orders.read"));
    HttpRequest create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/keygate/api/keys"))
        .header("X-API-Key", admin.plaintext()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"made over http\",\"scopes\":[\"orders.read\"]}")).build();
    HttpResponse<String> created = HTTP.send(create, HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String plaintext = created.body().replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    assertThat(get("/orders", Map.of("X-API-Key", plaintext)).statusCode()).isEqualTo(200);
    assertThat(get("/keygate/api/keys", Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/keygate/api/scopes", apiKey(admin)).body()).contains("Read orders");
    HttpResponse<String> page = get("/keygate/console/", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void actuatorHealthShowsTheStoreUp() throws Exception {
    IssuedKey k = key(NewKey.named("ops"));
    HttpResponse<String> health = get("/actuator/health", apiKey(k));
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode keygateHealth = new ObjectMapper().readTree(health.body()).path("components").path("keygate");
    assertThat(keygateHealth.path("status").asText()).isEqualTo("UP");
    assertThat(keygateHealth.path("details").path("store").asText()).isEqualTo("JdbcApiKeyStore");
  }

  private double metric(IssuedKey reader, String query) throws Exception {
    HttpResponse<String> r = get("/actuator/metrics/keygate.authentications?" + query, apiKey(reader));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body()).path("measurements").get(0).path("value").asDouble();
  }

  @Test
  void actuatorMetricsCountEachOutcomeAfterTraffic() throws Exception {
    IssuedKey ops = key(NewKey.named("metrics reader"));
    get("/orders", apiKey(ops)); // cached from here on
    String authenticated = "tag=outcome:authenticated&tag=method:api_key";
    String invalid = "tag=outcome:refused&tag=reason:invalid_key";
    String forbidden = "tag=outcome:refused&tag=reason:insufficient_scope";
    double[] before = {metric(ops, authenticated), metric(ops, invalid), metric(ops, forbidden)};
    IssuedKey writer = key(NewKey.named("no reader").withScopes("orders.write"));
    assertThat(get("/orders", apiKey(writer)).statusCode()).isEqualTo(403);
    assertThat(get("/orders", Map.of("X-API-Key", "sk_test_garbage")).statusCode()).isEqualTo(401);
    // the reads themselves are authenticated requests: the first read of each figure and the two calls above
    assertThat(metric(ops, authenticated) - before[0]).isEqualTo(4.0);
    assertThat(metric(ops, invalid) - before[1]).isEqualTo(1.0);
    assertThat(metric(ops, forbidden) - before[2]).isEqualTo(1.0);
    HttpResponse<String> timer = get("/actuator/metrics/keygate.verifications", apiKey(ops));
    assertThat(new ObjectMapper().readTree(timer.body()).path("measurements").get(0).path("value").asDouble())
        .as("uncached verifications so far").isGreaterThanOrEqualTo(2.0);
  }

  @Autowired
  javax.sql.DataSource dataSource;

  @Test
  void theApplicationsFlywayMigratesFirstAndKeygateKeepsItsOwnHistory() {
    org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders", Integer.class)).isZero();
    assertThat(jdbc.queryForList("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL", String.class))
        .containsExactly("1");
    assertThat(jdbc.queryForList("SELECT \"version\" FROM \"keygate_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL",
        String.class)).containsExactly("0", "1");
  }

  @Test
  void anApplicationErrorBehindAKeyIsA500NotA401() throws Exception {
    IssuedKey k = key(NewKey.named("bug finder"));
    HttpResponse<String> r = get("/boom", apiKey(k));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("a bug in the application").doesNotContain("IllegalStateException");
    assertThat(r.headers().firstValue("Set-Cookie")).as("no session for a key").isEmpty();
    keygate.engine().flushUsage();
    assertThat(keygate.keys().get(k.key().id()).orElseThrow().usageCount())
        .as("the error dispatch is not a second use").isEqualTo(1);
  }

  @Test
  void aRequestTheContainerRefusesBeforeAnyFilterIsStillDecidedByItsKey() throws Exception {
    IssuedKey k = key(NewKey.named("tracer"));
    HttpResponse<String> trace = send("TRACE", "/orders", apiKey(k));
    assertThat(trace.statusCode()).as(trace.body()).isEqualTo(405);
    assertThat(send("TRACE", "/orders", Map.of()).statusCode()).isEqualTo(401);
  }

  @Test
  void refusalsCreateNoSessionAndAPostWithoutAKeyIsA401NotACsrf403() throws Exception {
    HttpResponse<String> get = get("/orders", Map.of());
    assertThat(get.statusCode()).isEqualTo(401);
    assertThat(get.headers().firstValue("Set-Cookie")).as("the refused request is not saved in a session").isEmpty();
    HttpResponse<String> post = send("POST", "/orders", Map.of());
    assertThat(post.statusCode()).as("no ambient credential: nothing for CSRF to protect").isEqualTo(401);
    assertThat(post.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");
    assertThat(post.headers().firstValue("Set-Cookie")).isEmpty();
    HttpResponse<String> withCookie = send("POST", "/orders", Map.of("Cookie", "JSESSIONID=forged"));
    assertThat(withCookie.statusCode()).as("CSRF refuses a cookie's request first; what it lacks is a credential")
        .isEqualTo(401);
    assertThat(withCookie.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");
  }
}

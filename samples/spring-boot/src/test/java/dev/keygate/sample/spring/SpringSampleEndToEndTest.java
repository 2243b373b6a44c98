package dev.keygate.sample.spring;

import static dev.keygate.sample.spring.SampleHttp.bearer;
import static dev.keygate.sample.spring.SampleHttp.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.sample.spring.SampleHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The Spring Boot sample driven over real HTTP as a customer would, the journey of the Jetty
 * sample's end-to-end tests: signup, the management API, scoped routes, rotation and revocation,
 * JWTs beside keys, the page, health and JSON refusals. The test is the loopback proxy: each
 * signup comes from a client address of its own ({@code X-Forwarded-For}), so the signup limit
 * counts per test, as it would per customer.
 */
@SpringBootTest(classes = SpringSampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "KEYGATE_DATA_DIR=./target/test-data/e2e-${random.uuid}",
        "KEYGATE_JWT_SECRET=" + SampleHttp.JWT_SECRET,
        "KEYGATE_TRUSTED_PROXIES=127.0.0.1",
        "KEYGATE_FAILURES_PER_MINUTE=100000",
        "keygate.hasher.memory-kib=1024"})
class SpringSampleEndToEndTest {
  @Autowired
  Keygate keygate;

  private static final AtomicInteger COUNTER = new AtomicInteger();

  @LocalServerPort int port;
  SampleHttp http;

  @BeforeEach
  void client() {
    http = new SampleHttp(port);
  }

  /** A client address no other test uses. */
  static String newClient() {
    int n = COUNTER.incrementAndGet();
    return "198.51." + (n / 250) + "." + (n % 250 + 1);
  }

  static String newOrg() {
    return "org-" + COUNTER.incrementAndGet() + "-" + System.nanoTime() % 100_000;
  }

  Reply signup(String org, String client) throws Exception {
    return http.post("/api/v1/signup", null, "{\"organization\":\"" + org + "\"}", "X-Forwarded-For", client);
  }

  /** Signs up a fresh organization; returns its admin key. */
  String newAdmin(String org) throws Exception {
    Reply r = signup(org, newClient());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.text("key");
  }

  JsonNode createKey(String admin, String body) throws Exception {
    Reply r = http.post("/api/v1/keys", admin, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  @Test
  void signupCreatesAnOrganizationWithAFullAccessAdminKey() throws Exception {
    String org = newOrg();
    Reply created = signup(org, newClient());
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/keys/" + created.text("id"));
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");
    assertThat(created.text("key")).startsWith("kg_live_");
    assertThat(created.json().path("full_access").asBoolean()).isTrue();
    assertThat(created.text("status")).isEqualTo("active");
    Reply me = http.get("/api/v1/me", created.text("key"));
    assertThat(me.text("auth_method")).isEqualTo("api_key");
    assertThat(me.text("organization")).isEqualTo(org);
    assertThat(me.text("key_id")).isEqualTo(created.text("id"));
    assertThat(me.json().path("scopes").isEmpty()).as("the first key has full access").isTrue();
    assertThat(http.get("/api/v1/datasets", created.text("key")).status()).isEqualTo(200);

    Reply taken = signup(org.toUpperCase(java.util.Locale.ROOT), newClient());
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.detail()).isEqualTo("organization: the name is taken");
    Reply bad = signup("<script>", newClient());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.detail()).startsWith("organization:");
  }

  @Test
  void signupIsLimitedToFivePerMinutePerClientAddress() throws Exception {
    String client = newClient();
    for (int i = 0; i < 5; i++) {
      assertThat(signup(newOrg(), client).status()).as("signup %d", i + 1).isEqualTo(201);
    }
    Reply limited = signup(newOrg(), client);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isNotNull();
    assertThat(limited.detail()).startsWith("Request was throttled.");
    assertThat(signup(newOrg(), newClient()).status()).as("another client").isEqualTo(201);
  }

  @Test
  void theJourneySignupScopedKeyRotateRevokeDelete() throws Exception {
    String admin = newAdmin(newOrg());
    JsonNode created = createKey(admin, "{\"name\":\"reporting\",\"scopes\":[\"datasets.read\",\"tasks.*\"],"
        + "\"expires_at\":\"2030-01-01T00:00:00Z\"}");
    String id = created.path("id").asString();
    String key = created.path("key").asString();
    assertThat(key).startsWith("kg_live_");

    assertThat(http.get("/api/v1/datasets", key).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/tasks", key).status()).as("a wildcard scope").isEqualTo(200);
    Reply forbidden = http.post("/api/v1/datasets", key, null);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.raw().body()).isEqualTo(
        "{\"detail\":\"You do not have permission to perform this action.\",\"required_scopes\":[\"datasets.write\"]}");
    assertThat(forbidden.header("Content-Type")).startsWith("application/json");
    assertThat(http.get("/api/v1/projects", key).status()).isEqualTo(403);
    assertThat(http.post("/api/v1/exports", key, null).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/keys", key).status()).as("no keys.admin").isEqualTo(403);

    Reply rotated = http.post("/api/v1/keys/" + id + "/rotate", admin, null);
    assertThat(rotated.status()).isEqualTo(200);
    String second = rotated.text("key");
    assertThat(second).isNotEqualTo(key);
    assertThat(http.get("/api/v1/datasets", key).status()).as("the old key is refused at once").isEqualTo(401);
    assertThat(http.get("/api/v1/datasets", second).status()).isEqualTo(200);

    assertThat(http.call("DELETE", "/api/v1/keys/" + id, admin, null).status()).as("revoke first").isEqualTo(409);
    Reply revoked = http.post("/api/v1/keys/" + id + "/revoke", admin, null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.text("status")).isEqualTo("revoked");
    Reply refused = http.get("/api/v1/datasets", second);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.detail()).isEqualTo("API key has been revoked.");
    assertThat(http.call("DELETE", "/api/v1/keys/" + id, admin, null).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/keys/" + id, admin).status()).isEqualTo(404);
  }

  @Test
  void everyProtectedRouteAnswersItsScope() throws Exception {
    String admin = newAdmin(newOrg());
    String all = createKey(admin, "{\"name\":\"all\",\"scopes\":[\"datasets.read\",\"datasets.write\","
        + "\"projects.read\",\"exports.create\",\"tasks.read\"]}").path("key").asString();
    assertThat(http.get("/api/v1/datasets", all).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/datasets", all, null).status()).isEqualTo(201);
    assertThat(http.get("/api/v1/projects", all).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/exports", all, null).status()).isEqualTo(202);
    assertThat(http.get("/api/v1/tasks", all).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/keys", all).status()).isEqualTo(403);
  }

  @Test
  void missingAndInvalidKeysAreKeygates401() throws Exception {
    Reply none = http.get("/api/v1/datasets", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.detail()).isEqualTo("Authentication credentials were not provided.");
    assertThat(none.header("WWW-Authenticate")).contains("X-API-Key");
    Reply invalid = http.get("/api/v1/datasets", "kg_live_nope");
    assertThat(invalid.status()).isEqualTo(401);
    assertThat(invalid.detail()).isEqualTo("Invalid API key.");
  }

  @Test
  void organizationsCannotTouchEachOthersKeys() throws Exception {
    String acme = newAdmin(newOrg());
    String globex = newAdmin(newOrg());
    String id = createKey(acme, "{\"name\":\"acme-ci\"}").path("id").asString();
    assertThat(http.get("/api/v1/keys/" + id, acme).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/keys/" + id, globex).status()).as("absent to another organization").isEqualTo(404);
    assertThat(http.post("/api/v1/keys/" + id + "/revoke", globex, null).status()).isEqualTo(404);
  }

  @Test
  void meForAKeyAndForAJwt() throws Exception {
    String org = newOrg();
    String admin = newAdmin(org);
    JsonNode reader = createKey(admin, "{\"name\":\"reader\",\"scopes\":[\"datasets.read\"]}");
    Reply key = http.get("/api/v1/me", reader.path("key").asString());
    assertThat(key.status()).isEqualTo(200);
    assertThat(key.text("auth_method")).isEqualTo("api_key");
    assertThat(key.text("subject")).isEqualTo(reader.path("id").asString());
    assertThat(key.text("organization")).isEqualTo(org);
    assertThat(key.text("key_id")).isEqualTo(reader.path("id").asString());
    assertThat(key.json().path("scopes").toString()).isEqualTo("[\"datasets.read\"]");

    Reply token = http.get("/api/v1/me", null, bearer(jwt("alice", "acme", "datasets.read tasks.read")));
    assertThat(token.status()).as(token.toString()).isEqualTo(200);
    assertThat(token.text("auth_method")).isEqualTo("bearer");
    assertThat(token.text("subject")).isEqualTo("alice");
    assertThat(token.text("organization")).isEqualTo("acme");
    assertThat(token.json().path("scopes").toString()).isEqualTo("[\"datasets.read\",\"tasks.read\"]");
    assertThat(token.json().has("key_id")).isFalse();
  }

  @Test
  void aJwtReachesTheRoutesOfItsScopes() throws Exception {
    String[] reader = bearer(jwt("alice", "acme", "datasets.read"));
    Reply datasets = http.get("/api/v1/datasets", null, reader);
    assertThat(datasets.status()).isEqualTo(200);
    assertThat(datasets.text("organization")).isEqualTo("acme");
    Reply write = http.post("/api/v1/datasets", null, null, reader);
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.raw().body()).contains("\"required_scopes\":[\"datasets.write\"]");
  }

  @Test
  void aJwtWithoutOrganizationIsRefusedOnOrganizationRoutes() throws Exception {
    String[] noOrg = bearer(jwt("bob", null, "datasets.read"));
    Reply me = http.get("/api/v1/me", null, noOrg);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().path("organization").isNull()).isTrue();
    Reply datasets = http.get("/api/v1/datasets", null, noOrg);
    assertThat(datasets.status()).isEqualTo(403);
    assertThat(datasets.detail()).isEqualTo("This credential belongs to no organization.");
  }

  @Test
  void badJwtsAre401() throws Exception {
    String good = jwt("alice", "acme", "datasets.read");
    String tampered = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");
    String expired = jwt("alice", "acme", "datasets.read", Instant.now().minus(Duration.ofSeconds(5)),
        SampleHttp.JWT_SECRET);
    String otherSecret = jwt("alice", "acme", "datasets.read", Instant.now().plus(Duration.ofHours(1)),
        "another-secret-of-at-least-32-bytes-long");
    String unsigned = new PlainJWT(new JWTClaimsSet.Builder().subject("alice").claim("org", "acme")
        .expirationTime(java.util.Date.from(Instant.now().plus(Duration.ofHours(1)))).build()).serialize();
    String emptyOrg = jwt("alice", "", "datasets.read");
    String noExp = SampleHttp.sign(new JWTClaimsSet.Builder().subject("alice").claim("org", "acme").build(),
        SampleHttp.JWT_SECRET);
    String listScope = SampleHttp.sign(new JWTClaimsSet.Builder().subject("alice").claim("org", "acme")
        .claim("scope", java.util.List.of(1, 2)).expirationTime(java.util.Date.from(Instant.now().plus(Duration.ofHours(1))))
        .build(), SampleHttp.JWT_SECRET);
    assertThat(http.get("/api/v1/me", null, bearer(good)).status()).as("the control").isEqualTo(200);
    for (String token : new String[] {tampered, expired, otherSecret, unsigned, emptyOrg, noExp, listScope, "not.a.jwt"}) {
      Reply r = http.get("/api/v1/me", null, bearer(token));
      assertThat(r.status()).as(token).isEqualTo(401);
      assertThat(r.detail()).isEqualTo("Invalid bearer token.");
    }
  }

  @Test
  void aKeyDecidesWhenAJwtComesWithIt() throws Exception {
    String admin = newAdmin(newOrg());
    JsonNode k = createKey(admin, "{\"name\":\"k\",\"scopes\":[\"datasets.read\"]}");
    String[] jwtAllScopes = bearer(jwt("carol", "acme", "datasets.read datasets.write"));
    Reply me = http.get("/api/v1/me", k.path("key").asString(), jwtAllScopes);
    assertThat(me.text("auth_method")).isEqualTo("api_key");
    assertThat(me.text("key_id")).isEqualTo(k.path("id").asString());
    assertThat(http.post("/api/v1/datasets", k.path("key").asString(), null, jwtAllScopes).status())
        .as("the key's scopes decide, not the token's").isEqualTo(403);
    Reply badKeyGoodJwt = http.get("/api/v1/datasets", "kg_live_bad", jwtAllScopes);
    assertThat(badKeyGoodJwt.status()).as("an invalid key never falls back to the token").isEqualTo(401);
    assertThat(badKeyGoodJwt.detail()).isEqualTo("Invalid API key.");
  }

  @Test
  void theApiKeysPageIsServedWithItsContentSecurityPolicy() throws Exception {
    Reply page = http.get("/console/", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(page.raw().body()).contains("<title>API keys</title>");
    Reply config = http.get("/console/config.json", null);
    assertThat(config.text("api_base")).as("the page calls the management API at /api/v1").isEqualTo("/api/v1");
    assertThat(config.text("product_name")).isEqualTo("Keygate sample");
    Reply openapi = http.get("/api/v1/openapi.json", null);
    assertThat(openapi.status()).isEqualTo(200);
    assertThat(openapi.text("openapi")).startsWith("3.");
  }

  @Test
  void theScopeCatalogueHasTheSamplesDescriptions() throws Exception {
    String admin = newAdmin(newOrg());
    Reply scopes = http.get("/api/v1/scopes", admin);
    assertThat(scopes.status()).isEqualTo(200);
    assertThat(scopes.raw().body()).contains("datasets.read", "List and retrieve datasets and dataset items.",
        "keys.admin", "tasks.read");
  }

  @Test
  void healthIsPublicAndActuatorHealthShowsKeygateUpToAuthenticatedCallers() throws Exception {
    Reply health = http.get("/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.raw().body()).isEqualTo("{\"status\":\"ok\"}");

    String customer = newAdmin(newOrg());
    assertThat(http.get("/api/v1/datasets", customer).status()).isEqualTo(200); // some traffic first
    assertThat(http.get("/actuator/health", customer).status())
        .as("a customer's key, even full access, does not see the server's health or metrics").isEqualTo(403);
    assertThat(http.get("/actuator/metrics", customer).status()).isEqualTo(403);
    String admin = keygate.keys().create(NewKey.named("operator").withOwner("default")).plaintext();
    Reply actuator = http.get("/actuator/health", admin);
    assertThat(actuator.status()).isEqualTo(200);
    JsonNode keygate = actuator.json().path("components").path("keygate");
    assertThat(keygate.path("status").asString()).isEqualTo("UP");
    assertThat(keygate.path("details").path("store").asString()).isEqualTo("JdbcApiKeyStore");
    assertThat(http.get("/actuator/health", null).status()).isEqualTo(401);
    assertThat(http.get("/actuator/metrics", admin).status()).isEqualTo(200);
    assertThat(http.get("/actuator/metrics", null).status()).isEqualTo(401);
  }

  @Test
  void springsOwnRefusalsAreJsonWithoutTheRequestOrAStackTrace() throws Exception {
    String admin = newAdmin(newOrg());
    Reply notFound = http.get("/api/v1/no-such-route", admin);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.raw().body()).isEqualTo("{\"detail\":\"Not Found.\"}");
    Reply method = http.call("DELETE", "/api/v1/datasets", admin, null);
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.detail()).isEqualTo("Method Not Allowed.");
    assertThat(method.header("Allow")).contains("GET", "POST");
    Reply mediaType = http.call("POST", "/api/v1/signup", null, null, "Content-Type", "text/plain",
        "X-Forwarded-For", newClient());
    assertThat(mediaType.status()).isEqualTo(415);
    assertThat(mediaType.detail()).isEqualTo("Unsupported Media Type.");
    Reply malformed = http.post("/api/v1/signup", null, "{\"organization\":", "X-Forwarded-For", newClient());
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.raw().body()).isEqualTo("{\"detail\":\"Bad Request.\"}");
    Reply trace = http.call("TRACE", "/health", null, null);
    assertThat(trace.status()).isEqualTo(405);
    for (Reply r : new Reply[] {notFound, method, mediaType, malformed}) {
      assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/json");
      assertThat(r.header("Cache-Control")).as(r.toString()).contains("no-store");
      assertThat(r.raw().body()).doesNotContain("no-such-route", "Exception", "\tat ");
    }
  }

  @Test
  void bodiesOverSixtyFourKibibytesAre413WhetherTheirLengthIsKnownOrNot() throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    String big = "{\"organization\":\"" + "a".repeat(100 * 1024) + "\"}";
    String admin = newAdmin(newOrg());
    for (String path : new String[] {"/api/v1/signup", "/api/v1/keys"}) {
      java.net.http.HttpResponse<String> sized = client.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
          .header("X-API-Key", admin).POST(java.net.http.HttpRequest.BodyPublishers.ofString(big)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(sized.statusCode()).as(path).isEqualTo(413);
      assertThat(sized.body()).isEqualTo("{\"detail\":\"Request body too large.\"}");
      java.net.http.HttpResponse<String> chunked = client.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
          .header("X-API-Key", admin).POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
              () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(chunked.statusCode()).as(path + ", chunked").isEqualTo(413);
      assertThat(chunked.body()).contains("too large");
    }
  }
}

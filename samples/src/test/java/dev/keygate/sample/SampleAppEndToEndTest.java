package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.LogCapture;
import dev.keygate.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample driven over real HTTP as a customer would: one app (H2 file, random port) for the class. */
class SampleAppEndToEndTest {
  private static final String JWT_SECRET = "an-hs256-secret-of-at-least-32-bytes!!";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger ORGS = new AtomicInteger();

  @TempDir static Path dataDir;
  static final MutableClock clock = new MutableClock(Instant.now());
  static final ByteArrayOutputStream console = new ByteArrayOutputStream();
  static SampleApp app;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    app = SampleApp.start(config(), clock, CountingHasher.cheapArgon2id(), new PrintStream(console, true, StandardCharsets.UTF_8));
    base = "http://127.0.0.1:" + app.port();
  }

  static SampleConfig config() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("KEYGATE_DATA_DIR", dataDir.toString());
    env.put("KEYGATE_JWT_SECRET", JWT_SECRET);
    env.put("KEYGATE_FAILURES_PER_MINUTE", "100000");
    return SampleConfig.fromEnv(env);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    String detail() {
      return json.path("detail").asText();
    }
  }

  static Reply call(String method, String path, @Nullable String key, @Nullable String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    return new Reply(r.statusCode(), json, r);
  }

  /** Signs up a fresh organization; returns its admin key's plaintext. */
  static String signup(String org) throws Exception {
    clock.advance(Duration.ofSeconds(13)); // stay under the signup limit of 5 per minute
    Reply r = call("POST", "/api/v1/signup", null, "{\"organization\":\"" + org + "\"}");
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    return r.json().get("key").asText();
  }

  static String newOrg() {
    return "org-" + ORGS.incrementAndGet() + "-" + System.nanoTime() % 100000;
  }

  static JsonNode createKey(String admin, String body) throws Exception {
    Reply r = call("POST", "/api/v1/keys", admin, body);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void healthIsPublicAndBootstrapKeyWasPrintedOnce() throws Exception {
    assertThat(call("GET", "/health", null, null).json().get("status").asText()).isEqualTo("ok");
    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out.lines().filter(l -> l.startsWith("Bootstrap admin key: "))).hasSize(1);
    String bootstrap = out.lines().filter(l -> l.startsWith("Bootstrap admin key: ")).findFirst().orElseThrow()
        .substring("Bootstrap admin key: ".length());
    Reply me = call("GET", "/api/v1/me", bootstrap, null);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("organization").asText()).isEqualTo("default");
  }

  @Test
  void signupCreatesAnOrganizationWithAnAdminKey() throws Exception {
    String org = newOrg();
    String admin = signup(org);
    assertThat(admin).startsWith("kg_live_");
    Reply me = call("GET", "/api/v1/me", admin, null);
    assertThat(me.json().get("auth_method").asText()).isEqualTo("api_key");
    assertThat(me.json().get("organization").asText()).isEqualTo(org);
    assertThat(me.json().get("scopes")).as("the organization's first key has full access").isEmpty();
    assertThat(call("GET", "/api/v1/datasets", admin, null).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(13));
    Reply taken = call("POST", "/api/v1/signup", null, "{\"organization\":\"" + org.toUpperCase() + "\"}");
    assertThat(taken.status()).isEqualTo(409);
    clock.advance(Duration.ofSeconds(13));
    Reply bad = call("POST", "/api/v1/signup", null, "{\"organization\":\"<script>\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.detail()).startsWith("organization:");
  }

  @Test
  void signupIsLimitedToFivePerMinutePerAddress() throws Exception {
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 5; i++) {
      assertThat(call("POST", "/api/v1/signup", null, "{\"organization\":\"" + newOrg() + "\"}").status()).isEqualTo(201);
    }
    Reply limited = call("POST", "/api/v1/signup", null, "{\"organization\":\"" + newOrg() + "\"}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.raw().headers().firstValue("Retry-After")).contains("12");
    assertThat(limited.detail()).isEqualTo("Request was throttled. Expected available in 12 seconds.");
    clock.advance(Duration.ofSeconds(12));
    assertThat(call("POST", "/api/v1/signup", null, "{\"organization\":\"" + newOrg() + "\"}").status()).isEqualTo(201);
  }

  @Test
  void scopedKeysReachOnlyTheirRoutes() throws Exception {
    String admin = signup(newOrg());
    String reader = createKey(admin, "{\"name\":\"reader\",\"scopes\":[\"datasets.read\",\"tasks.*\"]}").get("key").asText();
    assertThat(call("GET", "/api/v1/datasets", reader, null).status()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/tasks", reader, null).status()).isEqualTo(200);
    Reply forbidden = call("POST", "/api/v1/datasets", reader, null);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.raw().body()).isEqualTo(
        "{\"detail\":\"You do not have permission to perform this action.\",\"required_scopes\":[\"datasets.write\"]}");
    assertThat(call("GET", "/api/v1/projects", reader, null).status()).isEqualTo(403);
    assertThat(call("POST", "/api/v1/exports", reader, null).status()).isEqualTo(403);
    assertThat(call("GET", "/api/v1/keys", reader, null).status()).as("no keys.admin").isEqualTo(403);
    Reply none = call("GET", "/api/v1/datasets", null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.detail()).isEqualTo("Authentication credentials were not provided.");
    assertThat(none.raw().headers().firstValue("WWW-Authenticate")).isPresent();
    Reply invalid = call("GET", "/api/v1/datasets", "kg_live_nope", null);
    assertThat(invalid.status()).isEqualTo(401);
    assertThat(invalid.detail()).isEqualTo("Invalid API key.");
  }

  @Test
  void rotateRevokeAndDeleteRules() throws Exception {
    String admin = signup(newOrg());
    JsonNode created = createKey(admin, "{\"name\":\"ci\"}");
    String id = created.get("id").asText();
    String first = created.get("key").asText();
    assertThat(call("GET", "/api/v1/me", first, null).status()).isEqualTo(200);

    Reply rotated = call("POST", "/api/v1/keys/" + id + "/rotate", admin, null);
    assertThat(rotated.status()).isEqualTo(200);
    String second = rotated.json().get("key").asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(call("GET", "/api/v1/me", first, null).status()).as("old key refused at once").isEqualTo(401);
    assertThat(call("GET", "/api/v1/me", second, null).status()).isEqualTo(200);

    Reply deleteActive = call("DELETE", "/api/v1/keys/" + id, admin, null);
    assertThat(deleteActive.status()).isEqualTo(409);

    Reply revoked = call("POST", "/api/v1/keys/" + id + "/revoke", admin, null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
    Reply refused = call("GET", "/api/v1/me", second, null);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.detail()).isEqualTo("API key has been revoked.");
    assertThat(call("POST", "/api/v1/keys/" + id + "/rotate", admin, null).status()).isEqualTo(409);

    assertThat(call("DELETE", "/api/v1/keys/" + id, admin, null).status()).isEqualTo(204);
    assertThat(call("GET", "/api/v1/keys/" + id, admin, null).status()).isEqualTo(404);
    assertThat(call("GET", "/api/v1/me", second, null).detail()).isEqualTo("Invalid API key.");
  }

  @Test
  void expiredKeysAreRefused() throws Exception {
    String admin = signup(newOrg());
    Instant expiry = clock.instant().plus(Duration.ofHours(1));
    String key = createKey(admin, "{\"name\":\"short\",\"expires_at\":\"" + expiry + "\"}").get("key").asText();
    assertThat(call("GET", "/api/v1/me", key, null).status()).isEqualTo(200);
    clock.set(expiry);
    Reply expired = call("GET", "/api/v1/me", key, null);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.detail()).isEqualTo("API key has expired.");
  }

  @Test
  void ipAllowlists() throws Exception {
    String admin = signup(newOrg());
    String elsewhere = createKey(admin, "{\"name\":\"vpn\",\"allowed_ips\":[\"10.0.0.0/8\"]}").get("key").asText();
    String local = createKey(admin, "{\"name\":\"local\",\"allowed_ips\":[\"127.0.0.1\",\"::1\"]}").get("key").asText();
    Reply denied = call("GET", "/api/v1/me", elsewhere, null);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.detail()).isEqualTo("IP address not allowed.");
    assertThat(call("GET", "/api/v1/me", elsewhere, null, "X-Forwarded-For", "10.1.2.3").status())
        .as("127.0.0.1 is not a trusted proxy here").isEqualTo(403);
    assertThat(call("GET", "/api/v1/me", local, null).status()).isEqualTo(200);
  }

  @Test
  void usageCountsShowInTheList() throws Exception {
    String admin = signup(newOrg());
    JsonNode k = createKey(admin, "{\"name\":\"counted\",\"scopes\":[\"projects.read\"]}");
    for (int i = 0; i < 3; i++) {
      assertThat(call("GET", "/api/v1/projects", k.get("key").asText(), null).status()).isEqualTo(200);
    }
    Reply list = call("GET", "/api/v1/keys", admin, null);
    assertThat(list.status()).isEqualTo(200);
    JsonNode counted = null;
    for (JsonNode item : list.json().get("items")) {
      assertThat(item.has("key")).as("the list never shows a plaintext").isFalse();
      if (item.get("id").asText().equals(k.get("id").asText())) {
        counted = item;
      }
    }
    assertThat(counted).isNotNull();
    assertThat(counted.get("usage_count").asLong()).isEqualTo(3);
    assertThat(counted.get("last_used_at").asText()).isNotEmpty();
    assertThat(counted.get("hint").asText()).startsWith("kg_live_");
  }

  /**
   * Test and live keys side by side (the README's walk-through): each says its environment by its
   * prefix, both reach the ordinary routes, and the live-only {@code POST /api/v1/exports} refuses
   * the test key 403 naming the environment; rotation keeps the prefix.
   */
  @Test
  void testAndLiveKeysWorkSideBySideAndExportsTakeLiveKeysOnly() throws Exception {
    String admin = signup(newOrg());
    assertThat(call("GET", "/api/v1/environments", admin, null).json().get("environments").toString())
        .isEqualTo("[\"live\",\"test\"]");
    JsonNode test = createKey(admin, "{\"name\":\"ci\",\"scopes\":[\"datasets.read\",\"exports.create\"],"
        + "\"environment\":\"test\"}");
    JsonNode live = createKey(admin, "{\"name\":\"prod\",\"scopes\":[\"datasets.read\",\"exports.create\"],"
        + "\"environment\":\"live\"}");
    JsonNode unnamed = createKey(admin, "{\"name\":\"default\",\"scopes\":[\"exports.create\"]}");
    assertThat(test.get("key").asText()).startsWith("kg_test_");
    assertThat(test.get("hint").asText()).startsWith("kg_test_");
    assertThat(test.get("environment").asText()).isEqualTo("test");
    assertThat(live.get("key").asText()).startsWith("kg_live_");
    assertThat(live.get("environment").asText()).isEqualTo("live");
    assertThat(unnamed.get("key").asText()).as("without an environment: live").startsWith("kg_live_");
    assertThat(unnamed.get("environment").asText()).isEqualTo("live");

    assertThat(call("GET", "/api/v1/datasets", test.get("key").asText(), null).status()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/datasets", live.get("key").asText(), null).status()).isEqualTo(200);
    Reply refused = call("POST", "/api/v1/exports", test.get("key").asText(), null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.raw().body()).isEqualTo("{\"detail\":\"This endpoint does not accept keys of this environment.\","
        + "\"required_environment\":\"live\"}");
    assertThat(refused.raw().headers().firstValue("Content-Type")).contains("application/json");
    assertThat(call("POST", "/api/v1/exports", live.get("key").asText(), null).status()).isEqualTo(202);
    assertThat(call("POST", "/api/v1/exports", unnamed.get("key").asText(), null).status()).isEqualTo(202);
    assertThat(call("POST", "/api/v1/exports", admin, null).status()).as("signup's key is live").isEqualTo(202);

    Reply rotated = call("POST", "/api/v1/keys/" + test.get("id").asText() + "/rotate", admin, null);
    assertThat(rotated.json().get("key").asText()).startsWith("kg_test_" + test.get("id").asText());
    assertThat(call("POST", "/api/v1/exports", rotated.json().get("key").asText(), null).status()).isEqualTo(403);

    Reply staging = call("POST", "/api/v1/keys", admin, "{\"name\":\"x\",\"environment\":\"staging\"}");
    assertThat(staging.status()).isEqualTo(400);
    assertThat(staging.detail()).isEqualTo("environment: must be one of live, test (the key format's environments)");
  }

  @Test
  void organizationsCannotTouchEachOthersKeys() throws Exception {
    String adminA = signup(newOrg());
    String adminB = signup(newOrg());
    JsonNode keyOfB = createKey(adminB, "{\"name\":\"b-key\"}");
    String id = keyOfB.get("id").asText();
    assertThat(call("GET", "/api/v1/keys/" + id, adminA, null).status()).isEqualTo(404);
    assertThat(call("POST", "/api/v1/keys/" + id + "/rotate", adminA, null).status()).isEqualTo(404);
    assertThat(call("POST", "/api/v1/keys/" + id + "/revoke", adminA, null).status()).isEqualTo(404);
    assertThat(call("DELETE", "/api/v1/keys/" + id, adminA, null).status()).isEqualTo(404);
    Reply listA = call("GET", "/api/v1/keys", adminA, null);
    for (JsonNode item : listA.json().get("items")) {
      assertThat(item.get("id").asText()).isNotEqualTo(id);
    }
    assertThat(call("GET", "/api/v1/me", keyOfB.get("key").asText(), null).status()).as("still active").isEqualTo(200);
  }

  @Test
  void badInputIsA400NamingTheField() throws Exception {
    String admin = signup(newOrg());
    Reply noName = call("POST", "/api/v1/keys", admin, "{\"scopes\":[\"a\"]}");
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.detail()).startsWith("name:");
    Reply badDate = call("POST", "/api/v1/keys", admin, "{\"name\":\"x\",\"expires_at\":\"tomorrow\"}");
    assertThat(badDate.status()).isEqualTo(400);
    assertThat(badDate.detail()).startsWith("expires_at");
    Reply badIp = call("POST", "/api/v1/keys", admin, "{\"name\":\"x\",\"allowed_ips\":[\"example.com\"]}");
    assertThat(badIp.status()).isEqualTo(400);
    assertThat(badIp.detail()).startsWith("allowed_ips:");
    Reply unknown = call("POST", "/api/v1/keys", admin, "{\"name\":\"x\",\"sopes\":[]}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.detail()).startsWith("sopes");
    Reply broken = call("POST", "/api/v1/keys", admin, "{\"name\":");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.detail()).isEqualTo("The body is not valid JSON.");
    assertThat(call("GET", "/api/v1/keys?limit=0", admin, null).status()).isEqualTo(400);
    assertThat(call("GET", "/api/v1/keys?status=zombie", admin, null).status()).isEqualTo(400);
    Reply nowhere = call("GET", "/api/v1/nowhere", admin, null);
    assertThat(nowhere.status()).isEqualTo(404);
    assertThat(nowhere.raw().body()).doesNotContain("Exception").doesNotContain("at org.");
  }

  /** Everything core refuses is a 400 naming the field; none of it is a 500 (nulls and far expiries were). */
  @Test
  void valuesCoreRefusesAre400NamingTheField() throws Exception {
    String admin = signup(newOrg());
    String scope200 = "w".repeat(64) + "." + "w".repeat(64) + "." + "w".repeat(64) + ".wwwww";
    StringBuilder tooMany = new StringBuilder("\"s0\"");
    for (int i = 1; i <= 100; i++) {
      tooMany.append(",\"s").append(i).append('"');
    }
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("{\"name\":\"x\",\"scopes\":[null]}", "scopes:");
    refused.put("{\"name\":\"x\",\"scopes\":[\"\"]}", "scopes:");
    refused.put("{\"name\":\"x\",\"scopes\":[" + tooMany + "]}", "scopes:");
    refused.put("{\"name\":\"x\",\"scopes\":[\"" + scope200 + "w\"]}", "scopes:");
    refused.put("{\"name\":\"x\",\"allowed_ips\":[null]}", "allowed_ips:");
    refused.put("{\"allowed_ips\":[null]}", "allowed_ips:");
    refused.put("{\"name\":\"x\",\"allowed_ips\":[\"\"]}", "allowed_ips:");
    refused.put("{\"name\":\"x\",\"expires_at\":\"+1000000000-01-01T00:00:00Z\"}", "expires_at:");
    refused.put("{\"name\":\"x\",\"expires_at\":\"+10000-01-01T00:00:00Z\"}", "expires_at:");
    refused.put("{\"name\":\"x\",\"expires_at\":\"+1000000001-01-01T00:00:00Z\"}", "expires_at");
    refused.put("{\"name\":\"x\",\"expires_at\":99999999999999999999999}", "expires_at");
    refused.put("{\"name\":\"x\",\"expires_at\":\"1970-01-01T00:00:00Z\"}", "expires_at:");
    refused.put("{\"name\":\"" + "n".repeat(201) + "\"}", "name:");
    refused.put("{\"name\":\"" + "n".repeat(60_000) + "\"}", "name:");
    refused.put("{\"name\":\"bell\\u0007\"}", "name:");
    refused.put("{\"name\":\"nul\\u0000\"}", "name:");
    refused.put("{\"name\":\"half \\ud800 surrogate\"}", "name:");
    refused.put("{\"name\":null}", "name:");
    refused.put("{\"name\":\"x\",\"environment\":\" production\"}", "environment:");
    refused.put("{\"name\":\"x\",\"environment\":\"" + "e".repeat(65) + "\"}", "environment:");
    refused.put("{\"name\":\"x\",\"metadata\":{\"a\":null}}", "metadata");
    for (Map.Entry<String, String> c : refused.entrySet()) {
      Reply r = call("POST", "/api/v1/keys", admin, c.getKey());
      assertThat(r.status()).as(c.getKey().length() > 300 ? c.getKey().substring(0, 300) : c.getKey()).isEqualTo(400);
      assertThat(r.detail()).as(c.getKey().length() > 300 ? c.getKey().substring(0, 300) : c.getKey()).startsWith(c.getValue());
    }
  }

  /**
   * The largest values core accepts within the sample's scope catalogue are served and kept: the
   * last instant every store keeps, 100 allowed IPv6 ranges, every catalogue scope (the environment
   * is one of the sample's two: a 64-character one is the management module's test). (100 scopes of 200 characters are the management module's test: the sample
   * refuses scopes outside its catalogue.)
   */
  @Test
  void theLargestValuesCoreAcceptsAreCreatedAndReadBack() throws Exception {
    String admin = signup(newOrg());
    StringBuilder ips = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      ips.append(i == 0 ? "" : ",").append("\"2001:db8:ffff:ffff:ffff:ffff:ffff:").append(String.format("%04x", i)).append("/128\"");
    }
    String scopes = "\"datasets.read\",\"datasets.write\",\"projects.read\",\"exports.create\",\"tasks.read\",\"keys.admin\"";
    JsonNode k = createKey(admin, "{\"name\":\"" + "\ud83d\udd11".repeat(100) + "\",\"scopes\":[" + scopes
        + "],\"allowed_ips\":[" + ips + "],\"expires_at\":\"9999-12-31T23:59:59.999999Z\",\"environment\":\"test\"}");
    Reply read = call("GET", "/api/v1/keys/" + k.get("id").asText(), admin, null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("expires_at").asText()).isEqualTo("9999-12-31T23:59:59.999999Z");
    assertThat(read.json().get("scopes")).hasSize(6);
    assertThat(read.json().get("allowed_ips")).hasSize(100);
    assertThat(read.json().get("environment").asText()).isEqualTo("test");
    assertThat(read.json().get("name").asText()).isEqualTo("\ud83d\udd11".repeat(100));
    Reply unknown = call("POST", "/api/v1/keys", admin, "{\"name\":\"x\",\"scopes\":[\"dataset.read\"]}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.detail()).isEqualTo("scopes: not in the scope catalogue: dataset.read");
  }

  @Test
  void jwtBearerTokensAndApiKeyPrecedence() throws Exception {
    String org = newOrg();
    String admin = signup(org);
    String token = jwt(org, "datasets.read", clock.instant().plus(Duration.ofMinutes(5)), JWT_SECRET);
    Reply me = call("GET", "/api/v1/me", null, null, "Authorization", "Bearer " + token);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("auth_method").asText()).isEqualTo("bearer");
    assertThat(me.json().get("subject").asText()).isEqualTo("user-7");
    assertThat(me.json().get("organization").asText()).isEqualTo(org);
    assertThat(call("GET", "/api/v1/datasets", null, null, "Authorization", "Bearer " + token).status()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/projects", null, null, "Authorization", "Bearer " + token).status()).isEqualTo(403);

    Reply both = call("GET", "/api/v1/me", admin, null, "Authorization", "Bearer " + token);
    assertThat(both.json().get("auth_method").asText()).isEqualTo("api_key");
    Reply badKeyGoodToken = call("GET", "/api/v1/me", "kg_live_bad", null, "Authorization", "Bearer " + token);
    assertThat(badKeyGoodToken.status()).as("no fallback to the token").isEqualTo(401);

    String expired = jwt(org, "", clock.instant().minusSeconds(120), JWT_SECRET);
    assertThat(call("GET", "/api/v1/me", null, null, "Authorization", "Bearer " + expired).status()).isEqualTo(401);
    String forged = jwt(org, "*", clock.instant().plusSeconds(300), "another-secret-of-at-least-32-bytes!!!");
    assertThat(call("GET", "/api/v1/me", null, null, "Authorization", "Bearer " + forged).status()).isEqualTo(401);
    String unsigned = new PlainJWT(new JWTClaimsSet.Builder().subject("x").claim("org", org)
        .expirationTime(Date.from(clock.instant().plusSeconds(300))).build()).serialize();
    Reply none = call("GET", "/api/v1/me", null, null, "Authorization", "Bearer " + unsigned);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.detail()).isEqualTo("Invalid bearer token.");
    String[] parts = token.split("\\.");
    String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
    assertThat(call("GET", "/api/v1/me", null, null, "Authorization", "Bearer " + tampered).status()).isEqualTo(401);
  }

  /** Expired means expired: a token one second past its exp is refused (nimbus allowed 60 s by default). */
  @Test
  void jwtExpiryHasNoClockSkewByDefault() throws Exception {
    String org = newOrg();
    signup(org);
    Instant now = clock.instant();
    Instant wholeSecond = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
    String token = jwt(org, "", wholeSecond, JWT_SECRET);
    assertThat(bearer("/api/v1/me", token).status()).isEqualTo(200);
    clock.set(wholeSecond);
    Reply atExp = bearer("/api/v1/me", token);
    assertThat(atExp.status()).isEqualTo(401);
    assertThat(atExp.detail()).isEqualTo("Invalid bearer token.");
    clock.set(wholeSecond.plusSeconds(1));
    assertThat(bearer("/api/v1/me", token).status()).isEqualTo(401);
    assertThat(bearer("/api/v1/me", jwt(org, "", clock.instant().minusSeconds(1), JWT_SECRET)).status()).isEqualTo(401);
  }

  @Test
  void jwtSubjectMustBeANonEmptyString() throws Exception {
    String org = newOrg();
    Date exp = Date.from(clock.instant().plusSeconds(300));
    for (Object sub : new Object[] {"", "   ", 42, List.of("a"), Map.of("a", "b"), true}) {
      String token = signed(new JWTClaimsSet.Builder().claim("sub", sub).claim("org", org).expirationTime(exp).build());
      Reply r = bearer("/api/v1/me", token);
      assertThat(r.status()).as(String.valueOf(sub)).isEqualTo(401);
      assertThat(r.detail()).isEqualTo("Invalid bearer token.");
    }
    String noSub = signed(new JWTClaimsSet.Builder().claim("org", org).expirationTime(exp).build());
    assertThat(bearer("/api/v1/me", noSub).status()).isEqualTo(401);
  }

  @Test
  void jwtOrganizationWhenPresentMustBeANonEmptyString() throws Exception {
    Date exp = Date.from(clock.instant().plusSeconds(300));
    for (Object org : new Object[] {"", " ", 7, List.of("a")}) {
      String token = signed(new JWTClaimsSet.Builder().subject("u").claim("org", org).expirationTime(exp).build());
      assertThat(bearer("/api/v1/me", token).status()).as(String.valueOf(org)).isEqualTo(401);
    }
  }

  /** A token without org knows who it is, but belongs to no organization: organization routes are 403. */
  @Test
  void jwtWithoutOrganizationIsRefused403OnOrganizationRoutes() throws Exception {
    String token = signed(new JWTClaimsSet.Builder().subject("user-9").claim("scope", "keys.admin datasets.read "
        + "datasets.write projects.read exports.create tasks.read").expirationTime(Date.from(clock.instant().plusSeconds(300))).build());
    Reply me = bearer("/api/v1/me", token);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("organization").isNull()).isTrue();
    for (String[] route : new String[][] {{"GET", "/api/v1/datasets"}, {"POST", "/api/v1/datasets"},
        {"GET", "/api/v1/projects"}, {"POST", "/api/v1/exports"}, {"GET", "/api/v1/tasks"}, {"GET", "/api/v1/keys"},
        {"POST", "/api/v1/keys"}, {"GET", "/api/v1/keys/abcdefabcdef"}}) {
      Reply r = call(route[0], route[1], null, route[0].equals("POST") && route[1].endsWith("keys") ? "{\"name\":\"x\"}" : null,
          "Authorization", "Bearer " + token);
      assertThat(r.status()).as(route[0] + " " + route[1]).isEqualTo(403);
      assertThat(r.detail()).isEqualTo("This credential belongs to no organization.");
    }
  }

  private static Reply bearer(String path, String token) throws Exception {
    return call("GET", path, null, null, "Authorization", "Bearer " + token);
  }

  private static String signed(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  static String jwt(String org, String scope, Instant exp, String secret) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("user-7")
        .claim("org", org).claim("scope", scope).expirationTime(Date.from(exp)).build());
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  @Test
  void servletRouteUsesTheServletFilter() throws Exception {
    String admin = signup(newOrg());
    Reply who = call("GET", "/servlet/whoami", admin, null);
    assertThat(who.status()).isEqualTo(200);
    assertThat(who.json().get("auth_type").asText()).isEqualTo("API_KEY");
    assertThat(who.json().get("is_keys_admin").asBoolean()).isTrue();
    Reply none = call("GET", "/servlet/whoami", null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
  }

  @Test
  void secretsNeverReachTheLogs() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      String admin = signup(newOrg());
      String key = createKey(admin, "{\"name\":\"logged?\"}").get("key").asText();
      call("GET", "/api/v1/me", key, null);
      call("GET", "/api/v1/me", key.substring(0, key.length() - 1) + "x", null);
      assertThat(logs.text()).doesNotContain(admin).doesNotContain(key).doesNotContain(key.substring(20, 52));
    }
  }
}

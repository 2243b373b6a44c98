package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The live API against its own description: a real Jetty serves {@link KeyManagementServlet} at
 * {@code /api/v1}; the test reads {@code /api/v1/openapi.json} over HTTP, has swagger-parser check
 * it, then drives every documented (path, method, status) and checks each answer's status, body
 * (JSON Schema 2020-12, networknt) and documented headers. The last test fails if the document
 * lists a status no request produced; {@link #expect} fails on a status the document does not list.
 * Methods a path does not document answer 405 with {@code Allow}.
 *
 * <p>A second mount ({@code /throttled/v1}) of the same keys, by an engine that allows one failed
 * authentication per address and minute, answers the per-address 429 without throttling the 401s
 * of the main mount.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE = "/api/v1";
  private static final String THROTTLED = "/throttled/v1";
  private static final String JSON_TYPE = "application/json";
  private static final String SIGNER_ID = "conformance-key";

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final SwitchableStore store = new SwitchableStore(new InMemoryApiKeyStore());
  private final Set<String> exercised = new TreeSet<>();
  private Keygate keygate;
  private Keygate strict;
  private ApiServer server;
  private OpenApiDocument doc;

  /** A full-access admin of acme (no scopes). */
  private IssuedKey full;
  /** keys.admin and datasets.read, of acme. */
  private IssuedKey scoped;
  /** datasets.read only, of acme: not a manager. */
  private IssuedKey reader;
  /** keys.admin, but of no organization. */
  private IssuedKey ownerless;
  /** keys.admin of globex. */
  private IssuedKey foreign;
  /** keys.admin of acme, one request a minute. */
  private IssuedKey limited;
  /** keys.admin of acme, never used before the store goes down (so never cached). */
  private IssuedKey unverified;
  /** keys.admin of acme, revoked. */
  private IssuedKey revoked;
  /** An ordinary acme key, the subject of the per-key routes. */
  private IssuedKey target;

  @BeforeAll
  void start() throws Exception {
    keygate = engine(new RateLimit(10_000, Duration.ofMinutes(1)));
    strict = engine(new RateLimit(1, Duration.ofMinutes(1)));
    full = create(NewKey.named("full admin").withOwner("acme"));
    scoped = create(NewKey.named("scoped admin").withOwner("acme").withScopes("keys.admin", "datasets.read"));
    reader = create(NewKey.named("reader").withOwner("acme").withScopes("datasets.read"));
    ownerless = create(NewKey.named("ownerless admin").withScopes("keys.admin"));
    foreign = create(NewKey.named("globex admin").withOwner("globex").withScopes("keys.admin"));
    limited = create(NewKey.named("limited admin").withOwner("acme").withScopes("keys.admin")
        .withRateLimit(new RateLimit(1, Duration.ofMinutes(1))));
    unverified = create(NewKey.named("unverified admin").withOwner("acme").withScopes("keys.admin"));
    revoked = create(NewKey.named("revoked admin").withOwner("acme").withScopes("keys.admin"));
    keygate.keys().revoke(revoked.key().id());
    target = create(NewKey.named("target").withOwner("acme").withScopes("datasets.read").withEnvironment("staging"));
    server = new ApiServer(Map.of(BASE, servlet(keygate), THROTTLED, servlet(strict)));
  }

  private Keygate engine(RateLimit failuresPerAddress) {
    return Keygate.builder().store(store).keyFormat(KeyFormat.withPrefix("kg_test"))
        .hasher(CountingHasher.cheapArgon2id()).clock(clock).failuresPerAddress(failuresPerAddress).build();
  }

  private static KeyManagementServlet servlet(Keygate keygate) {
    return new KeyManagementServlet(management(keygate));
  }

  private static KeyManagement management(Keygate keygate) {
    return KeyManagement.builder(keygate)
        .scope("keys.admin", "Manage the organization's API keys")
        .scope("datasets.read", "Read datasets")
        .scope("datasets.write", "Create and change datasets")
        .leakReports(LeakReports.github(Map.of(SIGNER_ID, LeakReportsContract.pem(LeakReportsContract.SIGNER))))
        .build();
  }

  private IssuedKey create(NewKey key) {
    return keygate.keys().create(key);
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    strict.close();
    keygate.close();
  }

  // ---- the document ----

  @Test
  @Order(1)
  void theServedDocumentIsAValidOpenApi31DescriptionOfThisApi() throws Exception {
    ApiServer.Answer a = server.send("GET", BASE + "/openapi.json", null, null, null);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(OpenApi.document());
    doc = new OpenApiDocument(a.body());
    assertThat(doc.messages()).as("swagger-parser messages").isEmpty();
    assertThat(doc.model()).isNotNull();
    assertThat(doc.model().getOpenapi()).isEqualTo("3.1.0");
    expect(a, "GET", "/openapi.json", 200); // no key: the description is public
    KeyManagement served = management(keygate);
    assertThat(doc.paths()).allSatisfy(p -> assertThat(served.answers(p.replace("{id}", "abcdefABCDEF"))).isTrue());

    // the validator is not blind: a key without id, or with a field the schema does not list, is refused
    String key = server.send("GET", BASE + "/keys/" + target.key().id(), full.plaintext(), null, null).body();
    assertThat(doc.validateComponent("Key", key)).isEmpty();
    assertThat(doc.validateComponent("Key", JSON.readTree(key).<com.fasterxml.jackson.databind.node.ObjectNode>deepCopy()
        .without("id").toString())).isNotEmpty();
    assertThat(doc.validateComponent("Key", JSON.readTree(key).<com.fasterxml.jackson.databind.node.ObjectNode>deepCopy()
        .put("secret_hash", "x").toString())).isNotEmpty();
    assertThat(doc.validateComponent("Key", JSON.readTree(key).<com.fasterxml.jackson.databind.node.ObjectNode>deepCopy()
        .put("created_at", "yesterday").toString())).as("date-time is asserted").isNotEmpty();
    assertThat(doc.validateComponent("Problem", "{\"detail\":1}")).isNotEmpty();
  }

  // ---- 2xx and the refusals particular to each route ----

  @Test
  @Order(2)
  void sessionScopesAndEnvironmentsDescribeTheCaller() throws Exception {
    JsonNode s = expect(get("/session", full), "GET", "/session", 200);
    assertThat(s.get("organization").asText()).isEqualTo("acme");
    assertThat(s.get("subject").asText()).isEqualTo(full.key().id());
    assertThat(s.get("full_access").asBoolean()).isTrue();
    JsonNode t = expect(get("/session", scoped), "GET", "/session", 200);
    assertThat(t.get("full_access").asBoolean()).isFalse();
    assertThat(texts(t.get("scopes"))).containsExactly("datasets.read", "keys.admin");

    JsonNode c = expect(get("/scopes", scoped), "GET", "/scopes", 200);
    assertThat(c.get("full_access_grantable").asBoolean()).isFalse();
    Map<String, Boolean> grantable = new java.util.TreeMap<>();
    c.get("scopes").forEach(e -> grantable.put(e.get("name").asText(), e.get("grantable").asBoolean()));
    assertThat(grantable).containsExactly(Map.entry("datasets.read", true), Map.entry("datasets.write", false),
        Map.entry("keys.admin", true));

    JsonNode e = expect(get("/environments", full), "GET", "/environments", 200);
    assertThat(texts(e.get("environments"))).containsExactly("development", "staging", "production");
  }

  @Test
  @Order(3)
  void listingShowsTheOrganizationsKeysAndNamesABadParameter() throws Exception {
    JsonNode all = expect(get("/keys?limit=200", full), "GET", "/keys", 200);
    List<String> owners = new ArrayList<>();
    all.get("items").forEach(k -> owners.add(k.get("name").asText()));
    assertThat(owners).contains("full admin", "target", "revoked admin")
        .doesNotContain("globex admin", "ownerless admin");
    assertThat(all.get("has_more").asBoolean()).isFalse();
    assertThat(all.get("total").asInt()).isEqualTo(owners.size());

    assertThat(all.has("next_cursor")).isFalse();

    JsonNode page = expect(get("/keys?limit=1", full), "GET", "/keys", 200);
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    String cursor = page.get("next_cursor").asText();
    JsonNode second = expect(get("/keys?limit=1&cursor=" + cursor, full), "GET", "/keys", 200);
    assertThat(second.get("items")).hasSize(1);
    assertThat(second.get("items").get(0).get("name").asText()).isEqualTo(owners.get(1));
    assertThat(second.get("total").asInt()).isEqualTo(owners.size());

    JsonNode revokedOnly = expect(get("/keys?status=revoked", full), "GET", "/keys", 200);
    assertThat(revokedOnly.get("items")).extracting(k -> k.get("name").asText()).containsExactly("revoked admin");
    JsonNode staging = expect(get("/keys?environment=staging", full), "GET", "/keys", 200);
    assertThat(staging.get("items")).extracting(k -> k.get("name").asText()).containsExactly("target");

    for (String bad : List.of("limit=0", "limit=201", "offset=1", "cursor=x", "cursor=" + cursor.substring(1),
        "status=lost", "colour=red", "limit=1&limit=2")) {
      JsonNode p = expect(get("/keys?" + bad, full), "GET", "/keys", 400);
      assertThat(p.get("detail").asText()).as(bad)
          .containsAnyOf("limit", "offset", "cursor", "status", "query parameter");
    }
  }

  @Test
  @Order(4)
  void creatingAKeyShowsItOnceAndRefusesWhatTheCallerCannotGrant() throws Exception {
    String expires = clock.instant().plus(Duration.ofDays(30)).toString();
    String body = "{\"name\":\"ci\",\"scopes\":[\"datasets.read\"],\"environment\":\"staging\","
        + "\"expires_at\":\"" + expires + "\",\"allowed_ips\":[\"10.0.0.0/8\"],"
        + "\"rate_limit\":{\"requests\":100,\"period_seconds\":60}}";
    ApiServer.Answer a = post("/keys", scoped, body);
    JsonNode k = expect(a, "POST", "/keys", 201);
    assertThat(k.get("key").asText()).startsWith("kg_test");
    assertThat(k.get("scopes").toString()).isEqualTo("[\"datasets.read\"]");
    assertThat(k.get("expires_at").asText()).isEqualTo(expires);
    assertThat(a.header("Cache-Control")).contains("no-store");
    assertThat(a.header("Location")).hasValueSatisfying(
        location -> assertThat(location).endsWith("/api/v1/keys/" + k.get("id").asText()).startsWith("http://"));

    JsonNode fullKey = expect(post("/keys", full, "{\"name\":\"everything\"}"), "POST", "/keys", 201);
    assertThat(fullKey.get("full_access").asBoolean()).isTrue();

    JsonNode up = expect(post("/keys", scoped, "{\"name\":\"x\",\"scopes\":[\"datasets.write\"]}"), "POST", "/keys", 403);
    assertThat(texts(up.get("ungranted_scopes"))).containsExactly("datasets.write");
    JsonNode all = expect(post("/keys", scoped, "{\"name\":\"x\"}"), "POST", "/keys", 403);
    assertThat(texts(all.get("ungranted_scopes"))).containsExactly("*");

    Map<String, String> bad = Map.of(
        "{\"scopes\":[\"datasets.read\"]}", "name",
        "{\"name\":\"x\",\"colour\":\"red\"}", "colour",
        "{\"name\":\"x\",\"scopes\":[\"billing.read\"]}", "scopes",
        "{\"name\":\"x\",\"scopes\":\"datasets.read\"}", "scopes",
        "{\"name\":\"x\",\"allowed_ips\":[\"not an address\"]}", "allowed_ips",
        "{\"name\":\"x\",\"expires_at\":\"tomorrow\"}", "expires_at",
        "{\"name\":\"x\",\"rate_limit\":{\"requests\":0,\"period_seconds\":60}}", "rate_limit",
        "{\"name\":", "JSON",
        "[]", "object");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      JsonNode p = expect(post("/keys", full, e.getKey()), "POST", "/keys", 400);
      assertThat(p.get("detail").asText()).as(e.getKey()).contains(e.getValue());
    }
    expect(post("/keys", full, ""), "POST", "/keys", 400);

    JsonNode big = expect(post("/keys", full, "{\"name\":\"" + "x".repeat(Bodies.MAX_BYTES) + "\"}"), "POST", "/keys", 413);
    assertThat(big.get("detail").asText()).contains(Integer.toString(Bodies.MAX_BYTES));
    expect(server.send("POST", BASE + "/keys", full.plaintext(), "text/plain", "{\"name\":\"x\"}"), "POST", "/keys", 415);
    expect(server.send("POST", BASE + "/keys", full.plaintext(), null, "{\"name\":\"x\"}"), "POST", "/keys", 415);
  }

  @Test
  @Order(5)
  void aKeyOfAnotherOrganizationIsAbsent() throws Exception {
    JsonNode k = expect(get("/keys/" + target.key().id(), full), "GET", "/keys/{id}", 200);
    assertThat(k.get("name").asText()).isEqualTo("target");
    assertThat(k.has("key")).as("a plaintext is shown once, at creation").isFalse();
    expect(get("/keys/" + foreign.key().id(), full), "GET", "/keys/{id}", 404);
    expect(get("/keys/" + ownerless.key().id(), full), "GET", "/keys/{id}", 404);
    expect(get("/keys/AAAAAAAAAAAA", full), "GET", "/keys/{id}", 404);
    expect(get("/keys/short", full), "GET", "/keys/{id}", 404);
  }

  @Test
  @Order(6)
  void rotatingGivesANewSecretOnceAndOnlyToWhoCouldCreateTheKey() throws Exception {
    IssuedKey victim = create(NewKey.named("to rotate").withOwner("acme").withScopes("datasets.read"));
    ApiServer.Answer a = post("/keys/" + victim.key().id() + "/rotate", scoped, "{\"grace_period_seconds\":60}");
    JsonNode k = expect(a, "POST", "/keys/{id}/rotate", 200);
    assertThat(k.get("key").asText()).startsWith("kg_test").isNotEqualTo(victim.plaintext());
    assertThat(k.has("rotated_at")).isTrue();
    assertThat(a.header("Cache-Control")).contains("no-store");
    expect(post("/keys/" + victim.key().id() + "/rotate", full, null), "POST", "/keys/{id}/rotate", 200);

    JsonNode up = expect(post("/keys/" + full.key().id() + "/rotate", scoped, null), "POST", "/keys/{id}/rotate", 403);
    assertThat(texts(up.get("ungranted_scopes"))).containsExactly("*");
    JsonNode bad = expect(post("/keys/" + victim.key().id() + "/rotate", full, "{\"grace_period_seconds\":-1}"),
        "POST", "/keys/{id}/rotate", 400);
    assertThat(bad.get("detail").asText()).contains("grace_period_seconds");
    expect(post("/keys/" + victim.key().id() + "/rotate", full, "{\"grace\":1}"), "POST", "/keys/{id}/rotate", 400);
    expect(post("/keys/" + foreign.key().id() + "/rotate", full, null), "POST", "/keys/{id}/rotate", 404);
    expect(post("/keys/" + revoked.key().id() + "/rotate", full, null), "POST", "/keys/{id}/rotate", 409);
    store.loseNextUpdate();
    expect(post("/keys/" + victim.key().id() + "/rotate", full, null), "POST", "/keys/{id}/rotate", 409);
    expect(post("/keys/" + victim.key().id() + "/rotate", full, "{\"grace_period_seconds\":" + "1".repeat(Bodies.MAX_BYTES) + "}"),
        "POST", "/keys/{id}/rotate", 413);
    expect(server.send("POST", BASE + "/keys/" + victim.key().id() + "/rotate", full.plaintext(), "text/plain", "{}"),
        "POST", "/keys/{id}/rotate", 415);
  }

  @Test
  @Order(7)
  void revokingIsForGoodAndRepeatable() throws Exception {
    IssuedKey victim = create(NewKey.named("to revoke").withOwner("acme").withScopes("datasets.read"));
    String path = "/keys/" + victim.key().id() + "/revoke";
    store.loseNextUpdate();
    expect(post(path, full, null), "POST", "/keys/{id}/revoke", 409);
    JsonNode k = expect(post(path, full, null), "POST", "/keys/{id}/revoke", 200);
    assertThat(k.get("status").asText()).isEqualTo("revoked");
    JsonNode again = expect(post(path, full, "{}"), "POST", "/keys/{id}/revoke", 200);
    assertThat(again.get("revoked_at")).isEqualTo(k.get("revoked_at"));
    expect(post("/keys/" + foreign.key().id() + "/revoke", full, null), "POST", "/keys/{id}/revoke", 404);
    expect(post(path, full, "{oops"), "POST", "/keys/{id}/revoke", 400);
    expect(post(path, full, "[1]"), "POST", "/keys/{id}/revoke", 400);
    expect(post(path, full, "[" + "1,".repeat(Bodies.MAX_BYTES / 2) + "1]"), "POST", "/keys/{id}/revoke", 413);
    expect(server.send("POST", BASE + path, full.plaintext(), "application/x-www-form-urlencoded", "a=b"),
        "POST", "/keys/{id}/revoke", 415);
  }

  @Test
  @Order(8)
  void onlyARevokedOrExpiredKeyIsDeleted() throws Exception {
    IssuedKey victim = create(NewKey.named("to delete").withOwner("acme"));
    String path = "/keys/" + victim.key().id();
    expect(delete(path, full), "DELETE", "/keys/{id}", 409);
    keygate.keys().revoke(victim.key().id());
    ApiServer.Answer gone = delete(path, full);
    expect(gone, "DELETE", "/keys/{id}", 204);
    assertThat(gone.body()).isEmpty();
    expect(delete(path, full), "DELETE", "/keys/{id}", 404);
    expect(get(path, full), "GET", "/keys/{id}", 404);
    expect(delete("/keys/" + foreign.key().id(), full), "DELETE", "/keys/{id}", 404);
    assertThat(keygate.keys().get(foreign.key().id())).isPresent();
  }

  // ---- the refusals every protected route shares ----

  @Test
  @Order(9)
  void everyProtectedRouteAnswers401WithAChallenge() throws Exception {
    String malformed = "kg_test_not_a_key";
    String wrongSecret = full.plaintext().substring(0, full.plaintext().length() - 8) + "AAAAAAAA";
    for (Op op : protectedOps()) {
      for (String key : Arrays.asList(null, malformed, wrongSecret, revoked.plaintext())) {
        ApiServer.Answer a = server.send(op.method, BASE + op.path, key, op.contentType(), op.body);
        expect(a, op.method, op.template, 401);
        assertThat(a.header("WWW-Authenticate")).as(op + " " + (key == null ? "no key" : "bad key"))
            .hasValueSatisfying(v -> assertThat(v).isNotBlank());
      }
    }
    JsonNode r = JSON.readTree(server.send("GET", BASE + "/session", revoked.plaintext(), null, null).body());
    assertThat(r.get("detail").asText()).isEqualTo("API key has been revoked.");
  }

  @Test
  @Order(10)
  void everyProtectedRouteAnswers403ToAKeyThatCannotManageKeys() throws Exception {
    for (Op op : protectedOps()) {
      JsonNode p = expect(server.send(op.method, BASE + op.path, reader.plaintext(), op.contentType(), op.body),
          op.method, op.template, 403);
      assertThat(texts(p.get("required_scopes"))).as(op.toString()).containsExactly("keys.admin");
      JsonNode o = expect(server.send(op.method, BASE + op.path, ownerless.plaintext(), op.contentType(), op.body),
          op.method, op.template, 403);
      assertThat(o.get("detail").asText()).as(op.toString()).isEqualTo(KeyAccess.NO_ORGANIZATION);
    }
  }

  @Test
  @Order(11)
  void everyProtectedRouteAnswers429WithRetryAfter() throws Exception {
    // the key's own rate limit: one request a minute
    expect(get("/session", limited), "GET", "/session", 200);
    for (Op op : protectedOps()) {
      ApiServer.Answer a = server.send(op.method, BASE + op.path, limited.plaintext(), op.contentType(), op.body);
      expect(a, op.method, op.template, 429);
      assertThat(Long.parseLong(a.header("Retry-After").orElseThrow())).as(op.toString()).isPositive();
    }
    // failures per address: the throttled mount allows one failed authentication a minute
    expect(server.send("GET", THROTTLED + "/session", "kg_test_wrong", null, null), "GET", "/session", 401);
    for (Op op : protectedOps()) {
      ApiServer.Answer a = server.send(op.method, THROTTLED + op.path, "kg_test_wrong", op.contentType(), op.body);
      expect(a, op.method, op.template, 429);
      assertThat(Long.parseLong(a.header("Retry-After").orElseThrow())).as(op.toString()).isPositive();
    }
  }

  @Test
  @Order(12)
  void everyProtectedRouteAnswers503WhileTheStoreIsDown() throws Exception {
    get("/keys", full); // full's key is verified and cached: the routes themselves meet the outage
    store.down(true);
    try {
      for (Op op : protectedOps()) {
        // a key not yet verified cannot be looked up
        ApiServer.Answer a = server.send(op.method, BASE + op.path, unverified.plaintext(), op.contentType(), op.body);
        expect(a, op.method, op.template, 503);
        assertThat(Long.parseLong(a.header("Retry-After").orElseThrow())).as(op.toString()).isPositive();
        if (op.path.startsWith("/keys")) {
          ApiServer.Answer b = server.send(op.method, BASE + op.path, full.plaintext(), op.contentType(), op.body);
          expect(b, op.method, op.template, 503);
          assertThat(b.header("Retry-After")).isPresent();
        }
      }
    } finally {
      store.down(false);
    }
    expect(get("/session", unverified), "GET", "/session", 200);
  }

  // ---- the leak-report route: public, authenticated by its signature ----

  @Test
  @Order(14)
  void leakReportsAreAnsweredInThePartnerProgramsFormat() throws Exception {
    IssuedKey leaked = create(NewKey.named("leaked").withOwner("acme"));
    String route = "/secret-scanning/github";
    String body = LeakReportsContract.report(leaked.plaintext(), "kg_test_nothing");
    JsonNode answer = expect(leak(body, LeakReportsContract.sign(LeakReportsContract.SIGNER, body), JSON_TYPE),
        "POST", route, 200);
    assertThat(answer).extracting(e -> e.get("label").asText()).containsExactly("true_positive", "false_positive");
    assertThat(keygate.keys().get(leaked.key().id()).orElseThrow().revokedAt()).isNotNull();
    JsonNode shown = expect(get("/keys/" + leaked.key().id(), full), "GET", "/keys/{id}", 200);
    assertThat(shown.get("revoked_reason").asText()).isEqualTo("leaked");

    String signedByAnother = LeakReportsContract.sign(LeakReportsContract.STRANGER, body);
    expect(leak(body, signedByAnother, JSON_TYPE), "POST", route, 401);
    expect(server.send("POST", BASE + route, null, JSON_TYPE, body), "POST", route, 401);
    String object = "{}";
    expect(leak(object, LeakReportsContract.sign(LeakReportsContract.SIGNER, object), JSON_TYPE), "POST", route, 400);
    String big = "[\"" + "x".repeat(LeakReports.MAX_BYTES) + "\"]";
    expect(leak(big, LeakReportsContract.sign(LeakReportsContract.SIGNER, big), JSON_TYPE), "POST", route, 413);
    expect(leak(body, LeakReportsContract.sign(LeakReportsContract.SIGNER, body), "text/plain"), "POST", route, 415);
  }

  private ApiServer.Answer leak(String body, String signature, String contentType) throws IOException, InterruptedException {
    return server.send("POST", BASE + "/secret-scanning/github", null, contentType, body,
        "Github-Public-Key-Identifier", SIGNER_ID, "Github-Public-Key-Signature", signature);
  }

  // ---- nothing undocumented ----

  @Test
  @Order(13)
  void aMethodAPathDoesNotDocumentIs405WithAllow() throws Exception {
    List<String> methods = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    for (String template : doc.paths()) {
      Set<String> documented = doc.methods(template);
      String path = template.replace("{id}", target.key().id());
      for (String method : methods) {
        if (documented.contains(method)) {
          continue;
        }
        ApiServer.Answer a = server.send(method, BASE + path, full.plaintext(), null, null);
        assertThat(a.status()).as(method + " " + template).isEqualTo(405);
        Set<String> allow = Arrays.stream(a.header("Allow").orElseThrow().split(","))
            .map(String::strip).collect(Collectors.toCollection(TreeSet::new));
        assertThat(allow).as(method + " " + template).isEqualTo(documented);
        if (!method.equals("HEAD")) {
          assertThat(doc.validateComponent("Problem", a.body())).isEmpty();
        }
      }
    }
    for (String unknown : List.of("/", "/key", "/keys/" + target.key().id() + "/renew", "/openapi.yaml")) {
      ApiServer.Answer a = server.send("GET", BASE + unknown, full.plaintext(), null, null);
      assertThat(a.status()).as(unknown).isEqualTo(404);
    }
  }

  @Test
  @Order(100)
  void everyDocumentedStatusWasExercised() {
    assertThat(exercised).isNotEmpty();
    assertThat(doc.documentedTriples()).as("documented but never answered").isEqualTo(exercised);
  }

  // ---- helpers ----

  /** A protected route, with a request it accepts from a caller allowed to make it. */
  private record Op(String method, String template, String path, @Nullable String body) {
    @Nullable String contentType() {
      return body == null ? null : JSON_TYPE;
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  private List<Op> protectedOps() {
    String id = target.key().id();
    return List.of(
        new Op("GET", "/session", "/session", null),
        new Op("GET", "/scopes", "/scopes", null),
        new Op("GET", "/environments", "/environments", null),
        new Op("GET", "/keys", "/keys", null),
        new Op("POST", "/keys", "/keys", "{\"name\":\"x\",\"scopes\":[\"datasets.read\"]}"),
        new Op("GET", "/keys/{id}", "/keys/" + id, null),
        new Op("DELETE", "/keys/{id}", "/keys/" + id, null),
        new Op("POST", "/keys/{id}/rotate", "/keys/" + id + "/rotate", null),
        new Op("POST", "/keys/{id}/revoke", "/keys/" + id + "/revoke", null));
  }

  /**
   * Checks an answer against the document: the status, that the document lists it for the route,
   * the body against the documented schema (or no body when none is documented), the documented
   * headers; and records the triple as exercised.
   *
   * @return the body as JSON (null when there is none)
   */
  private @Nullable JsonNode expect(ApiServer.Answer a, String method, String template, int status) throws IOException {
    String triple = OpenApiDocument.triple(method, template, status);
    assertThat(a.status()).as(triple + ": " + a.body()).isEqualTo(status);
    JsonNode response = doc.response(method, template, status);
    assertThat(response).as("documented: " + triple).isNotNull();
    exercised.add(triple);
    JsonNode content = response.path("content");
    JsonNode body = null;
    if (content.isMissingNode()) {
      assertThat(a.body()).as(triple + " has no documented body").isEmpty();
    } else {
      assertThat(a.header("Content-Type")).as(triple).hasValueSatisfying(v -> assertThat(v).startsWith(JSON_TYPE));
      assertThat(doc.validate(method, template, status, a.body())).as(triple + ": " + a.body()).isEmpty();
      body = JSON.readTree(a.body());
    }
    for (Map.Entry<String, JsonNode> h : response.path("headers").properties()) {
      JsonNode schema = doc.follow(h.getValue()).path("schema");
      String value = a.header(h.getKey()).orElse(null);
      assertThat(value).as(triple + " header " + h.getKey()).isNotNull();
      if (schema.has("const")) {
        assertThat(value).as(triple + " header " + h.getKey()).isEqualTo(schema.get("const").asText());
      }
      if (schema.path("type").asText().equals("integer")) {
        assertThat(value).as(triple + " header " + h.getKey()).matches("[0-9]+");
      }
    }
    return body;
  }

  private ApiServer.Answer get(String path, IssuedKey key) throws IOException, InterruptedException {
    return server.send("GET", BASE + path, key.plaintext(), null, null);
  }

  private ApiServer.Answer post(String path, IssuedKey key, @Nullable String body) throws IOException, InterruptedException {
    return server.send("POST", BASE + path, key.plaintext(), body == null ? null : JSON_TYPE, body);
  }

  private ApiServer.Answer delete(String path, IssuedKey key) throws IOException, InterruptedException {
    return server.send("DELETE", BASE + path, key.plaintext(), null, null);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.KeyFormat;
import dev.keygate.KeyQuery;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.PageCursor;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the management API does, whichever way it is mounted: each subclass starts a real server
 * with it, and every test here runs over real HTTP against it.
 */
abstract class ManagementApiContract {
  static final String ORG = "acme";
  static final byte[] PEPPER = "management-tests-pepper-32-bytes!".getBytes(StandardCharsets.UTF_8);

  final MutableClock clock = MutableClock.atEpochOfTests();
  final SwitchableStore store = new SwitchableStore(new InMemoryApiKeyStore());
  Keygate keygate;
  Server server;
  Http http;
  /** Full access (no scopes), of acme. */
  String full;
  /** keys.admin and datasets.read, of acme. */
  String limited;
  /** keys.admin and datasets.*, of acme. */
  String wild;
  /** datasets.read only, of acme: no management. */
  String reader;
  /** keys.admin, of no organization. */
  String ownerless;
  /** Full access, of globex. */
  String otherOrg;

  /** Starts a real server answering the API below {@code /api/v1}. */
  abstract Server start(KeyManagement management) throws Exception;

  KeyManagement management() {
    return KeyManagement.builder(keygate)
        .scope("datasets.read", "List and retrieve datasets.")
        .scope("datasets.write", "Create and delete datasets.")
        .scope("projects.read", "List projects.")
        .scope("keys.admin", "Manage the organization's keys.")
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    keygate = Keygate.builder().store(store).keyFormat(KeyFormat.withPrefix("kg_test"))
        .hasher(HmacSha256Hasher.withPepper(PEPPER, "t1")).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO).build();
    full = issue(NewKey.named("full").withOwner(ORG));
    limited = issue(NewKey.named("limited").withOwner(ORG).withScopes("keys.admin", "datasets.read"));
    wild = issue(NewKey.named("wild").withOwner(ORG).withScopes("keys.admin", "datasets.*"));
    reader = issue(NewKey.named("reader").withOwner(ORG).withScopes("datasets.read"));
    ownerless = issue(NewKey.named("ownerless").withScopes("keys.admin"));
    otherOrg = issue(NewKey.named("other").withOwner("globex"));
    server = start(management());
    http = new Http("http://127.0.0.1:" + Servers.port(server) + "/api/v1");
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    keygate.close();
  }

  String issue(NewKey key) {
    return keygate.keys().create(key).plaintext();
  }

  static String id(String plaintext) {
    return plaintext.substring("kg_test_".length(), "kg_test_".length() + 12);
  }

  AuthenticationResult authenticate(String key) {
    return keygate.engine().authenticate(AuthenticationRequest.from("198.51.100.7").apiKey(key).build());
  }

  @Test
  void aCreatedKeyIsShownOnceNotCachedAndWorks() {
    Http.Reply created = http.post("/keys", full, "{\"name\":\"ci_deploy\",\"scopes\":[\"datasets.read\"],"
        + "\"environment\":\"production\",\"expires_at\":\"2030-01-01T00:00:00Z\",\"allowed_ips\":[\"198.51.100.0/24\"],"
        + "\"rate_limit\":{\"requests\":600,\"period_seconds\":60}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).contains("no-store");
    JsonNode k = created.json();
    String plaintext = k.get("key").asText();
    assertThat(plaintext).startsWith("kg_test_" + k.get("id").asText());
    assertThat(created.header("Location")).hasValueSatisfying(location -> assertThat(location)
        .isEqualTo("http://127.0.0.1:" + Servers.port(server) + "/api/v1/keys/" + k.get("id").asText()));
    assertThat(k.get("hint").asText()).startsWith("kg_test_");
    assertThat(k.get("scopes").toString()).isEqualTo("[\"datasets.read\"]");
    assertThat(k.get("full_access").asBoolean()).isFalse();
    assertThat(k.get("environment").asText()).isEqualTo("production");
    assertThat(k.get("status").asText()).isEqualTo("active");
    assertThat(k.get("expires_at").asText()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(k.get("allowed_ips").toString()).isEqualTo("[\"198.51.100.0/24\"]");
    assertThat(k.get("rate_limit").toString()).isEqualTo("{\"requests\":600,\"period_seconds\":60}");
    assertThat(keygate.keys().get(k.get("id").asText()).orElseThrow().owner()).isEqualTo(ORG);
    assertThat(authenticate(plaintext)).isInstanceOf(AuthenticationResult.Authenticated.class);

    Http.Reply read = http.get("/keys/" + k.get("id").asText(), full);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().has("key")).as("the plaintext is shown once").isFalse();
    assertThat(read.body()).doesNotContain(plaintext.substring(20));
    assertThat(http.get("/keys", full).body()).doesNotContain(plaintext.substring(20));
  }

  @Test
  void aCallerCannotGrantWhatItDoesNotHold() {
    assertThat(http.post("/keys", limited, "{\"name\":\"r\",\"scopes\":[\"datasets.read\"]}").status()).isEqualTo(201);
    assertThat(http.post("/keys", limited, "{\"name\":\"r\",\"scopes\":[\"keys.admin\",\"datasets.read\"]}").status())
        .isEqualTo(201);
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("{\"name\":\"w\",\"scopes\":[\"datasets.write\"]}", "[\"datasets.write\"]");
    refused.put("{\"name\":\"w\",\"scopes\":[\"datasets.read\",\"datasets.write\",\"projects.read\"]}",
        "[\"datasets.write\",\"projects.read\"]");
    refused.put("{\"name\":\"w\",\"scopes\":[\"datasets.*\"]}", "[\"datasets.*\"]");
    refused.put("{\"name\":\"w\",\"scopes\":[\"*\"]}", "[\"*\"]");
    refused.put("{\"name\":\"w\",\"scopes\":[]}", "[\"*\"]");
    refused.put("{\"name\":\"w\"}", "[\"*\"]");
    for (Map.Entry<String, String> c : refused.entrySet()) {
      Http.Reply r = http.post("/keys", limited, c.getKey());
      assertThat(r.status()).as(c.getKey()).isEqualTo(403);
      assertThat(r.json().get("ungranted_scopes").toString()).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(r.detail()).as(c.getKey()).startsWith("You cannot grant");
    }
    assertThat(http.post("/keys", limited, "{\"name\":\"w\",\"scopes\":[\"datasets.write\"]}").detail())
        .isEqualTo("You cannot grant scopes you do not hold: datasets.write");
    // a wildcard grants what it covers, itself included, and nothing beside it
    assertThat(http.post("/keys", wild, "{\"name\":\"w\",\"scopes\":[\"datasets.write\"]}").status()).isEqualTo(201);
    assertThat(http.post("/keys", wild, "{\"name\":\"w\",\"scopes\":[\"datasets.*\"]}").status()).isEqualTo(201);
    assertThat(http.post("/keys", wild, "{\"name\":\"w\",\"scopes\":[\"projects.read\"]}").status()).isEqualTo(403);
    // only full access grants full access
    Http.Reply all = http.post("/keys", full, "{\"name\":\"all\"}");
    assertThat(all.status()).isEqualTo(201);
    assertThat(all.json().get("full_access").asBoolean()).isTrue();
    Http.Reply star = http.post("/keys", full, "{\"name\":\"star\",\"scopes\":[\"*\"]}");
    assertThat(star.json().get("full_access").asBoolean()).as("every scope, but not the no-scope key").isFalse();
    assertThat(store.list(KeyQuery.all(clock.instant()).withOwner(ORG).withLimit(100)).items())
        .as("nothing refused was created: the set-up's four of acme and six").hasSize(4 + 6);
  }

  @Test
  void aKeyTheCallerCouldNotCreateCannotBeRegeneratedByItButCanBeRevoked() {
    String writer = http.post("/keys", full, "{\"name\":\"writer\",\"scopes\":[\"datasets.write\"]}").json().get("id").asText();
    Http.Reply rotate = http.post("/keys/" + writer + "/rotate", limited, null);
    assertThat(rotate.status()).isEqualTo(403);
    assertThat(rotate.json().get("ungranted_scopes").toString()).isEqualTo("[\"datasets.write\"]");
    assertThat(rotate.body()).doesNotContain("kg_test_");
    assertThat(http.post("/keys/" + id(full) + "/rotate", limited, null).json().get("ungranted_scopes").toString())
        .as("a full-access key is regenerated only by full access").isEqualTo("[\"*\"]");
    assertThat(http.post("/keys/" + writer + "/revoke", limited, null).status()).isEqualTo(200);
  }

  @Test
  void anotherOrganizationsKeysAreAbsent() {
    String theirs = id(otherOrg);
    for (Http.Reply r : List.of(http.get("/keys/" + theirs, full), http.post("/keys/" + theirs + "/rotate", full, null),
        http.post("/keys/" + theirs + "/revoke", full, null), http.delete("/keys/" + theirs, full))) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.detail()).isEqualTo("API key not found.");
    }
    assertThat(http.get("/keys", full).body()).doesNotContain(theirs);
    assertThat(authenticate(otherOrg)).as("still active").isInstanceOf(AuthenticationResult.Authenticated.class);
    assertThat(http.get("/keys", otherOrg).json().get("items")).hasSize(1);
    assertThat(http.get("/keys/" + id(full), otherOrg).status()).isEqualTo(404);
  }

  @Test
  void onlyAnOrganizationsKeyHoldingTheAdminScopeMayManage() {
    for (String path : List.of("/session", "/scopes", "/environments", "/keys", "/keys/" + id(full))) {
      Http.Reply none = http.get(path, null);
      assertThat(none.status()).as(path).isEqualTo(401);
      assertThat(none.detail()).isEqualTo("Authentication credentials were not provided.");
      assertThat(none.header("WWW-Authenticate")).isPresent();
      Http.Reply wrong = http.get(path, "kg_test_" + "A".repeat(50));
      assertThat(wrong.status()).as(path).isEqualTo(401);
      assertThat(wrong.detail()).isEqualTo("Invalid API key.");
      Http.Reply notAdmin = http.get(path, reader);
      assertThat(notAdmin.status()).as(path).isEqualTo(403);
      assertThat(notAdmin.json().get("required_scopes").toString()).isEqualTo("[\"keys.admin\"]");
      Http.Reply noOrg = http.get(path, ownerless);
      assertThat(noOrg.status()).as(path).isEqualTo(403);
      assertThat(noOrg.detail()).isEqualTo("This credential belongs to no organization.");
    }
    assertThat(http.post("/keys", reader, "{\"name\":\"x\",\"scopes\":[\"datasets.read\"]}").status()).isEqualTo(403);
    assertThat(http.post("/keys/" + id(limited) + "/revoke", full, null).status()).isEqualTo(200);
    Http.Reply revoked = http.get("/keys", limited);
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.detail()).isEqualTo("API key has been revoked.");
  }

  @Test
  void theSessionTheCatalogueAndTheEnvironmentsAreTheCallers() {
    JsonNode session = http.get("/session", limited).json();
    assertThat(session.get("organization").asText()).isEqualTo(ORG);
    assertThat(session.get("subject").asText()).isEqualTo(id(limited));
    assertThat(session.get("full_access").asBoolean()).isFalse();
    assertThat(session.get("scopes").toString()).isEqualTo("[\"datasets.read\",\"keys.admin\"]");
    JsonNode scopes = http.get("/scopes", limited).json();
    assertThat(scopes.get("full_access_grantable").asBoolean()).isFalse();
    List<String> grantable = new ArrayList<>();
    scopes.get("scopes").forEach(s -> {
      assertThat(s.get("description").asText()).isNotBlank();
      if (s.get("grantable").asBoolean()) {
        grantable.add(s.get("name").asText());
      }
    });
    assertThat(grantable).containsExactly("datasets.read", "keys.admin");
    assertThat(http.get("/scopes", full).json().get("full_access_grantable").asBoolean()).isTrue();
    assertThat(http.get("/environments", full).json().get("environments").toString())
        .isEqualTo("[\"development\",\"staging\",\"production\"]");
  }

  @Test
  void regenerateRevokeAndDeleteFollowTheLifecycle() {
    JsonNode k = http.post("/keys", full, "{\"name\":\"rolling\",\"scopes\":[\"datasets.read\"]}").json();
    String id = k.get("id").asText();
    String first = k.get("key").asText();
    Http.Reply rotated = http.post("/keys/" + id + "/rotate", full, "{\"grace_period_seconds\":3600}");
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.header("Cache-Control")).contains("no-store");
    String second = rotated.json().get("key").asText();
    assertThat(second).startsWith("kg_test_" + id).isNotEqualTo(first);
    assertThat(authenticate(first)).as("within the grace period").isInstanceOf(AuthenticationResult.Authenticated.class);
    assertThat(authenticate(second)).isInstanceOf(AuthenticationResult.Authenticated.class);
    String third = http.post("/keys/" + id + "/rotate", full, null).json().get("key").asText();
    assertThat(authenticate(second)).as("no grace asked: at once").isInstanceOf(AuthenticationResult.Refused.class);
    assertThat(http.delete("/keys/" + id, full).status()).as("active").isEqualTo(409);
    Http.Reply revoked = http.post("/keys/" + id + "/revoke", full, null);
    assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
    assertThat(revoked.json().has("revoked_at")).isTrue();
    assertThat(authenticate(third)).isInstanceOfSatisfying(AuthenticationResult.Refused.class,
        r -> assertThat(r.detail()).isEqualTo("API key has been revoked."));
    assertThat(http.post("/keys/" + id + "/rotate", full, null).status()).as("revoked").isEqualTo(409);
    assertThat(http.delete("/keys/" + id, full).status()).isEqualTo(204);
    assertThat(http.get("/keys/" + id, full).status()).isEqualTo(404);
  }

  @Test
  void theListFiltersByStatusAndEnvironmentAndPages() {
    for (int i = 0; i < 5; i++) {
      http.post("/keys", full, "{\"name\":\"s" + i + "\",\"environment\":\"staging\",\"scopes\":[\"projects.read\"]}");
    }
    String revokedId = http.post("/keys", full, "{\"name\":\"gone\",\"scopes\":[\"projects.read\"]}").json().get("id").asText();
    http.post("/keys/" + revokedId + "/revoke", full, null);
    http.post("/keys", full, "{\"name\":\"soon\",\"scopes\":[\"projects.read\"],\"expires_at\":\""
        + clock.instant().plus(Duration.ofHours(1)) + "\"}");
    clock.advance(Duration.ofHours(2));
    int all = 4 + 5 + 1 + 1; // the set-up's four of acme, five staging, revoked, expired
    JsonNode list = http.get("/keys", full).json();
    assertThat(list.get("total").asInt()).isEqualTo(all);
    assertThat(list.get("items")).hasSize(all);
    assertThat(list.get("has_more").asBoolean()).isFalse();
    assertThat(http.get("/keys?status=revoked", full).json().get("items")).singleElement()
        .satisfies(k -> assertThat(k.get("id").asText()).isEqualTo(revokedId));
    assertThat(http.get("/keys?status=expired", full).json().get("items")).singleElement()
        .satisfies(k -> assertThat(k.get("name").asText()).isEqualTo("soon"));
    assertThat(http.get("/keys?status=active", full).json().get("total").asInt()).isEqualTo(all - 2);
    assertThat(http.get("/keys?environment=staging", full).json().get("total").asInt()).isEqualTo(5);
    assertThat(list.has("next_cursor")).as("the only page").isFalse();
    List<String> walked = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String query = "/keys?status=active&limit=4";
    JsonNode page;
    do {
      page = http.get(query, full).json();
      page.get("items").forEach(k -> walked.add(k.get("id").asText()));
      sizes.add(page.get("items").size());
      assertThat(page.get("total").asInt()).isEqualTo(all - 2);
      assertThat(page.has("next_cursor")).isEqualTo(page.get("has_more").asBoolean());
      if (page.has("next_cursor")) {
        assertThat(page.get("next_cursor").asText()).matches("[A-Za-z0-9_-]+");
        query = "/keys?status=active&limit=4&cursor=" + page.get("next_cursor").asText();
      }
    } while (page.get("has_more").asBoolean());
    assertThat(sizes).containsExactly(4, 4, 1);
    assertThat(walked).doesNotHaveDuplicates().hasSize(all - 2);
    List<String> inOrder = new ArrayList<>();
    http.get("/keys?status=active", full).json().get("items").forEach(k -> inOrder.add(k.get("id").asText()));
    assertThat(walked).containsExactlyElementsOf(inOrder);
  }

  @Test
  void aPageReadOnWithItsCursorIsNotShiftedByKeysCreatedOrDeletedMeanwhile() {
    List<String> before = new ArrayList<>();
    JsonNode first = http.get("/keys?limit=2", full).json();
    first.get("items").forEach(k -> before.add(k.get("id").asText()));
    JsonNode rest = http.get("/keys?limit=200&cursor=" + first.get("next_cursor").asText(), full).json();
    List<String> expected = new ArrayList<>();
    rest.get("items").forEach(k -> expected.add(k.get("id").asText()));
    assertThat(expected).isNotEmpty().doesNotContainAnyElementsOf(before);
    // the key the cursor names, or the one before it when that is the caller's own
    String gone = before.get(1).equals(id(full)) ? before.get(0) : before.get(1);
    assertThat(http.post("/keys/" + gone + "/revoke", full, null).status()).isEqualTo(200);
    assertThat(http.delete("/keys/" + gone, full).status()).isEqualTo(204);
    JsonNode again = http.get("/keys?limit=200&cursor=" + first.get("next_cursor").asText(), full).json();
    List<String> seen = new ArrayList<>();
    again.get("items").forEach(k -> seen.add(k.get("id").asText()));
    assertThat(seen).as("a key of the first page is gone").containsExactlyElementsOf(expected);
  }

  @Test
  void badInputIsA400NamingTheField() {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("{}", "name: is required");
    refused.put("{\"name\":null}", "name: is required");
    refused.put("{\"name\":7}", "name: must be a string");
    refused.put("{\"name\":\"   \"}", "name:");
    refused.put("{\"name\":\"" + "n".repeat(201) + "\"}", "name:");
    refused.put("{\"name\":\"x\",\"owner\":\"globex\"}", "owner: unknown field");
    refused.put("{\"name\":\"x\",\"scopes\":\"datasets.read\"}", "scopes: must be a list of strings");
    refused.put("{\"name\":\"x\",\"scopes\":[null]}", "scopes: must not contain null");
    refused.put("{\"name\":\"x\",\"scopes\":[[\"a\"]]}", "scopes[0]: must be a string");
    refused.put("{\"name\":\"x\",\"scopes\":[\"no such scope!\"]}", "scopes: each must be a scope");
    refused.put("{\"name\":\"x\",\"scopes\":[\"tasks.read\"]}", "scopes: not in the scope catalogue: tasks.read");
    refused.put("{\"name\":\"x\",\"scopes\":[" + "\"datasets.read\",".repeat(101) + "\"x\"]}", "scopes: at most 100");
    refused.put("{\"name\":\"x\",\"environment\":\" production\"}", "environment:");
    refused.put("{\"name\":\"x\",\"environment\":[]}", "environment: must be a string");
    refused.put("{\"name\":\"x\",\"expires_at\":\"tomorrow\"}", "expires_at: must be an ISO-8601 instant");
    refused.put("{\"name\":\"x\",\"expires_at\":\"1970-01-01T00:00:00Z\"}", "expires_at:");
    refused.put("{\"name\":\"x\",\"expires_at\":\"+1000000000-01-01T00:00:00Z\"}", "expires_at:");
    refused.put("{\"name\":\"x\",\"expires_at\":99999999999999999999}", "expires_at: must be a string");
    refused.put("{\"name\":\"x\",\"allowed_ips\":[\"300.1.1.1\"]}", "allowed_ips:");
    refused.put("{\"name\":\"x\",\"allowed_ips\":[\"10.0.0.0/33\"]}", "allowed_ips:");
    refused.put("{\"name\":\"x\",\"rate_limit\":600}", "rate_limit:");
    refused.put("{\"name\":\"x\",\"rate_limit\":{\"requests\":0,\"period_seconds\":60}}", "rate_limit:");
    refused.put("{\"name\":\"x\",\"rate_limit\":{\"requests\":2147483648,\"period_seconds\":60}}", "rate_limit:");
    refused.put("{\"name\":\"x\",\"rate_limit\":{\"requests\":1,\"period_seconds\":86401}}", "rate_limit:");
    refused.put("{\"name\":\"x\",\"rate_limit\":{\"requests\":1,\"period_seconds\":9223372036854775807}}", "rate_limit:");
    refused.put("{\"name\":\"x\",\"rate_limit\":{\"requests\":1}}", "rate_limit:");
    refused.put("{\"name\":\"a\",\"name\":\"b\"}", "The body is not valid JSON.");
    refused.put("{\"name\":\"a\"} {}", "The body is not valid JSON.");
    refused.put("{\"name\":", "The body is not valid JSON.");
    refused.put("[" .repeat(5000), "The body is not valid JSON.");
    refused.put("[]", "The body must be a JSON object.");
    refused.put("   ", "A JSON body is required.");
    for (Map.Entry<String, String> c : refused.entrySet()) {
      Http.Reply r = http.post("/keys", full, c.getKey());
      String as = c.getKey().length() > 100 ? c.getKey().substring(0, 100) : c.getKey();
      assertThat(r.status()).as(as).isEqualTo(400);
      assertThat(r.detail()).as(as).startsWith(c.getValue());
    }
    for (String grace : List.of("-1", "2592001", "1.5", "\"60\"", "9223372036854775808")) {
      Http.Reply r = http.post("/keys/" + id(reader) + "/rotate", full, "{\"grace_period_seconds\":" + grace + "}");
      assertThat(r.status()).as(grace).isEqualTo(400);
      assertThat(r.detail()).startsWith("grace_period_seconds:");
    }
    assertThat(http.post("/keys/" + id(reader) + "/rotate", full, "{\"grace\":1}").detail()).isEqualTo("grace: unknown field");
    assertThat(http.post("/keys/" + id(reader) + "/revoke", full, "{\"when\":\"now\"}").detail()).isEqualTo("when: unknown field");
    assertThat(authenticate(reader)).as("not revoked").isInstanceOf(AuthenticationResult.Authenticated.class);
    assertThat(http.post("/keys", full, null).detail()).isEqualTo("A JSON body is required.");
    Http.Reply big = http.post("/keys", full, "{\"name\":\"" + "x".repeat(Bodies.MAX_BYTES) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.detail()).isEqualTo("Request body too large: at most 65536 bytes.");
    Http.Reply huge = http.post("/keys", full, "{\"name\":\"" + "x".repeat(Bodies.DRAINED_BYTES) + "\"}");
    assertThat(huge.status()).as("a body the size of the drained bytes: the 413 is read, not a reset").isEqualTo(413);
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
        "application/jsonx")) {
      Http.Reply r = http.send("POST", "/keys", full, "{\"name\":\"x\"}", type);
      assertThat(r.status()).as(type).isEqualTo(415);
      assertThat(r.detail()).isEqualTo("Content-Type: must be application/json.");
    }
    Http.Reply malformed = http.send("POST", "/keys", full, "{\"name\":\"x\"}", "application/json; charset");
    assertThat(malformed.status()).as("a malformed type: JAX-RS refuses it before the API sees it").isIn(400, 415);
    assertThat(http.send("POST", "/keys", full, "{\"name\":\"x\"}", "application/json; charset=UTF-8").status()).isEqualTo(201);
    assertThat(http.send("POST", "/keys", full, "{\"name\":\"x\"}", null).status()).as("a body without a type").isEqualTo(415);
  }

  @Test
  void badQueriesAre400AndUnknownPathsAndIds404() {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("limit=0", "limit:");
    refused.put("limit=201", "limit:");
    refused.put("limit=abc", "limit:");
    refused.put("limit=99999999999", "limit:");
    refused.put("offset=0", "offset: not supported; pass cursor (the next_cursor of the previous page)");
    refused.put("offset=20&limit=10", "offset: not supported");
    refused.put("cursor=", "cursor: not a cursor that a listing returned");
    refused.put("cursor=not-a-cursor", "cursor: not a cursor that a listing returned");
    refused.put("cursor=AAAA%2B", "cursor: not a cursor that a listing returned");
    refused.put("cursor=" + "A".repeat(5000), "cursor: too long for a cursor (5000 characters, at most 1038)");
    refused.put("cursor=a&cursor=b", "cursor: give it once");
    assertThat(http.get("/keys?cursor=TamperedCursorText0123", full).detail()).as("the text is not repeated")
        .doesNotContain("TamperedCursorText0123");
    refused.put("status=gone", "status: must be active, revoked or expired");
    refused.put("status=ACTIVE", "status:");
    refused.put("limit=1&limit=2", "limit: give it once");
    refused.put("owner=globex", "Unknown query parameter");
    for (Map.Entry<String, String> c : refused.entrySet()) {
      Http.Reply r = http.get("/keys?" + c.getKey(), full);
      assertThat(r.status()).as(c.getKey()).isEqualTo(400);
      assertThat(r.detail()).as(c.getKey()).startsWith(c.getValue());
    }
    for (String path : List.of("/keys/short", "/keys/" + "A".repeat(13), "/keys/" + id(full) + "/enable",
        "/keys/" + id(full) + "/rotate/now", "/keys/", "/keys/" + "A".repeat(12))) {
      Http.Reply r = http.get(path, full);
      assertThat(r.status()).as(path).isIn(404, 405);
      assertThat(r.header("Content-Type").orElse("")).as(path).startsWith("application/json");
    }
    assertThat(http.get("/keys/" + "A".repeat(12), full).detail()).isEqualTo("API key not found.");
  }

  @Test
  void aMethodARouteDoesNotTakeIs405NamingTheOnesItDoes() {
    Map<String, String> allowed = new LinkedHashMap<>();
    allowed.put("PUT /keys", "GET, POST");
    allowed.put("DELETE /keys", "GET, POST");
    allowed.put("PATCH /keys/" + id(reader), "GET, DELETE");
    allowed.put("POST /keys/" + id(reader), "GET, DELETE");
    allowed.put("GET /keys/" + id(reader) + "/rotate", "POST");
    allowed.put("DELETE /keys/" + id(reader) + "/revoke", "POST");
    allowed.put("POST /session", "GET");
    allowed.put("DELETE /scopes", "GET");
    allowed.put("PUT /environments", "GET");
    allowed.put("POST /openapi.json", "GET");
    for (Map.Entry<String, String> c : allowed.entrySet()) {
      String[] call = c.getKey().split(" ");
      Http.Reply r = http.send(call[0], call[1], full, null, null);
      assertThat(r.status()).as(c.getKey()).isEqualTo(405);
      assertThat(r.header("Allow")).as(c.getKey()).contains(c.getValue());
      assertThat(r.detail()).isEqualTo("Method Not Allowed.");
    }
  }

  @Test
  void everyAnswerIsJsonAndNeverCached() {
    List<Http.Reply> replies = List.of(http.get("/session", full), http.get("/keys", full), http.get("/keys", null),
        http.post("/keys", full, "{}"), http.get("/keys/" + id(otherOrg), full), http.get("/keys", reader),
        http.post("/keys", full, "{\"name\":\"n\"}"));
    for (Http.Reply r : replies) {
      assertThat(r.header("Content-Type").orElse("")).as(r.status() + " " + r.body()).startsWith("application/json");
      assertThat(r.header("Cache-Control")).as(r.status() + " " + r.body()).contains("no-store");
      assertThat(r.header("X-Content-Type-Options")).contains("nosniff");
    }
  }

  @Test
  void aStoreOutageIs503WithRetryAfterForAKeyVerifiedBefore() {
    assertThat(http.get("/session", full).status()).isEqualTo(200); // verified and cached
    store.down(true);
    Http.Reply r = http.get("/keys", full);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).contains("1");
    assertThat(r.detail()).isEqualTo("Service temporarily unavailable.");
    assertThat(r.body()).doesNotContain("test store is down");
  }

  @Test
  void aBearerTokenNobodyChecksAndAKeyFromOutsideItsAllowlistAreRefused() {
    Http.Reply bearer = http.send("GET", "/keys", null, null, null, "Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.");
    assertThat(bearer.status()).isEqualTo(401);
    assertThat(bearer.detail()).isEqualTo("Invalid bearer token.");
    String fenced = issue(NewKey.named("fenced").withOwner(ORG).withAllowedIps(List.of("203.0.113.0/24")));
    Http.Reply outside = http.get("/session", fenced);
    assertThat(outside.status()).as("the peer is 127.0.0.1").isEqualTo(403);
    assertThat(outside.detail()).isEqualTo("IP address not allowed.");
    String local = issue(NewKey.named("local").withOwner(ORG).withAllowedIps(List.of("127.0.0.1")));
    assertThat(http.get("/session", local).status()).isEqualTo(200);
  }

  @Test
  void aKeysUsageIsShownAsSoonAsItIsListedOrRead() {
    for (int i = 0; i < 3; i++) {
      assertThat(authenticate(reader)).isInstanceOf(AuthenticationResult.Authenticated.class);
    }
    JsonNode one = http.get("/keys/" + id(reader), full).json();
    assertThat(one.get("usage_count").asLong()).isEqualTo(3);
    assertThat(one.get("last_used_at").asText()).isEqualTo(clock.instant().toString());
    authenticate(reader);
    JsonNode listed = http.get("/keys?status=active", full).json();
    JsonNode mine = null;
    for (JsonNode k : listed.get("items")) {
      if (k.get("id").asText().equals(id(reader))) {
        mine = k;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.get("usage_count").asLong()).isEqualTo(4);
  }

  @Test
  void routesThatDoNotExistAre404NotAnotherAnswer() {
    for (String path : List.of("/keys/short", "/keys/" + id(reader) + "/enable", "/keys/" + id(reader) + "/rotate/now",
        "/keys/" + id(reader) + "x", "/keys/" + id(reader).substring(1) + "!")) {
      Http.Reply r = http.get(path, full);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.detail()).as(path).isEqualTo("Not found.");
      assertThat(http.post(path, full, null).status()).as("POST " + path).isEqualTo(404);
    }
  }

  @Test
  void edgesOfTheBodiesAreServedOrRefusedExactly() {
    // a wildcard that covers a catalogue scope is a scope of the catalogue; one that covers none is not
    assertThat(http.post("/keys", full, "{\"name\":\"w\",\"scopes\":[\"datasets.*\"]}").status()).isEqualTo(201);
    assertThat(http.post("/keys", full, "{\"name\":\"w\",\"scopes\":[\"orders.*\"]}").detail())
        .isEqualTo("scopes: not in the scope catalogue: orders.*");
    assertThat(http.post("/keys", full, "{\"name\":\"n\",\"scopes\":null,\"allowed_ips\":null,\"rate_limit\":null,"
        + "\"environment\":null,\"expires_at\":null}").json().get("full_access").asBoolean()).isTrue();
    JsonNode limit = http.post("/keys", full, "{\"name\":\"l\",\"rate_limit\":{\"requests\":1,\"period_seconds\":1}}").json();
    assertThat(limit.get("rate_limit").toString()).isEqualTo("{\"requests\":1,\"period_seconds\":1}");
    assertThat(limit.has("environment")).isFalse();
    assertThat(limit.has("expires_at")).isFalse();
    assertThat(limit.has("revoked_at")).isFalse();
    assertThat(limit.has("rotated_at")).isFalse();
    assertThat(limit.has("last_used_at")).isFalse();
    for (String bad : List.of("{\"requests\":\"1\",\"period_seconds\":60}", "{\"requests\":1,\"period_seconds\":1.5}",
        "{\"requests\":1,\"period_seconds\":60,\"x\":1}", "{\"requests\":1,\"period\":60}", "[1,60]")) {
      assertThat(http.post("/keys", full, "{\"name\":\"l\",\"rate_limit\":" + bad + "}").detail()).as(bad)
          .startsWith("rate_limit: must be");
    }
    for (String grace : List.of("0", "2592000", "null")) {
      assertThat(http.post("/keys/" + id(reader) + "/rotate", full, "{\"grace_period_seconds\":" + grace + "}").status())
          .as(grace).isEqualTo(200);
    }
    assertThat(http.post("/keys/" + id(reader) + "/rotate", full, "{}").status()).isEqualTo(200);
    assertThat(http.post("/keys", full, " \t\r\n ").detail()).isEqualTo("A JSON body is required.");
    // exactly the limit is read (and refused for its content), one byte more is not read at all
    String padded = "{\"name\":\"" + "x".repeat(Bodies.MAX_BYTES - 11) + "\"}";
    assertThat(padded).hasSize(Bodies.MAX_BYTES);
    assertThat(http.post("/keys", full, padded).detail()).startsWith("name:");
    assertThat(http.post("/keys", full, padded + " ").status()).isEqualTo(413);
    String longField = "f".repeat(65);
    assertThat(http.post("/keys", full, "{\"name\":\"x\",\"" + longField + "\":1}").detail())
        .isEqualTo("(a field): unknown field");
    assertThat(http.post("/keys", full, "{\"name\":\"x\",\"" + "f".repeat(64) + "\":1}").detail())
        .isEqualTo("f".repeat(64) + ": unknown field");
    assertThat(http.post("/keys", full, "{\"name\":\"x\",\"a b\":1}").detail()).isEqualTo("(a field): unknown field");
    assertThat(http.post("/keys", full, "{\"name\":\"x\",\"\u00e9\":1}").detail()).isEqualTo("(a field): unknown field");
    assertThat(http.post("/keys", full, "{\"name\":\"x\",\"~\":1}").detail()).isEqualTo("~: unknown field");
  }

  /** Red team: a leaked secret rotated away with a grace period must not mint or rotate keys meanwhile. */
  @Test
  void aPreviousSecretInItsGracePeriodCallsButCannotManage() {
    String newer = http.post("/keys/" + id(limited) + "/rotate", full, "{\"grace_period_seconds\":3600}").json()
        .get("key").asText();
    assertThat(authenticate(limited)).as("it still calls the API").isInstanceOf(AuthenticationResult.Authenticated.class);
    for (Http.Reply r : List.of(http.get("/session", limited), http.get("/keys", limited),
        http.post("/keys", limited, "{\"name\":\"x\",\"scopes\":[\"datasets.read\"]}"),
        http.post("/keys/" + id(limited) + "/rotate", limited, "{\"grace_period_seconds\":2592000}"))) {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.detail()).startsWith("This is the previous secret of a regenerated key");
    }
    assertThat(http.get("/session", newer).status()).isEqualTo(200);
    assertThat(http.get("/keys/" + id(limited), full).json().has("rotated_at")).isTrue();
  }

  @Test
  void onlyTheListTakesQueryParametersAndItsTotalIsRightPastTheEnd() {
    for (String path : List.of("/session?x=1", "/scopes?x=1", "/environments?x", "/keys/" + id(reader) + "?x=1")) {
      Http.Reply r = http.get(path, full);
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.detail()).as(path).startsWith("Unknown query parameter");
    }
    assertThat(http.post("/keys?x=1", full, "{\"name\":\"q\",\"scopes\":[\"datasets.read\"]}").status()).isEqualTo(400);
    assertThat(http.post("/keys/" + id(reader) + "/revoke?x=1", full, null).status()).isEqualTo(400);
    assertThat(authenticate(reader)).as("not revoked").isInstanceOf(AuthenticationResult.Authenticated.class);
    String end = new PageCursor(Instant.parse("9999-12-31T23:59:59Z"), "zzzzzzzzzzzz").encode();
    JsonNode past = http.get("/keys?cursor=" + end, full).json();
    assertThat(past.get("items")).isEmpty();
    assertThat(past.get("has_more").asBoolean()).isFalse();
    assertThat(past.has("next_cursor")).isFalse();
    assertThat(past.get("total").asInt()).isEqualTo(4);
    for (String odd : List.of("limit=%2B5", "limit=%D9%A5", "limit=05x", "cursor=%2B1")) {
      assertThat(http.get("/keys?" + odd, full).status()).as(odd).isEqualTo(400);
    }
    assertThat(http.get("/keys?limit=05", full).json().get("items")).hasSize(4);
    String slashed = "/keys/" + id(reader) + "/";
    assertThat(http.get(slashed, full).status()).isEqualTo(404);
    assertThat(http.delete(slashed, full).status()).isEqualTo(404);
    // an empty segment: the container refuses it (400) or the API does not know it (404)
    assertThat(http.delete("/keys/" + id(reader) + "//rotate", full).status()).isIn(400, 404);
    assertThat(authenticate(reader)).isInstanceOf(AuthenticationResult.Authenticated.class);
  }

  @Test
  void theDescriptionIsPublic() {
    Http.Reply r = http.get("/openapi.json", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("openapi").asText()).isEqualTo("3.1.0");
    assertThat(r.json().get("paths").has("/keys/{id}/rotate")).isTrue();
  }
}

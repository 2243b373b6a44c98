package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.KeyEvent;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.LeakOutcome;
import dev.keygate.LeakPolicy;
import dev.keygate.NewKey;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leak-report route ({@link LeakReports}), whichever way the API is mounted: reports signed by
 * a test key pair made here, sent over real HTTP to a real server.
 */
abstract class LeakReportsContract {
  static final String ROUTE = "/secret-scanning/github";
  static final String KEY_ID = "test-key-1";
  static final String URL = "https://github.com/octocat/hello/blob/0123abc/.env";
  static final byte[] PEPPER = "leak-report-tests-pepper-32-bytes".getBytes(StandardCharsets.UTF_8);
  static final KeyPair SIGNER = keyPair();
  static final KeyPair STRANGER = keyPair();

  final MutableClock clock = MutableClock.atEpochOfTests();
  final CountingHasher hasher = new CountingHasher(HmacSha256Hasher.withPepper(PEPPER, "t1"));
  final List<KeyEvent> events = new CopyOnWriteArrayList<>();
  final List<LeakOutcome> notified = new CopyOnWriteArrayList<>();
  Keygate keygate;
  Server server;
  Http http;
  IssuedKey victim;
  IssuedKey admin;

  /** Starts a real server answering {@code management} below {@code /api/v1}. */
  abstract Server start(KeyManagement management) throws Exception;

  /** Stops what {@link #start} started. */
  void stopServer() throws Exception {
    server.stop();
  }

  /** How this mount answers a path the API does not own (the application's answer, or 404). */
  void assertNotTheApis(Http.Reply r) {
    assertThat(r.status()).as(r.body()).isEqualTo(404);
  }

  @BeforeEach
  void startServer() throws Exception {
    keygate = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("kg_test"))
        .hasher(hasher).clock(clock).listeners(events::add).cacheExecutor(Runnable::run).build();
    victim = keygate.keys().create(NewKey.named("ci deploy").withOwner("acme"));
    admin = keygate.keys().create(NewKey.named("admin").withOwner("acme"));
    serve(reports(LeakReports.github(Map.of(KEY_ID, pem(SIGNER)))));
  }

  @AfterEach
  void stopAll() throws Exception {
    stopServer();
    keygate.close();
  }

  KeyManagement reports(LeakReports reports) {
    return KeyManagement.builder(keygate).leakReports(reports).build();
  }

  void serve(KeyManagement management) throws Exception {
    if (server != null) {
      stopServer();
    }
    server = start(management);
    http = new Http("http://127.0.0.1:" + Servers.port(server) + "/api/v1");
    events.clear();
  }

  // ---- signing, as GitHub does ----

  static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static String sign(KeyPair pair, String body) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(pair.getPrivate());
      s.update(body.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String report(String... tokens) {
    StringBuilder b = new StringBuilder("[");
    for (String t : tokens) {
      b.append(b.length() > 1 ? "," : "").append("{\"token\":\"").append(t)
          .append("\",\"type\":\"keygate_api_key\",\"url\":\"").append(URL).append("\",\"source\":\"content\"}");
    }
    return b.append(']').toString();
  }

  Http.Reply send(String body, KeyPair signer, String keyId) {
    return http.send("POST", ROUTE, null, body, "application/json",
        "Github-Public-Key-Identifier", keyId, "Github-Public-Key-Signature", sign(signer, body));
  }

  Http.Reply send(String body) {
    return send(body, SIGNER, KEY_ID);
  }

  static String sha256(String token) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  boolean works(IssuedKey key) {
    keygate.engine().invalidate(key.key().id());
    return keygate.engine().authenticate(AuthenticationRequest.from("198.51.100.7").apiKey(key.plaintext()).build())
        instanceof AuthenticationResult.Authenticated;
  }

  List<String> leakEvents() {
    return events.stream().filter(e -> e.type() == KeyEvent.Type.LEAK_REPORTED).map(KeyEvent::reason).toList();
  }

  /** A refusal: the status, a JSON detail, and nothing checked or changed. */
  void refusedWithoutEffect(Http.Reply r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.detail()).isNotBlank();
    assertThat(hasher.verifications()).isZero();
    assertThat(leakEvents()).isEmpty();
    assertThat(keygate.keys().get(victim.key().id()).orElseThrow()).isEqualTo(victim.key());
  }

  // ---- the tests ----

  @Test
  void aSignedReportOfARealKeyRevokesItAndARepeatIsAnsweredAgainWithoutHarm() throws Exception {
    clock.advance(Duration.ofMinutes(3));
    Http.Reply r = send(report(victim.plaintext()));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).contains("no-store");
    assertThat(r.json().toString()).isEqualTo("[{\"token_hash\":\"" + sha256(victim.plaintext())
        + "\",\"token_type\":\"keygate_api_key\",\"label\":\"true_positive\"}]");
    assertThat(r.body()).doesNotContain(victim.plaintext());
    assertThat(works(victim)).isFalse();
    assertThat(keygate.keys().get(victim.key().id()).orElseThrow().revokedAt()).isEqualTo(clock.instant());
    assertThat(leakEvents()).containsExactly("revoked");
    assertThat(events).filteredOn(e -> e.type() == KeyEvent.Type.LEAK_REPORTED).singleElement().satisfies(e -> {
      assertThat(e.keyId()).isEqualTo(victim.key().id());
      assertThat(e.details()).containsEntry("url", URL).containsEntry("source", "content");
    });
    assertThat(events.toString()).doesNotContain(victim.plaintext().substring(20));

    JsonNode shown = http.get("/keys/" + victim.key().id(), admin.plaintext()).json();
    assertThat(shown.get("status").asText()).isEqualTo("revoked");
    assertThat(shown.get("revoked_reason").asText()).isEqualTo("leaked");
    assertThat(shown.get("compromised").asBoolean()).isFalse();
    assertThat(shown.get("leak").get("url").asText()).isEqualTo(URL);
    assertThat(shown.get("leak").get("action").asText()).isEqualTo("revoked");

    clock.advance(Duration.ofMinutes(3));
    int hashes = hasher.verifications();
    Http.Reply again = send(report(victim.plaintext()));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get(0).get("label").asText()).isEqualTo("true_positive");
    assertThat(keygate.keys().get(victim.key().id()).orElseThrow().revokedAt()).isEqualTo(clock.instant().minus(Duration.ofMinutes(3)));
    assertThat(hasher.verifications()).as("a repeat is known by its SHA-256").isEqualTo(hashes);
    assertThat(works(admin)).isTrue();
  }

  @Test
  void underTheMarkPolicyTheKeyKeepsWorkingIsShownCompromisedAndItsOwnerIsToldOnce() throws Exception {
    serve(reports(LeakReports.github(Map.of(KEY_ID, pem(SIGNER))).policy(LeakPolicy.MARK).onLeak(notified::add)));
    Http.Reply r = send(report(victim.plaintext(), victim.plaintext()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).hasSize(2).allSatisfy(e -> assertThat(e.get("label").asText()).isEqualTo("true_positive"));
    assertThat(works(victim)).isTrue();
    assertThat(notified).singleElement().satisfies(o -> {
      assertThat(o.verdict()).isEqualTo(LeakOutcome.Verdict.MARKED);
      assertThat(o.key().owner()).isEqualTo("acme");
      assertThat(o.key().name()).isEqualTo("ci deploy");
    });
    JsonNode shown = http.get("/keys/" + victim.key().id(), admin.plaintext()).json();
    assertThat(shown.get("status").asText()).isEqualTo("active");
    assertThat(shown.get("compromised").asBoolean()).isTrue();
    assertThat(shown.has("revoked_reason")).isFalse();
    assertThat(shown.get("leak").get("action").asText()).isEqualTo("marked");
    assertThat(send(report(victim.plaintext())).json().get(0).get("label").asText()).isEqualTo("true_positive");
    assertThat(notified).hasSize(1);
    assertThat(leakEvents()).containsExactly("marked", "already_marked");
  }

  @Test
  void aListenerThatThrowsChangesNoAnswer() throws Exception {
    serve(reports(LeakReports.github(Map.of(KEY_ID, pem(SIGNER))).onLeak(o -> {
      throw new IllegalStateException("mail server down");
    })));
    Http.Reply r = send(report(victim.plaintext()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(works(victim)).isFalse();
  }

  @Test
  void aBadOrMissingSignatureIs401AndChangesNothing() {
    String body = report(victim.plaintext());
    String tampered = body.replace("content", "commit");
    refusedWithoutEffect(http.send("POST", ROUTE, null, tampered, "application/json",
        "Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", sign(SIGNER, body)), 401);
    refusedWithoutEffect(http.send("POST", ROUTE, null, body, "application/json",
        "Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", "not base64!"), 401);
    refusedWithoutEffect(http.send("POST", ROUTE, null, body, "application/json",
        "Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", "AAAA"), 401);
    refusedWithoutEffect(http.send("POST", ROUTE, null, body, "application/json",
        "Github-Public-Key-Identifier", KEY_ID), 401);
    refusedWithoutEffect(http.send("POST", ROUTE, null, body, "application/json",
        "Github-Public-Key-Signature", sign(SIGNER, body)), 401);
    refusedWithoutEffect(http.post(ROUTE, admin.plaintext(), body), 401);
    refusedWithoutEffect(http.send("POST", ROUTE, null, body, "application/json", "Github-Public-Key-Identifier", KEY_ID,
        "Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", sign(SIGNER, body)), 401);
    assertThat(works(victim)).isTrue();
  }

  @Test
  void anUnknownKeyIdentifierIs401() {
    Http.Reply r = send(report(victim.plaintext()), SIGNER, "test-key-2");
    refusedWithoutEffect(r, 401);
    assertThat(r.detail()).isEqualTo("Unknown Github-Public-Key-Identifier.");
  }

  @Test
  void aBodySignedByAnotherKeyIs401() {
    Http.Reply r = send(report(victim.plaintext()), STRANGER, KEY_ID);
    refusedWithoutEffect(r, 401);
    assertThat(r.detail()).isEqualTo("The signature does not match the report.");
    assertThat(works(victim)).isTrue();
  }

  @Test
  void aTokenOfAnUnknownIdIsAFalsePositiveWithoutHashing() throws Exception {
    String unknown = keygate.engine().format().generate().plaintext();
    String garbage = "kg_test_" + "A".repeat(50);
    Http.Reply r = send(report(unknown, garbage));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get(0).get("token_hash").asText()).isEqualTo(sha256(unknown));
    assertThat(r.json()).extracting(e -> e.get("label").asText()).containsExactly("false_positive", "false_positive");
    assertThat(hasher.verifications()).isZero();
    assertThat(leakEvents()).containsExactly("unknown_key", "not_a_key");
  }

  @Test
  void aFabricatedTokenCarryingARealIdIsAFalsePositiveAndTheKeyStaysActive() {
    String fake = keygate.engine().format().generate(victim.key().id()).plaintext();
    Http.Reply r = send(report(fake));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get(0).get("label").asText()).isEqualTo("false_positive");
    assertThat(hasher.verifications()).isEqualTo(1);
    assertThat(works(victim)).isTrue();
    assertThat(keygate.keys().get(victim.key().id()).orElseThrow()).isEqualTo(victim.key());
    assertThat(leakEvents()).containsExactly("wrong_secret");
  }

  @Test
  void malformedReportsAre400AndChangeNothing() {
    String token = victim.plaintext();
    Map<String, String> bodies = new java.util.LinkedHashMap<>();
    bodies.put("not JSON", "[{\"token\":");
    bodies.put("an object", "{\"token\":\"" + token + "\",\"type\":\"t\"}");
    bodies.put("a list of strings", "[\"" + token + "\"]");
    bodies.put("no token", "[{\"type\":\"t\",\"url\":\"u\"}]");
    bodies.put("no type", "[{\"token\":\"" + token + "\"}]");
    bodies.put("a token that is a number", "[{\"token\":5,\"type\":\"t\"}]");
    bodies.put("a url that is a list", "[{\"token\":\"" + token + "\",\"type\":\"t\",\"url\":[]}]");
    bodies.put("a field twice", "[{\"token\":\"" + token + "\",\"token\":\"x\",\"type\":\"t\"}]");
    bodies.put("two values", "[] []");
    bodies.put("nothing", "");
    bodies.forEach((what, body) -> {
      Http.Reply r = send(body);
      refusedWithoutEffect(r, 400);
    });
    assertThat(send("[{\"token\":5,\"type\":\"t\"}]").detail()).isEqualTo("[0].token: must be a string");
    assertThat(send("[{\"type\":\"t\"}]").detail()).isEqualTo("[0].token: is required");
  }

  @Test
  void anEmptyReportOrOneWithoutUrlAndSourceIsAnswered() {
    assertThat(send("[]").json()).isEmpty();
    Http.Reply r = send("[{\"token\":\"" + victim.plaintext() + "\",\"type\":\"t\",\"url\":null,\"extra\":1}]");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get(0).get("label").asText()).isEqualTo("true_positive");
    assertThat(events).filteredOn(e -> e.type() == KeyEvent.Type.LEAK_REPORTED).singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("url", "").containsEntry("source", ""));
  }

  @Test
  void tooManyTokensAre400() {
    String[] tokens = new String[1001];
    java.util.Arrays.fill(tokens, victim.plaintext());
    Http.Reply r = send(report(tokens));
    refusedWithoutEffect(r, 400);
    assertThat(r.detail()).isEqualTo("A report holds at most 1000 tokens.");
    tokens = java.util.Arrays.copyOf(tokens, 1000);
    assertThat(send(report(tokens)).json()).hasSize(1000);
  }

  @Test
  void anOversizedBodyIs413AndAnUntypedOne415() {
    String big = "[{\"token\":\"" + "x".repeat(LeakReports.MAX_BYTES) + "\",\"type\":\"t\"}]";
    refusedWithoutEffect(send(big), 413);
    String body = report(victim.plaintext());
    refusedWithoutEffect(http.send("POST", ROUTE, null, body, "text/plain",
        "Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", sign(SIGNER, body)), 415);
  }

  @Test
  void theHashingBudgetBoundsAReport() throws Exception {
    IssuedKey second = keygate.keys().create(NewKey.named("second").withOwner("acme"));
    serve(reports(LeakReports.github(Map.of(KEY_ID, pem(SIGNER))).maxHashes(1)));
    Http.Reply r = send(report(victim.plaintext(), second.plaintext()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).singleElement().satisfies(e -> assertThat(e.get("token_hash").asText())
        .isEqualTo(sha256(victim.plaintext())));
    assertThat(hasher.verifications()).isEqualTo(1);
    assertThat(works(second)).isTrue();
    assertThat(leakEvents()).containsExactly("revoked", "not_checked");
  }

  @Test
  void publicKeysMayComeFromASupplierSuchAsGitHubsDocument() throws Exception {
    String document = "{\"public_keys\":[{\"key_identifier\":\"old\",\"key\":\"" + pem(STRANGER).replace("\n", "\\n")
        + "\",\"is_current\":false},{\"key_identifier\":\"" + KEY_ID + "\",\"key\":\"" + pem(SIGNER).replace("\n", "\\n")
        + "\",\"is_current\":true}]}";
    Map<String, String>[] current = new Map[] {Map.of("broken", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")};
    serve(reports(LeakReports.github(() -> current[0])));
    refusedWithoutEffect(send(report(victim.plaintext()), SIGNER, "broken"), 401);
    current[0] = LeakReports.publicKeysOf(document);
    assertThat(send(report(victim.plaintext()), STRANGER, "old").status()).isEqualTo(200);
    assertThat(works(victim)).isFalse();
  }

  @Test
  void onlyPostIsAllowedAndNoQuery() {
    Http.Reply get = http.get(ROUTE, null);
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).contains("POST");
    String body = report(victim.plaintext());
    refusedWithoutEffect(http.send("POST", ROUTE + "?x=1", null, body, "application/json",
        "Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", sign(SIGNER, body)), 400);
  }

  @Test
  void theRouteIsAbsentWhenNotConfigured() throws Exception {
    serve(KeyManagement.builder(keygate).build());
    assertNotTheApis(send(report(victim.plaintext())));
    assertThat(hasher.verifications()).isZero();
    assertThat(leakEvents()).isEmpty();
    assertThat(works(victim)).isTrue();
  }
}

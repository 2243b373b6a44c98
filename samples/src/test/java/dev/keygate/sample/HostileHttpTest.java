package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile HTTP against the real sample over raw sockets (clients refuse to send most of this):
 * whatever arrives, the answer is never a 500, never a stack trace, never a success without a
 * valid key, and no key reaches the logs.
 */
class HostileHttpTest {
  @TempDir static Path dataDir;
  static SampleApp app;
  static String validKey;
  static LogCapture logs;

  @BeforeAll
  static void start() throws Exception {
    logs = new LogCapture();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    app = SampleApp.start(SampleConfig.fromEnv(Map.of("PORT", "0", "KEYGATE_DATA_DIR", dataDir.toString(),
        "KEYGATE_FAILURES_PER_MINUTE", "100000")), Clock.systemUTC(), CountingHasher.cheapArgon2id(),
        new PrintStream(console, true, StandardCharsets.UTF_8));
    validKey = console.toString(StandardCharsets.UTF_8).strip().substring("Bootstrap admin key: ".length());
  }

  @AfterAll
  static void stop() {
    app.close();
    String text = logs.text();
    logs.close();
    assertThat(text).doesNotContain(validKey).doesNotContain(validKey.substring(20, 52));
  }

  /** Sends raw bytes, reads the whole answer (the request asks the server to close). */
  static RawHttp.Answer send(byte[] request) throws Exception {
    RawHttp.Answer r = RawHttp.send(app.port(), request);
    assertThat(r.status()).as(r.head()).isNotEqualTo(500);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(validKey);
    return r;
  }

  static RawHttp.Answer get(String path, String... headerLines) throws Exception {
    StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String h : headerLines) {
      sb.append(h).append("\r\n");
    }
    return send(sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theValidKeyWorksAndHeaderNamesAreCaseInsensitive() throws Exception {
    assertThat(get("/api/v1/me", "X-API-Key: " + validKey).status()).isEqualTo(200);
    assertThat(get("/api/v1/me", "x-api-key: " + validKey).status()).isEqualTo(200);
    assertThat(get("/api/v1/me", "X-API-KEY:   " + validKey + "  ").status()).isEqualTo(200);
    assertThat(get("/servlet/whoami", "x-Api-kEY: " + validKey).status()).isEqualTo(200);
  }

  @Test
  void keysInTheQueryStringAreIgnored() throws Exception {
    RawHttp.Answer r = get("/api/v1/me?api_key=" + validKey + "&X-API-Key=" + validKey);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");
  }

  @Test
  void twoDifferentKeyHeadersAreRefused() throws Exception {
    RawHttp.Answer r = get("/api/v1/me", "X-API-Key: " + validKey, "X-API-Key: kg_live_" + "A".repeat(50));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"detail\":\"Invalid API key.\"}");
    assertThat(get("/api/v1/me", "X-API-Key: " + validKey, "X-API-Key: " + validKey).status())
        .as("the same key twice is one key").isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "kg_live_", "Bearer x", "kg_live_%00%00", "kg_live_\u00e9\u00e9\u00e9"})
  void malformedValuesAre401(String value) throws Exception {
    for (String path : new String[] {"/api/v1/me", "/servlet/whoami"}) {
      RawHttp.Answer r = get(path, "X-API-Key: " + value);
      assertThat(r.status()).as(path + " <" + value + ">").isEqualTo(401);
      assertThat(r.head()).containsIgnoringCase("Content-Type: application/json");
    }
  }

  @Test
  void unicodeLookAlikesOfThePrefixAreInvalid() throws Exception {
    // Cyrillic "к" and a fullwidth "ｇ" in place of the Latin prefix letters, the rest of a valid key
    for (String fake : new String[] {"\u043a" + validKey.substring(1), "k\uff47" + validKey.substring(2)}) {
      byte[] req = ("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + fake + "\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8);
      RawHttp.Answer r = send(req);
      assertThat(r.status()).isIn(400, 401);
    }
  }

  @Test
  void controlCharactersAndNulBytesNeverAuthenticate() throws Exception {
    for (String bad : new String[] {validKey + "\u0000", "\u0000" + validKey, validKey.substring(0, 20) + "\u0001" + validKey.substring(21),
        validKey + "\u007f"}) {
      byte[] req = ("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + bad + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
      assertThat(send(req).status()).isIn(400, 401);
    }
  }

  @Test
  void oversizedHeadersAreRefusedCleanly() throws Exception {
    RawHttp.Answer tenKb = get("/api/v1/me", "X-API-Key: " + "a".repeat(10 * 1024));
    assertThat(tenKb.status()).isEqualTo(401);
    assertThat(tenKb.body()).isEqualTo("{\"detail\":\"Invalid API key.\"}");
    assertThat(get("/api/v1/me", "X-API-Key: " + "a".repeat(64 * 1024)).status()).isEqualTo(431);
    StringBuilder many = new StringBuilder();
    String[] lines = new String[300];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = "X-Filler-" + i + ": " + "y".repeat(40);
    }
    assertThat(get("/api/v1/me", lines).status()).isIn(401, 431);
  }

  /**
   * The default configuration has no JWT secret, so nothing can verify a Bearer token: the servlet
   * route refuses it 401 JSON (it answered 500 with an HTML page naming a NullPointerException).
   */
  @Test
  void bearerTokenWithoutAuthenticatorIsRefused401OnTheServletRoute() throws Exception {
    for (String header : new String[] {"Authorization: Bearer x", "Authorization: bearer " + "x".repeat(500),
        "Authorization: Bearer", "Authorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}) {
      RawHttp.Answer r = get("/servlet/whoami", header);
      assertThat(r.status()).as(header).isEqualTo(401);
      assertThat(r.head()).containsIgnoringCase("Content-Type: application/json").containsIgnoringCase("WWW-Authenticate:");
      assertThat(r.body()).startsWith("{\"detail\":").doesNotContain("NullPointer");
    }
  }

  @Test
  void invalidKeyNeverFallsBackToTheBearerToken() throws Exception {
    RawHttp.Answer r = get("/api/v1/me", "X-API-Key: junk", "Authorization: Bearer whatever");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"detail\":\"Invalid API key.\"}");
  }

  @Test
  void http10WithoutHostIsServedAndStillAuthenticated() throws Exception {
    RawHttp.Answer ok = send(("GET /api/v1/me HTTP/1.0\r\nX-API-Key: " + validKey + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(ok.status()).isEqualTo(200);
    RawHttp.Answer none = send("GET /api/v1/me HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(none.status()).isEqualTo(401);
  }

  @Test
  void forwardingHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
    // the bootstrap key has no allowlist; a key limited to 10.0.0.0/8 must not open up via headers
    String admin = validKey;
    String body = "{\"name\":\"vpn only\",\"allowed_ips\":[\"10.0.0.0/8\"]}";
    RawHttp.Answer created = send(("POST /api/v1/keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + admin
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII));
    assertThat(created.status()).isEqualTo(201);
    String vpnKey = created.body().replaceAll("(?s).*\"key\":\"([^\"]+)\".*", "$1");
    assertThat(vpnKey).startsWith("kg_live_");
    for (String spoof : new String[] {"Forwarded: for=10.1.2.3", "X-Forwarded-For: 10.1.2.3", "X-Real-IP: 10.1.2.3",
        "Forwarded: for=\"[::ffff:10.1.2.3]\""}) {
      RawHttp.Answer r = get("/api/v1/me", "X-API-Key: " + vpnKey, spoof);
      assertThat(r.status()).as(spoof).isEqualTo(403);
      assertThat(r.body()).isEqualTo("{\"detail\":\"IP address not allowed.\"}");
    }
  }

  @Test
  void garbageRequestLinesNeverReachA500() throws Exception {
    for (String junk : new String[] {"GET /api/v1/me HTTP/9.9\r\n\r\n", "\u0000\u0001\u0002\r\n\r\n",
        "GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /api/v1/keys/%2e%2e%2f HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + validKey + "\r\n\r\n"}) {
      assertThat(send(junk.getBytes(StandardCharsets.ISO_8859_1)).status()).isIn(400, 404, 505);
    }
  }
}

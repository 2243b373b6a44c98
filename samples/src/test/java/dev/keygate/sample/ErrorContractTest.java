package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.testkit.CountingHasher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample's error contract over real HTTP: every refusal, Jetty's and Jersey's own included, is
 * {@code {"detail": ...}} JSON with {@code application/json} and the right status, and never
 * repeats the request's URI, a header, or a stack trace.
 */
class ErrorContractTest {
  /** In every path and query below; no answer may repeat it. */
  private static final String MARKER = "zq9echo";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static SampleApp app;
  static String adminKey;

  @BeforeAll
  static void start() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    app = SampleApp.start(SampleConfig.fromEnv(Map.of("PORT", "0", "KEYGATE_DATA_DIR", dataDir.toString(),
        "KEYGATE_FAILURES_PER_MINUTE", "100000")), Clock.systemUTC(), CountingHasher.cheapArgon2id(),
        new PrintStream(console, true, StandardCharsets.UTF_8));
    adminKey = console.toString(StandardCharsets.UTF_8).strip().substring(BootstrapKey.LINE_PREFIX.length());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static RawHttp.Answer send(byte[]... parts) throws Exception {
    return RawHttp.send(app.port(), parts);
  }

  static RawHttp.Answer send(String requestLine, String body, String... headers) throws Exception {
    return send(RawHttp.request(requestLine, body, headers));
  }

  /** A refusal in the contract's shape; returns its detail. */
  static String assertRefusal(RawHttp.Answer a, int status) throws Exception {
    assertThat(a.status()).as(a.head() + "\n" + a.body()).isEqualTo(status);
    assertThat(a.header("Content-Type")).as(a.head()).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(a.header("Cache-Control")).as(a.head()).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    assertThat(a.body()).doesNotContain(MARKER).doesNotContain(adminKey).doesNotContain("Exception")
        .doesNotContain("\tat ").doesNotContainIgnoringCase("<html");
    JsonNode json = JSON.readTree(a.body());
    assertThat(json.isObject()).isTrue();
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).contains("detail").isSubsetOf("detail", "required_scopes");
    assertThat(json.get("detail").asText()).isNotBlank();
    return json.get("detail").asText();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/me", "/servlet/whoami", "/health", "/api/v1/" + MARKER, "/" + MARKER, "*"})
  void traceAndTrackAreRefusedOnEveryPathWithoutEchoingTheRequest(String path) throws Exception {
    for (String method : new String[] {"TRACE", "TRACK", "trace"}) {
      RawHttp.Answer a = send(method + " " + path + " HTTP/1.1", null, "X-API-Key: " + adminKey,
          "Cookie: session=" + MARKER, "X-Secret: " + MARKER);
      // Jetty refuses "*" with anything but OPTIONS before any handler runs (400)
      assertThat(assertRefusal(a, path.equals("*") ? 400 : 405)).isIn("Method Not Allowed.", "Bad Request.");
    }
  }

  @Test
  void unknownPathsAre404Json() throws Exception {
    assertThat(assertRefusal(send("GET /" + MARKER + "?q=" + MARKER + " HTTP/1.1", null), 404)).isEqualTo("Not Found.");
    assertRefusal(send("GET /api/v1/" + MARKER + " HTTP/1.1", null, "X-API-Key: " + adminKey), 404);
    assertRefusal(send("GET /api/" + MARKER + " HTTP/1.1", null), 404);
    assertRefusal(send("DELETE /" + MARKER + " HTTP/1.1", null), 404);
    RawHttp.Answer head = send("HEAD /" + MARKER + " HTTP/1.1", null);
    assertThat(head.status()).isEqualTo(404);
    assertThat(head.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
  }

  @Test
  void wrongMethodsAre405Or501Json() throws Exception {
    RawHttp.Answer jersey = send("PUT /api/v1/me HTTP/1.1", "{}", "X-API-Key: " + adminKey, "Content-Type: application/json");
    assertThat(assertRefusal(jersey, 405)).isEqualTo("Method Not Allowed.");
    assertThat(jersey.header("Allow")).isPresent();
    assertRefusal(send("DELETE /health HTTP/1.1", null), 405);
    assertRefusal(send("POST /health HTTP/1.1", "x"), 405);
    assertRefusal(send("POST /servlet/whoami HTTP/1.1", "x", "X-API-Key: " + adminKey), 405);
    RawHttp.Answer patch = send("PATCH /servlet/whoami HTTP/1.1", "x", "X-API-Key: " + adminKey);
    assertRefusal(patch, patch.status() == 405 ? 405 : 501); // Servlet 6.1 knows PATCH, 6.0 does not
    assertRefusal(send("BREW /api/v1/me HTTP/1.1", null, "X-API-Key: " + adminKey), 405);
  }

  @Test
  void unsupportedOrGarbageContentTypesAreRefusedJson() throws Exception {
    String body = "{\"name\":\"x\"}";
    for (String type : new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded"}) {
      assertRefusal(send("POST /api/v1/keys HTTP/1.1", body, "X-API-Key: " + adminKey, "Content-Type: " + type), 415);
    }
    for (String garbage : new String[] {"garbage", ";;;", "/", "application/json; charset", "\u00ff\u00fe"}) {
      RawHttp.Answer a = send("POST /api/v1/keys HTTP/1.1", body, "X-API-Key: " + adminKey, "Content-Type: " + garbage);
      assertThat(a.status()).as(garbage).isIn(400, 415);
      assertRefusal(a, a.status());
    }
    assertRefusal(send("POST /api/v1/signup HTTP/1.1", "{\"organization\":\"x\"}", "Content-Type: garbage"), 400);
  }

  @Test
  void malformedJsonIs400() throws Exception {
    for (String body : new String[] {"{\"name\":", "{\"name\":\"a\",\"name\":\"b\"}", "{\"name\":\"a\"} {}", "[]",
        "\"name\"", "{\"name\":\"a\"}garbage", "[".repeat(3000) + "]".repeat(3000), "\u0000"}) {
      RawHttp.Answer a = send("POST /api/v1/keys HTTP/1.1", body, "X-API-Key: " + adminKey, "Content-Type: application/json");
      assertThat(assertRefusal(a, 400)).as(body)
          .isIn("The body is not valid JSON.", "A JSON body is required.", "The body must be a JSON object.");
    }
    RawHttp.Answer wrongType = send("POST /api/v1/keys HTTP/1.1", "{\"name\":\"x\",\"scopes\":[[\"a\"]]}",
        "X-API-Key: " + adminKey, "Content-Type: application/json");
    assertThat(assertRefusal(wrongType, 400)).startsWith("scopes[0]:");
  }

  @Test
  void unparsableOrOutOfRangeQueryParametersAre400NamingTheParameter() throws Exception {
    for (String query : new String[] {"limit=abc", "limit=" + MARKER, "offset=0", "offset=1e3", "limit=-1",
        "cursor=" + MARKER, "limit=0", "limit=201", "limit=", "status=" + MARKER, "cursor=%00", "cursor="}) {
      RawHttp.Answer a = send("GET /api/v1/keys?" + query + " HTTP/1.1", null, "X-API-Key: " + adminKey);
      String parameter = query.substring(0, query.indexOf('='));
      assertThat(a.status()).as(query).isEqualTo(400);
      assertThat(assertRefusal(a, 400)).as(query).startsWith(parameter + ":");
    }
    assertThat(send("GET /api/v1/keys?limit=200 HTTP/1.1", null, "X-API-Key: " + adminKey).status()).isEqualTo(200);
  }

  @Test
  void requestsJettyCannotParseAreRefusedJson() throws Exception {
    assertRefusal(send("GET /% HTTP/1.1", null), 400);
    assertRefusal(send("GET /" + MARKER + "%zz HTTP/1.1", null), 400);
    assertRefusal(send("GET /api/v1/me HTTP/1.1", null, "X-API-Key: " + "a".repeat(64 * 1024)), 431);
    assertRefusal(send("GET /api/v1/me HTTP/1.1", null, "Bad Header Line"), 400);
  }

  @Test
  void aBodyDeclaredTooLargeIsRefused413BeforeItIsSent() throws Exception {
    for (String path : new String[] {"/api/v1/signup", "/api/v1/keys"}) {
      byte[] headOnly = ("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + adminKey
          + "\r\nContent-Type: application/json\r\nContent-Length: " + 50 * 1024 * 1024 + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      String detail = assertRefusal(send(headOnly), 413); // answered although not one byte of the body came
      assertThat(detail).isEqualTo("Request body too large: at most 65536 bytes.");
    }
    String justOver = "{\"organization\":\"" + "a".repeat(SampleApp.MAX_BODY_BYTES) + "\"}";
    assertRefusal(send("POST /api/v1/signup HTTP/1.1", justOver, "Content-Type: application/json"), 413);
  }

  @Test
  void aChunkedBodyIsCutAtTheLimitWhileItIsRead() throws Exception {
    for (String path : new String[] {"/api/v1/signup", "/api/v1/keys"}) {
      List<byte[]> parts = new ArrayList<>();
      parts.add(("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + adminKey
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String start = "{\"name\":\"";
      parts.add(chunk(start));
      // just over the limit, and no final chunk: the server must not wait for the rest to answer
      parts.add(chunk("a".repeat(SampleApp.MAX_BODY_BYTES + 1 - start.length())));
      String detail = assertRefusal(send(parts.toArray(byte[][]::new)), 413);
      assertThat(detail).isEqualTo("Request body too large: at most 65536 bytes.");
    }
  }

  @Test
  void aChunkedBodyWithinTheLimitIsServed() throws Exception {
    String body = "{\"name\":\"chunked\"}";
    RawHttp.Answer a = send(("POST /api/v1/keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + adminKey
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
        chunk(body), "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(a.status()).as(a.body()).isEqualTo(201);
  }

  @Test
  void aBrokenChunkedEncodingIs400Json() throws Exception {
    RawHttp.Answer a = send(("POST /api/v1/keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + adminKey
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    assertRefusal(a, 400);
  }

  private static byte[] chunk(String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    byte[] head = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + bytes.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(bytes, 0, out, head.length, bytes.length);
    out[out.length - 2] = '\r';
    out[out.length - 1] = '\n';
    return out;
  }
}

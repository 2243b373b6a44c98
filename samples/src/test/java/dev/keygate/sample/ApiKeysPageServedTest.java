package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.sample.SampleClient.Reply;
import dev.keygate.testkit.CountingHasher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API Keys page as the sample serves it, over HTTP without a browser: the security headers on
 * every file, nothing inline that the CSP would have to allow, and no way in the script to put API
 * data into HTML or a key into storage.
 */
class ApiKeysPageServedTest {
  private static final String CSP = "default-src 'self'; frame-ancestors 'none'";
  private static final String BOOTSTRAP_LINE = "Bootstrap admin key: ";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dataDir;
  static final ByteArrayOutputStream console = new ByteArrayOutputStream();
  static SampleApp app;
  static SampleClient client;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("KEYGATE_DATA_DIR", dataDir.toString());
    app = SampleApp.start(SampleConfig.fromEnv(env), Clock.systemUTC(), CountingHasher.cheapArgon2id(),
        new PrintStream(console, true, StandardCharsets.UTF_8));
    client = new SampleClient(app.port());
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/console/", "/console/index.html", "/console/console.css", "/console/console.js",
      "/console/config.json"})
  void everyFileOfThePageCarriesTheSecurityHeaders(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith(CSP));
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void eachFileHasItsType() throws Exception {
    assertThat(type("/console/")).startsWith("text/html");
    assertThat(type("/console/console.css")).startsWith("text/css");
    assertThat(type("/console/console.js")).startsWith("text/javascript");
    assertThat(type("/console/config.json")).startsWith("application/json");
    Reply config = client.get("/console/config.json", null);
    assertThat(config.text("api_base")).isEqualTo("/api/v1");
    assertThat(config.text("product_name")).isEqualTo("Keygate sample");
    assertThat(config.text("sign_in")).isEqualTo("key");
  }

  @Test
  void theHtmlHasNoInlineScriptOrStyleAndLoadsNothingFromElsewhere() throws Exception {
    String html = get("/console/").body();
    assertThat(html).contains("<script type=\"module\" src=\"console.js\"></script>")
        .contains("<link rel=\"stylesheet\" href=\"console.css\">");
    assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html).find()).isFalse();
    assertThat(html).doesNotContainPattern("(?i)<style").doesNotContainPattern("(?i)\\sstyle\\s*=")
        .doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContainPattern("(?i)javascript:")
        .doesNotContainPattern("(?i)(src|href)=\"(https?:)?//");
    // fields are not named: without the script, a submitted form would put the key in the URL
    assertThat(html).doesNotContainPattern("<input[^>]*\\sname=");
  }

  @Test
  void theScriptNeverWritesHtmlOrStorageAndTheStylesLoadNothing() throws Exception {
    String js = get("/console/console.js").body();
    for (String banned : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
        "new Function", "localStorage", "sessionStorage", "document.cookie", "console.", "setTimeout('",
        "history.pushState", "location.hash", "location.search")) {
      assertThat(js).as(banned).doesNotContain(banned);
    }
    String css = get("/console/console.css").body();
    assertThat(css).doesNotContain("url(").doesNotContain("@import");
  }

  @Test
  void answersCarryingAKeyAreNotStored() throws Exception {
    String bootstrap = console.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(BOOTSTRAP_LINE))
        .findFirst().orElseThrow().substring(BOOTSTRAP_LINE.length());
    Reply created = client.post("/api/v1/keys", bootstrap, "{\"name\":\"served\",\"scopes\":[\"datasets.read\"]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
    Reply rotated = client.post("/api/v1/keys/" + created.text("id") + "/rotate", bootstrap, null);
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  private static String type(String path) throws Exception {
    return get(path).headers().firstValue("Content-Type").orElse("");
  }

  /** A plain GET: the page's files are not JSON. */
  private static HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .timeout(Duration.ofSeconds(20)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}

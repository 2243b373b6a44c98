package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's files, served from the jar with the headers that keep it safe. */
class ApiKeysPageServletTest {
  private Server server;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    // the page at /console/*, beside a servlet the test does not use (the API's mapping)
    server = Servers.servlet(ApiKeysPageServlet.of("/api/v1", "Acme <Cloud>", ApiKeysPageServlet.SignIn.KEY),
        context -> context.addServlet(new ServletHolder("page", ApiKeysPageServlet.of("/api/v1/", "Acme <Cloud>",
            ApiKeysPageServlet.SignIn.KEY)), "/console/*"));
    http = new Http("http://127.0.0.1:" + Servers.port(server) + "/console");
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void thePageAndItsFilesCarryAStrictPolicy() {
    for (String path : new String[] {"/", "/index.html", "/console.js", "/console.css", "/config.json", "/nope"}) {
      Http.Reply r = http.get(path, null);
      assertThat(r.header("Content-Security-Policy")).as(path)
          .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'").contains("frame-ancestors 'none'"));
      assertThat(r.header("X-Content-Type-Options")).contains("nosniff");
      assertThat(r.header("Referrer-Policy")).contains("no-referrer");
      assertThat(r.header("X-Frame-Options")).contains("DENY");
    }
    Http.Reply page = http.get("/", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("console.js").doesNotContain("<script>").doesNotContain(" style=");
    assertThat(http.get("/console.js", null).header("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(http.get("/console.css", null).header("Content-Type").orElse("")).startsWith("text/css");
  }

  @Test
  void theConfigurationNamesTheApiTheProductAndTheSignIn() {
    Http.Reply config = http.get("/config.json", null);
    assertThat(config.json().get("api_base").asText()).isEqualTo("/api/v1");
    assertThat(config.json().get("product_name").asText()).isEqualTo("Acme <Cloud>");
    assertThat(config.json().get("sign_in").asText()).isEqualTo("key");
  }

  @Test
  void aPathWithoutTheSlashIsRedirectedAndAnythingElseRefused() {
    Http.Reply bare = new Http("http://127.0.0.1:" + Servers.port(server)).get("/console?x=1", null);
    assertThat(bare.status()).isEqualTo(302);
    assertThat(bare.header("Location")).contains("/console/?x=1");
    Http.Reply missing = http.get("/../api/v1/keys", null);
    assertThat(missing.status()).isIn(400, 404);
    Http.Reply unknown = http.get("/secrets.txt", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.detail()).isEqualTo("Not found.");
    Http.Reply post = http.post("/", null, "{}");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).contains("GET, HEAD");
    Http.Reply head = http.send("HEAD", "/", null, null, null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void anApiBaseThatIsNotAnAbsolutePathIsRefused() {
    for (String bad : new String[] {"api/v1", "//evil.example/api", "/api/../v1", "https://evil.example", "/a b", "/api/./v1"}) {
      assertThatThrownBy(() -> ApiKeysPageServlet.of(bad, "x", ApiKeysPageServlet.SignIn.KEY)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}

package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.servlet.KeygateFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** The management API as a servlet at {@code /api/v1/*} on Jetty. */
class ServletManagementApiTest extends ManagementApiContract {

  @Override
  Server start(KeyManagement management) throws Exception {
    return Servers.servlet(new KeyManagementServlet(management), context -> {});
  }

  @Test
  void behindAKeygateFilterItsPrincipalIsUsedAndTheUseCountedOnce() throws Exception {
    server.stop();
    server = Servers.servlet(new KeyManagementServlet(management()), context -> context.addFilter(
        new FilterHolder(KeygateFilter.builder(keygate).build()), "/api/*", EnumSet.of(DispatcherType.REQUEST)));
    http = new Http("http://127.0.0.1:" + Servers.port(server) + "/api/v1");
    for (int i = 0; i < 3; i++) {
      assertThat(http.get("/session", limited).status()).isEqualTo(200);
    }
    keygate.engine().flushUsage();
    assertThat(keygate.keys().get(id(limited)).orElseThrow().usageCount()).isEqualTo(3);
    assertThat(http.get("/keys", reader).status()).as("the filter lets it through; the API refuses").isEqualTo(403);
  }

  @Test
  void anAccessRuleThatDecidesNothingIsA500NeverAPass() throws Exception {
    server.stop();
    server = Servers.servlet(new KeyManagementServlet(KeyManagement.builder(keygate).access(request -> null).build()),
        context -> {});
    http = new Http("http://127.0.0.1:" + Servers.port(server) + "/api/v1");
    Http.Reply r = http.get("/keys", null);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.detail()).isEqualTo("Internal server error.");
    assertThat(http.post("/keys", null, "{\"name\":\"x\"}").status()).isEqualTo(500);
    assertThat(keygate.keys().list(keygate.keys().query().withLimit(100)).items()).hasSize(6);
  }

  @Test
  void aResponseNeverShowsItsBodyInToString() {
    ManagementResponse r = Replies.json(201, Replies.problem("kg_test_secret"));
    assertThat(r.toString()).doesNotContain("kg_test_secret").contains("201");
    assertThat(r.text()).contains("kg_test_secret");
  }

  @Test
  void theLargestValuesCoreAcceptsAreServedWithoutACatalogue() throws Exception {
    server.stop();
    server = Servers.servlet(new KeyManagementServlet(KeyManagement.builder(keygate).build()), context -> {});
    http = new Http("http://127.0.0.1:" + Servers.port(server) + "/api/v1");
    String scope200 = "w".repeat(64) + "." + "w".repeat(64) + "." + "w".repeat(64) + ".s";
    StringBuilder scopes = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      scopes.append(i == 0 ? "" : ",").append('"').append(scope200).append(String.format("%04d", i)).append('"');
    }
    Http.Reply r = http.post("/keys", full, "{\"name\":\"" + "\ud83d\udd11".repeat(100) + "\",\"scopes\":[" + scopes
        + "],\"expires_at\":\"9999-12-31T23:59:59.999999Z\",\"environment\":\"" + "e".repeat(64) + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    Http.Reply read = http.get("/keys/" + r.json().get("id").asText(), full);
    assertThat(read.json().get("scopes")).hasSize(100);
    assertThat(read.json().get("expires_at").asText()).isEqualTo("9999-12-31T23:59:59.999999Z");
    assertThat(read.json().get("environment").asText()).isEqualTo("e".repeat(64));
  }

  @Test
  void theHostsSessionsMayDecideAndThenAPostMustSayJson() throws Exception {
    server.stop();
    ManagementAccess sessions = ManagementAccess.sessions(request -> request.headers("X-Test-User").isEmpty()
        ? Optional.empty()
        : Optional.of(new Manager(ORG, request.headers("X-Test-User").get(0), java.util.Set.of("datasets.read"), false)));
    server = Servers.servlet(new KeyManagementServlet(KeyManagement.builder(keygate).access(sessions).build()), c -> {});
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + Servers.port(server) + "/api/v1";
    java.util.function.BiFunction<String, String, Integer> post = (type, user) -> {
      java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/keys"))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"s\",\"scopes\":[\"datasets.read\"]}"));
      if (type != null) {
        b.header("Content-Type", type);
      }
      if (user != null) {
        b.header("X-Test-User", user);
      }
      try {
        return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    assertThat(post.apply("application/json", null)).as("not signed in").isEqualTo(401);
    assertThat(post.apply("text/plain", "ann")).as("what another site's form can send").isEqualTo(415);
    assertThat(post.apply(null, "ann")).isEqualTo(415);
    assertThat(post.apply("application/json", "ann")).isEqualTo(201);
    Http.Reply revoke = new Http(base).send("POST", "/keys/" + id(reader) + "/revoke", null, null, null);
    assertThat(revoke.status()).isEqualTo(401);
    Http.Reply untyped = new Http(base).send("POST", "/keys/" + id(reader) + "/revoke", null, null, null, "X-Test-User", "ann");
    assertThat(untyped.status()).as("signed in, but what another site's form could send").isEqualTo(415);
    assertThat(new Http(base).send("POST", "/keys/" + id(reader) + "/revoke", null, null, "application/json",
        "X-Test-User", "ann").status()).isEqualTo(200);
    assertThat(keygate.keys().list(keygate.keys().query().withOwner(ORG).withLimit(100)).items())
        .anyMatch(k -> k.name().equals("s"));
  }
}

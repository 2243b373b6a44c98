package dev.keygate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.docs.management.ManagementSetup;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.management.KeyManagement;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** README.md, "Key management and the API Keys page": each registration serves the API as shown. */
class ManagementReadmeTest {
  private Keygate keygate;
  private String admin;

  @BeforeEach
  void keygate() {
    keygate = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("kg_live"))
        .hasher(HmacSha256Hasher.withPepper("readme-management-pepper-32-bytes".getBytes(StandardCharsets.UTF_8), "r1"))
        .build();
    admin = keygate.keys().create(NewKey.named("admin").withOwner("acme")).plaintext();
  }

  @AfterEach
  void close() {
    keygate.close();
  }

  @Test
  void theServletRegistrationsServeTheApiAndThePage() throws Exception {
    KeyManagement management = ManagementSetup.management(keygate);
    ServletContextHandler context = new ServletContextHandler("/");
    ManagementSetup.servlet(context, management);
    try (JettyApp app = new JettyApp(context)) {
      HttpResponse<String> session = app.get("/manage/session", "X-API-Key", admin);
      assertThat(session.statusCode()).isEqualTo(200);
      assertThat(session.body()).contains("\"organization\":\"acme\"");
      assertThat(app.get("/manage/scopes", "X-API-Key", admin).body()).contains("orders.write");
      assertThat(app.get("/manage/keys").statusCode()).isEqualTo(401);
      HttpResponse<String> page = app.get("/console/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("default-src 'self'");
      assertThat(app.get("/console/config.json").body()).contains("\"api_base\":\"/manage\"");
    }
  }

  @Test
  void theJaxRsRegistrationServesTheApiBesideTheApplication() throws Exception {
    ResourceConfig config = ManagementSetup.jaxrs(new ResourceConfig(), ManagementSetup.management(keygate));
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new ServletContainer(config)), "/api/*");
    try (JettyApp app = new JettyApp(context)) {
      assertThat(app.get("/api/v1/keys", "X-API-Key", admin).statusCode()).isEqualTo(200);
      assertThat(app.get("/api/v1/keys").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void theLeakReportRouteRevokesAKeyGitHubReports() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair github = g.generateKeyPair();
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(github.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
    java.util.List<dev.keygate.LeakOutcome> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    KeyManagement management = ManagementSetup.withLeakReports(keygate, java.util.Map.of("gh1", pem), told::add);
    ServletContextHandler context = new ServletContextHandler("/");
    ManagementSetup.servlet(context, management);
    String body = "[{\"token\":\"" + admin + "\",\"type\":\"kg_live_key\",\"url\":\"\",\"source\":\"content\"}]";
    java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
    s.initSign(github.getPrivate());
    s.update(body.getBytes(StandardCharsets.UTF_8));
    String signature = java.util.Base64.getEncoder().encodeToString(s.sign());
    try (JettyApp app = new JettyApp(context)) {
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(app.get("/manage/openapi.json").uri().resolve("/manage/secret-scanning/github").toString()))
          .header("Content-Type", "application/json").header("Github-Public-Key-Identifier", "gh1")
          .header("Github-Public-Key-Signature", signature)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"label\":\"true_positive\"");
      assertThat(told).singleElement().satisfies(o -> assertThat(o.verdict()).isEqualTo(dev.keygate.LeakOutcome.Verdict.REVOKED));
      assertThat(app.get("/manage/session", "X-API-Key", admin).statusCode()).isEqualTo(401);
    }
  }
}

package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.spring.boot.servletonly.ServletOnlyApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Without Spring Security on the class path (this class runs in its own surefire execution, with
 * Spring Security's jars left off): Keygate's servlet filter, its public paths and scope rules from
 * the properties, the management API and page beside it.
 */
@SpringBootTest(classes = ServletOnlyApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "keygate.hasher.memory-kib=1024",
    "keygate.public-paths=/open/*",
    "keygate.scope-rules[0]=GET /api/orders=orders.read",
    "keygate.scopes[orders.read]=Read orders",
    "keygate.management.enabled=true",
    "keygate.management.path=/api",
    "keygate.management.page.enabled=true",
    "keygate.management.page.path=/console",
    "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class ServletFilterWithoutSpringSecurityTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  Keygate keygate;

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void springSecurityIsReallyAbsent() {
    assertThatExceptionOfType(ClassNotFoundException.class)
        .isThrownBy(() -> Class.forName("org.springframework.security.web.SecurityFilterChain"));
  }

  @Test
  void theFilterGuardsEveryPathButThePublicOnesWithTheScopeRules() throws Exception {
    IssuedKey reader = keygate.keys().create(NewKey.named("reader").withScopes("orders.read").withOwner("acme"));
    IssuedKey other = keygate.keys().create(NewKey.named("other").withScopes("profile.read").withOwner("acme"));
    assertThat(get("/api/orders", Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/api/orders", Map.of("X-API-Key", reader.plaintext())).body()).isEqualTo("orders for " + reader.key().id());
    HttpResponse<String> forbidden = get("/api/orders", Map.of("X-API-Key", other.plaintext()));
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).contains("\"required_scopes\":[\"orders.read\"]");
    assertThat(get("/api/profile", Map.of("X-API-Key", other.plaintext())).body()).isEqualTo("profile of " + other.key().id());
    assertThat(get("/open/status", Map.of()).body()).isEqualTo("open");
    assertThat(get("/api/orders", Map.of("X-API-Key", "kg_junk")).body()).isEqualTo("{\"detail\":\"Invalid API key.\"}");
  }

  @Test
  void theManagementApiAndPageAnswerThemselves() throws Exception {
    IssuedKey admin = keygate.keys().create(NewKey.named("admin").withOwner("acme"));
    HttpResponse<String> list = get("/api/keys", Map.of("X-API-Key", admin.plaintext()));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("\"items\"");
    assertThat(get("/api/keys", Map.of()).statusCode()).isEqualTo(401);
    HttpResponse<String> page = get("/console/", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
  }
}

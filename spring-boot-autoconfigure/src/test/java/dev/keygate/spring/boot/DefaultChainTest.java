package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.ApiKeyStore;
import dev.keygate.spring.boot.plain.PlainApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An application with Spring Security on the class path and no chain of its own: Keygate's
 * default chain protects every path with a key, and Spring Boot's password-based default is gone.
 * No DataSource: the in-memory store.
 */
@SpringBootTest(classes = PlainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "keygate.key-prefix=kg_plain",
    "keygate.public-paths=/open/*",
    "keygate.hasher.memory-kib=1024",
    "keygate.management.enabled=true",
    "keygate.management.path=/api",
    "keygate.scopes[notes.write]=Write notes",
    "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class DefaultChainTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  Keygate keygate;

  @Autowired
  ApiKeyStore store;

  private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Autowired
  org.springframework.context.ApplicationContext context;

  @Test
  void keygatesChainsReplaceSpringBootsPasswordDefault() {
    assertThat(context.getBeansOfType(org.springframework.security.web.SecurityFilterChain.class).keySet())
        .containsExactlyInAnyOrder("keygateSecurityFilterChain", "keygateManagementSecurityFilterChain");
  }

  @Test
  void withoutADataSourceTheKeysAreKeptInMemory() {
    assertThat(store).isInstanceOf(InMemoryApiKeyStore.class);
  }

  @Test
  void everyPathButThePublicOnesNeedsAKeyAndNoPasswordIsAskedFor() throws Exception {
    HttpResponse<String> none = send("GET", "/api/hello", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).doesNotContain("Basic");
    assertThat(none.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");
    assertThat(send("GET", "/open/status", null, null).body()).isEqualTo("open");
    assertThat(send("GET", "/no/such/route", null, null).statusCode()).isEqualTo(401);
    HttpRequest bearer = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello"))
        .header("Authorization", "Bearer some.jwt.here").build();
    HttpResponse<String> token = HTTP.send(bearer, HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as("no resource server and no Bearer check: the token row").isEqualTo(401);
    assertThat(token.body()).isEqualTo("{\"detail\":\"Invalid bearer token.\"}");
  }

  @Test
  void aKeyIsAuthenticatedAndAPostNeedsNoCsrfToken() throws Exception {
    IssuedKey k = keygate.keys().create(NewKey.named("plain").withScopes("notes.write").withOwner("acme"));
    HttpResponse<String> hello = send("GET", "/api/hello", k.plaintext(), null);
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hello " + k.key().id() + " [SCOPE_notes.write]");
    assertThat(send("POST", "/api/notes", k.plaintext(), "{}").body()).isEqualTo("noted for " + k.key().id());
    assertThat(send("GET", "/open/status", "kg_plain_not_a_key", null).statusCode())
        .as("a public path: the key is not even looked at").isEqualTo(200);
  }

  @Test
  void theManagementApiSharesTheBasePathWithTheApplicationsRoutes() throws Exception {
    IssuedKey admin = keygate.keys().create(NewKey.named("admin").withOwner("acme"));
    HttpResponse<String> created = send("POST", "/api/keys", admin.plaintext(), "{\"name\":\"via api\",\"scopes\":[\"notes.write\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(send("GET", "/api/keys", null, null).statusCode()).isEqualTo(401);
    IssuedKey writer = keygate.keys().create(NewKey.named("writer").withScopes("notes.write").withOwner("acme"));
    assertThat(send("GET", "/api/keys", writer.plaintext(), null).statusCode())
        .as("the management API's own answer to a key without keys.admin (the application has no such route)")
        .isEqualTo(403);
    assertThat(send("GET", "/api/hello", admin.plaintext(), null).statusCode()).isEqualTo(200);
  }
}

package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.StoreUnavailableException;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.spring.boot.plain.PlainApp;
import dev.keygate.testkit.ForwardingApiKeyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The store going away under a running application: an uncached key is answered 503 from the
 * response table, a cached key keeps working, Actuator's health turns DOWN with the outage's start
 * and nothing of the driver's message, and comes back UP.
 */
@SpringBootTest(classes = {PlainApp.class, StoreOutageTest.Outage.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "keygate.hasher.memory-kib=1024",
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always",
        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class StoreOutageTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String SECRET_IN_MESSAGE = "jdbc:postgresql://db.internal:5432/keys?password=hunter2";

  /** The application's store, with a switch the test turns. */
  @TestConfiguration
  static class Outage {
    final AtomicBoolean down = new AtomicBoolean();

    @Bean
    ApiKeyStore store() {
      return new ForwardingApiKeyStore(new InMemoryApiKeyStore()) {
        @Override
        public Optional<ApiKey> findById(String id) {
          if (down.get()) {
            throw new StoreUnavailableException("cannot reach " + SECRET_IN_MESSAGE);
          }
          return super.findById(id);
        }
      };
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  Keygate keygate;

  @Autowired
  Outage outage;

  @AfterEach
  void storeBack() {
    outage.down.set(false);
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-API-Key", key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUncachedKeyIs503ACachedOneStillWorksAndHealthShowsTheOutage() throws Exception {
    IssuedKey cached = keygate.keys().create(NewKey.named("cached"));
    IssuedKey fresh = keygate.keys().create(NewKey.named("fresh"));
    assertThat(get("/api/hello", cached.plaintext()).statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(get("/actuator/health", cached.plaintext()).body())
        .path("components").path("keygate").path("status").asText()).isEqualTo("UP");

    outage.down.set(true);
    HttpResponse<String> refused = get("/api/hello", fresh.plaintext());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).isEqualTo("{\"detail\":\"Authentication service temporarily unavailable.\"}");
    assertThat(get("/api/hello", cached.plaintext()).statusCode()).isEqualTo(200);

    HttpResponse<String> health = get("/actuator/health", cached.plaintext());
    assertThat(health.statusCode()).isEqualTo(503);
    JsonNode keygateHealth = new ObjectMapper().readTree(health.body()).path("components").path("keygate");
    assertThat(keygateHealth.path("status").asText()).isEqualTo("DOWN");
    assertThat(keygateHealth.path("details").path("since").asText()).isNotEmpty();
    assertThat(health.body()).doesNotContain("hunter2").doesNotContain("db.internal");
    String since = keygateHealth.path("details").path("since").asText();
    assertThat(new ObjectMapper().readTree(get("/actuator/health", cached.plaintext()).body())
        .path("components").path("keygate").path("details").path("since").asText())
        .as("the outage's start, not the latest check").isEqualTo(since);

    outage.down.set(false);
    assertThat(get("/api/hello", fresh.plaintext()).statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(get("/actuator/health", cached.plaintext()).body())
        .path("components").path("keygate").path("status").asText()).isEqualTo("UP");
  }
}

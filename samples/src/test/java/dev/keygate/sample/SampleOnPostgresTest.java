package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.testkit.CountingHasher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample on a real PostgreSQL server (started by the test) through KEYGATE_JDBC_URL. */
class SampleOnPostgresTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void signupCreateUseAndRevokeOnPostgres(@TempDir Path unusedDataDir) throws Exception {
    Path pgData = Files.createDirectories(Path.of("target", "embedded", "pg-data-" + ProcessHandle.current().pid()));
    // binaries under target/ (the root pom's ot.epg.working-dir), data in this test's own folder
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(pgData).start()) {
      SampleConfig config = SampleConfig.fromEnv(Map.of("PORT", "0", "KEYGATE_DATA_DIR", unusedDataDir.toString(),
          "KEYGATE_JDBC_URL", pg.getJdbcUrl("postgres", "postgres"), "KEYGATE_JDBC_USER", "postgres"));
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      try (SampleApp app = SampleApp.start(config, Clock.systemUTC(), CountingHasher.cheapArgon2id(),
          new PrintStream(console, true, StandardCharsets.UTF_8))) {
        String base = "http://127.0.0.1:" + app.port();
        assertThat(console.toString(StandardCharsets.UTF_8)).startsWith("Bootstrap admin key: kg_live_");
        JsonNode admin = send(base + "/api/v1/signup", "POST", null, "{\"organization\":\"pg-org\"}", 201);
        String adminKey = admin.get("key").asText();
        JsonNode key = send(base + "/api/v1/keys", "POST", adminKey, "{\"name\":\"pg\",\"scopes\":[\"tasks.read\"]}", 201);
        send(base + "/api/v1/tasks", "GET", key.get("key").asText(), null, 200);
        send(base + "/api/v1/keys/" + key.get("id").asText() + "/revoke", "POST", adminKey, null, 200);
        JsonNode refused = send(base + "/api/v1/tasks", "GET", key.get("key").asText(), null, 401);
        assertThat(refused.get("detail").asText()).isEqualTo("API key has been revoked.");
        JsonNode list = send(base + "/api/v1/keys", "GET", adminKey, null, 200);
        assertThat(list.get("items")).hasSize(2);
      }
      assertThat(unusedDataDir.toFile().list()).as("H2 was not used").isEmpty();
    }
  }

  private JsonNode send(String url, String method, String key, String body, int expected) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + url + ": " + r.body()).isEqualTo(expected);
    return json.readTree(r.body());
  }
}

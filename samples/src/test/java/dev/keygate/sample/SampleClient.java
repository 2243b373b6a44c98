package dev.keygate.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Calls a running sample over HTTP and reads its JSON answers. */
record SampleClient(int port) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status, JSON body (empty object when there is none) and headers. */
  record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    String text(String field) {
      return json.path(field).asText();
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  Reply call(String method, String path, @Nullable String key, @Nullable String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    return new Reply(r.statusCode(), json, r);
  }

  Reply get(String path, @Nullable String key) throws IOException, InterruptedException {
    return call("GET", path, key, null);
  }

  Reply post(String path, @Nullable String key, @Nullable String body) throws IOException, InterruptedException {
    return call("POST", path, key, body);
  }

  Reply health() throws IOException, InterruptedException {
    return get("/health", null);
  }
}

package dev.keygate.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A small HTTP client for the management API's tests: real requests to a real server. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  /** @param base the API's base URL, {@code http://localhost:port/api/v1} */
  Http(String base) {
    this.base = base;
  }

  record Reply(int status, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + raw.body(), e);
      }
    }

    String detail() {
      return json().path("detail").asText();
    }

    Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }

    String body() {
      return raw.body();
    }
  }

  Reply get(String path, @Nullable String key) {
    return send("GET", path, key, null, null);
  }

  Reply post(String path, @Nullable String key, @Nullable String json) {
    return send("POST", path, key, json, json == null ? null : "application/json");
  }

  Reply delete(String path, @Nullable String key) {
    return send("DELETE", path, key, null, null);
  }

  Reply send(String method, String path, @Nullable String key, @Nullable String body, @Nullable String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

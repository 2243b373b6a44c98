package dev.keygate.sample.spring;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Calls a running sample over real HTTP, as a customer's client would, and reads its JSON answers. */
record SampleHttp(int port) {
  static final String JWT_SECRET = "an-hs256-secret-of-at-least-32-bytes!!";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** An answer: status, JSON body (an empty object when there is none) and the raw response. */
  record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    String text(String field) {
      return json.path(field).asString();
    }

    String detail() {
      return text("detail");
    }

    @Nullable String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  /**
   * Sends a request.
   *
   * @param key the API key for {@code X-API-Key}, or null
   * @param body a JSON body (sent as {@code application/json}), or null
   * @param headers more headers, name then value
   */
  Reply call(String method, String path, @Nullable String key, @Nullable String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    String text = r.body();
    JsonNode json = text.isEmpty() || !(text.startsWith("{") || text.startsWith("["))
        ? JSON.createObjectNode() : JSON.readTree(text);
    return new Reply(r.statusCode(), json, r);
  }

  Reply get(String path, @Nullable String key, String... headers) throws IOException, InterruptedException {
    return call("GET", path, key, null, headers);
  }

  Reply post(String path, @Nullable String key, @Nullable String body, String... headers)
      throws IOException, InterruptedException {
    return call("POST", path, key, body, headers);
  }

  /** An HS256 JWT signed with {@link #JWT_SECRET}, expiring in an hour. */
  static String jwt(String subject, @Nullable String org, String scope) {
    return jwt(subject, org, scope, Instant.now().plus(Duration.ofHours(1)), JWT_SECRET);
  }

  /** An HS256 JWT: {@code sub}, {@code org} (left out when null), {@code scope}, {@code exp}. */
  static String jwt(String subject, @Nullable String org, String scope, Instant expires, String secret) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).claim("scope", scope)
        .issueTime(new Date()).expirationTime(Date.from(expires));
    if (org != null) {
      claims.claim("org", org);
    }
    return sign(claims.build(), secret);
  }

  static String sign(JWTClaimsSet claims, String secret) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }
}

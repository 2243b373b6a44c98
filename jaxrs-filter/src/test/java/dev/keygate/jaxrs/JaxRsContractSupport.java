package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

import dev.keygate.ApiKeyService;
import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.ApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What the runtime contracts share: a real key store and service, a Keygate builder over them,
 * plain HTTP calls and exact assertions on Keygate's refusals.
 */
abstract class JaxRsContractSupport {
  static final String FORBIDDEN = "You do not have permission to perform this action.";
  static final String NOT_PROVIDED = "{\"detail\":\"Authentication credentials were not provided.\"}";

  final MutableClock clock = MutableClock.atEpochOfTests();
  final KeyFormat format = keyFormat();
  final KeyHasher hasher =
      Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build();
  // a real store behind a Mockito seam, so one test can make it fail for one key
  final ApiKeyStore store = mock(ApiKeyStore.class, delegatesTo(new InMemoryApiKeyStore()));
  final ApiKeyService service = keygate().build().keys();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The key format of the contract's keys (read while the fields are set: use no field). */
  KeyFormat keyFormat() {
    return KeyFormat.withPrefix("kg_test");
  }

  /** The runtime under test, not yet started. */
  abstract JaxRsRuntime runtime();

  /** A Keygate over this store, deterministic, with a failure throttle tests won't hit. */
  Keygate.Builder keygate() {
    return Keygate.builder().store(store).keyFormat(format).hasher(hasher).clock(clock)
        .failuresPerAddress(new RateLimit(10_000, Duration.ofMinutes(1)))
        .cacheExecutor(Runnable::run)
        .usageFlushInterval(Duration.ZERO);
  }

  IssuedKey create(NewKey request) {
    return service.create(request);
  }

  static void assertOk(HttpResponse<String> r, String body) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
  }

  /** Status, body, and exactly the refusal headers: absent when null. */
  static void assertRefused(HttpResponse<String> r, int status, String body,
      String challenge, String retryAfter) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(body);
    var h = r.headers();
    assertThat(h.allValues("Content-Type")).containsExactly("application/json");
    assertThat(h.allValues("Cache-Control")).containsExactly("no-store");
    assertThat(h.allValues("WWW-Authenticate"))
        .isEqualTo(challenge == null ? List.of() : List.of(challenge));
    assertThat(h.allValues("Retry-After"))
        .isEqualTo(retryAfter == null ? List.of() : List.of(retryAfter));
  }

  /** The 403 of a caller who lacks scopes, listing {@code required} as JSON strings. */
  static String forbidden(String... required) {
    StringBuilder scopes = new StringBuilder();
    for (String s : required) {
      scopes.append(scopes.length() == 0 ? "" : ",").append('"').append(s).append('"');
    }
    return "{\"detail\":\"" + FORBIDDEN + "\",\"required_scopes\":[" + scopes + "]}";
  }

  HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
    HttpRequest.Builder b = request(base, path);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  HttpResponse<String> post(URI base, String path, String... headers) throws Exception {
    HttpRequest.Builder b = request(base, path).POST(HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  static HttpRequest.Builder request(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}

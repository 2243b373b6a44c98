package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationEngine;
import dev.keygate.Keygate;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh store and clock per test, a Jetty serving a filter, and the response assertions. */
abstract class FilterTestBase {
  static final String CHALLENGE = "ApiKey realm=\"keygate\", header=\"X-API-Key\"";
  static final String NO_CREDENTIALS = "{\"detail\":\"Authentication credentials were not provided.\"}";
  static final String INVALID_KEY = "{\"detail\":\"Invalid API key.\"}";

  final Keys keys = new Keys();
  @Nullable AuthenticationEngine engine;
  @Nullable TestServer server;

  /** Serves the echo servlets behind a filter around the engine of the Keygate {@code keygate} builds. */
  TestServer serve(Keygate.Builder keygate, Consumer<KeygateFilter.Builder> filter) {
    engine = keygate.build().engine();
    KeygateFilter.Builder b = KeygateFilter.builder(engine);
    filter.accept(b);
    server = TestServer.start(b.build());
    return server;
  }

  /** Serves with the default engine and filter settings. */
  TestServer serve() {
    return serve(keys.keygate(), f -> {});
  }

  /** Declaratively configured filters (ServiceLoader) serve this test's store. */
  @BeforeEach
  void registerStore() {
    TestEngineFactory.keys = keys;
  }

  @AfterEach
  void stop() throws Exception {
    TestEngineFactory.keys = null;
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  /** Keygate's refusal: status, exact JSON body and exactly the headers the table prescribes. */
  static void assertRefused(HttpResponse<String> r, int status, String body, @Nullable String challenge,
      @Nullable String retryAfter) {
    assertThat(r.statusCode()).as("status").isEqualTo(status);
    assertThat(r.body()).as("body").isEqualTo(body);
    assertThat(r.headers().allValues("Content-Type")).containsExactly("application/json");
    assertThat(r.headers().allValues("Cache-Control")).containsExactly("no-store");
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(null)).as("WWW-Authenticate").isEqualTo(challenge);
    assertThat(r.headers().firstValue("Retry-After").orElse(null)).as("Retry-After").isEqualTo(retryAfter);
  }

  /** Like the other, for a response read off a socket. */
  static void assertRefused(TestServer.Raw r, int status, String body, @Nullable String challenge) {
    assertThat(r.status()).as("status").isEqualTo(status);
    assertThat(r.body()).as("body").isEqualTo(body);
    assertThat(r.headers()).containsEntry("content-type", "application/json")
        .containsEntry("cache-control", "no-store");
    assertThat(r.headers().get("www-authenticate")).isEqualTo(challenge);
  }

  /** A 200 from the echo servlet, parsed. */
  static Map<String, String> assertEchoed(HttpResponse<String> r) {
    assertThat(r.statusCode()).as("status (body: %s)", r.body()).isEqualTo(200);
    return EchoServlet.parse(r.body());
  }
}

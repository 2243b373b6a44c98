package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import dev.keygate.testing.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Whatever the filter and the engine log while refusing and admitting, no secret is in it. */
class NoSecretInLogsTest extends FilterTestBase {

  @Test
  void noKeyOrTokenIsLoggedOnAnyPath() {
    IssuedKey issued = keys.create(NewKey.named("n"));
    String wrong = Keys.wrongSecretFor(issued.key().id());
    String secretOf = issued.plaintext().substring(issued.plaintext().length() - 38, issued.plaintext().length() - 6);
    TestServer s = serve(keys.keygate().bearerAuthenticator(t -> {
      throw new IllegalStateException("key server down");
    }), f -> {});

    try (LogCapture logs = new LogCapture()) {
      assertEchoed(s.get("/orders", "X-API-Key", issued.plaintext()));
      assertThat(s.get("/orders", "X-API-Key", wrong).statusCode()).isEqualTo(401);
      assertThat(s.get("/orders", "Authorization", "Bearer top-secret-token").statusCode()).isEqualTo(503);
      keys.store.down(true);
      assertThat(s.get("/orders", "X-API-Key", Keys.unknownKey()).statusCode()).isEqualTo(503);
      keys.store.down(false);
      keys.service.revoke(issued.key().id());
      keys.clock.advance(Duration.ofMinutes(1));
      assertThat(s.get("/orders", "X-API-Key", issued.plaintext()).statusCode()).isEqualTo(401);

      assertThat(logs.lines()).as("something was logged").isNotEmpty();
      assertThat(logs.text()).doesNotContain(issued.plaintext()).doesNotContain(secretOf)
          .doesNotContain(wrong).doesNotContain("top-secret-token");
    }
  }
}

package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.hash.KeyHasher;
import dev.keygate.testkit.CountingHasher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a restart: keys, usage flushed on shutdown, and a bootstrap key printed only once. */
class SampleRestartTest {
  private static final String PREFIX = "Bootstrap admin key: ";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void bootstrapKeyIsPrintedOnceAndUsageIsFlushedOnShutdown(@TempDir Path dir) throws Exception {
    SampleConfig config = SampleConfig.fromEnv(Map.of("PORT", "0", "KEYGATE_DATA_DIR", dir.toString()));
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    String key;
    try (SampleApp app = SampleApp.start(config, Clock.systemUTC(), CountingHasher.cheapArgon2id(),
        new PrintStream(first, true, StandardCharsets.UTF_8))) {
      String out = first.toString(StandardCharsets.UTF_8);
      assertThat(out.lines().filter(l -> l.startsWith(PREFIX))).hasSize(1);
      key = out.lines().filter(l -> l.startsWith(PREFIX)).findFirst().orElseThrow().substring(PREFIX.length());
      for (int i = 0; i < 4; i++) {
        assertThat(get(app, "/api/v1/me", key).statusCode()).isEqualTo(200);
      }
    } // close(): stops Jetty and flushes the 4 uses

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    try (SampleApp app = SampleApp.start(config, Clock.systemUTC(), CountingHasher.cheapArgon2id(),
        new PrintStream(second, true, StandardCharsets.UTF_8))) {
      assertThat(second.toString(StandardCharsets.UTF_8)).doesNotContain(PREFIX);
      HttpResponse<String> list = get(app, "/api/v1/keys", key);
      assertThat(list.statusCode()).isEqualTo(200);
      JsonNode item = new ObjectMapper().readTree(list.body()).get("items").get(0);
      assertThat(item.get("name").asText()).isEqualTo("bootstrap admin");
      assertThat(item.get("usage_count").asLong()).as("4 uses before the restart, then this list call")
          .isBetween(4L, 5L);
    }
  }

  /**
   * A first start that fails between creating the default organization and issuing its key
   * (here: the hasher fails) must not lose the bootstrap key for good: the next start finds the
   * organization without a key and issues one.
   */
  @Test
  void aBootstrapInterruptedBeforeTheKeyIsCompletedByTheNextStart(@TempDir Path dir) throws Exception {
    SampleConfig config = SampleConfig.fromEnv(Map.of("PORT", "0", "KEYGATE_DATA_DIR", dir.toString()));
    ByteArrayOutputStream failed = new ByteArrayOutputStream();
    KeyHasher broken = new KeyHasher() {
      @Override
      public String hash(byte[] secret) {
        throw new IllegalStateException("disk on fire");
      }

      @Override
      public boolean verify(String encodedHash, byte[] secret) {
        return false;
      }

      @Override
      public boolean needsRehash(String encodedHash) {
        return false;
      }

      @Override
      public boolean supports(String encodedHash) {
        return false;
      }
    };
    assertThatThrownBy(() -> SampleApp.start(config, Clock.systemUTC(), broken, new PrintStream(failed, true,
        StandardCharsets.UTF_8))).hasMessageContaining("disk on fire");
    assertThat(failed.toString(StandardCharsets.UTF_8)).doesNotContain(PREFIX);

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    String key;
    try (SampleApp app = SampleApp.start(config, Clock.systemUTC(), CountingHasher.cheapArgon2id(),
        new PrintStream(second, true, StandardCharsets.UTF_8))) {
      String out = second.toString(StandardCharsets.UTF_8);
      assertThat(out.lines().filter(l -> l.startsWith(PREFIX))).hasSize(1);
      key = out.lines().filter(l -> l.startsWith(PREFIX)).findFirst().orElseThrow().substring(PREFIX.length());
      HttpResponse<String> me = get(app, "/api/v1/me", key);
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(me.body()).get("organization").asText()).isEqualTo("default");
    }

    ByteArrayOutputStream third = new ByteArrayOutputStream();
    try (SampleApp app = SampleApp.start(config, Clock.systemUTC(), CountingHasher.cheapArgon2id(),
        new PrintStream(third, true, StandardCharsets.UTF_8))) {
      assertThat(third.toString(StandardCharsets.UTF_8)).as("printed once").doesNotContain(PREFIX);
      assertThat(get(app, "/api/v1/me", key).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void jwtClockSkewIsZeroByDefaultAndAtMostAMinute() {
    assertThat(SampleConfig.fromEnv(Map.of()).jwtClockSkew()).isZero();
    assertThat(SampleConfig.fromEnv(Map.of("KEYGATE_JWT_CLOCK_SKEW_SECONDS", "60")).jwtClockSkew())
        .isEqualTo(java.time.Duration.ofMinutes(1));
    for (String bad : new String[] {"61", "-1", "3600", "five", "1.5", "99999999999"}) {
      assertThatThrownBy(() -> SampleConfig.fromEnv(Map.of("KEYGATE_JWT_CLOCK_SKEW_SECONDS", bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEYGATE_JWT_CLOCK_SKEW_SECONDS");
    }
  }

  @Test
  void badConfigurationFailsWithAMessageNamingTheVariable() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleConfig.fromEnv(Map.of("PORT", "eighty")))
        .hasMessageContaining("PORT");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleConfig.fromEnv(Map.of("KEYGATE_JWT_SECRET", "short")))
        .hasMessageContaining("KEYGATE_JWT_SECRET").hasMessageNotContaining("short");
  }

  private HttpResponse<String> get(SampleApp app, String path, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
  }
}

package dev.keygate.sample.spring;

import static dev.keygate.sample.spring.SampleHttp.bearer;
import static dev.keygate.sample.spring.SampleHttp.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.sample.spring.SampleHttp.Reply;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Whole starts of the sample, as {@code java -jar} makes them (each on a free port and a data
 * directory of its own under {@code target/}): the bootstrap admin key printed once, Bearer off
 * without a JWT secret, a short secret refused at start.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartsTest {
  static String dataDir() {
    return "./target/test-data/starts-" + UUID.randomUUID();
  }

  static ConfigurableApplicationContext start(String dataDir, String... more) {
    List<String> properties = new java.util.ArrayList<>(List.of("server.port=0", "KEYGATE_DATA_DIR=" + dataDir,
        "keygate.hasher.memory-kib=1024"));
    properties.addAll(List.of(more));
    return new SpringApplicationBuilder(SpringSampleApp.class).properties(properties.toArray(String[]::new)).run();
  }

  static SampleHttp http(ConfigurableApplicationContext app) {
    return new SampleHttp(Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port")));
  }

  static List<String> bootstrapLines(String output) {
    return output.lines().filter(l -> l.startsWith(BootstrapKey.LINE_PREFIX)).toList();
  }

  @Test
  void theBootstrapAdminKeyIsPrintedOnTheFirstStartOnly(CapturedOutput output) throws Exception {
    String dir = dataDir();
    String key;
    try (ConfigurableApplicationContext first = start(dir)) {
      List<String> lines = bootstrapLines(output.getOut());
      assertThat(lines).hasSize(1);
      key = lines.get(0).substring(BootstrapKey.LINE_PREFIX.length());
      assertThat(key).startsWith("kg_live_");
      assertThat(output.getErr()).doesNotContain(key);
      Reply me = http(first).get("/api/v1/me", key);
      assertThat(me.status()).isEqualTo(200);
      assertThat(me.text("organization")).isEqualTo("default");
      assertThat(me.json().path("scopes").isEmpty()).as("full access").isTrue();
      assertThat(http(first).get("/api/v1/keys", key).status()).as("it manages keys").isEqualTo(200);
    }
    int before = output.getOut().length();
    try (ConfigurableApplicationContext second = start(dir)) {
      assertThat(bootstrapLines(output.getOut().substring(before))).as("nothing on the second start").isEmpty();
      assertThat(http(second).get("/api/v1/me", key).status()).as("the same key, from the same data").isEqualTo(200);
    }
  }

  @Test
  void withoutAJwtSecretEveryBearerTokenIs401(CapturedOutput output) throws Exception {
    try (ConfigurableApplicationContext app = start(dataDir())) {
      String key = bootstrapLines(output.getOut()).get(0).substring(BootstrapKey.LINE_PREFIX.length());
      Reply token = http(app).get("/api/v1/me", null, bearer(jwt("alice", "acme", "datasets.read")));
      assertThat(token.status()).isEqualTo(401);
      assertThat(token.detail()).isEqualTo("Invalid bearer token.");
      assertThat(http(app).get("/api/v1/me", key).status()).as("keys work all the same").isEqualTo(200);
    }
  }

  @Test
  void aJwtSecretShorterThan32BytesStopsTheStart() {
    assertThatThrownBy(() -> start(dataDir(), "KEYGATE_JWT_SECRET=too-short").close())
        .rootCause().hasMessageContaining("KEYGATE_JWT_SECRET must be at least 32 bytes")
        .hasMessageNotContaining("too-short");
  }
}

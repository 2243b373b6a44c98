package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The management API over a key format of one prefix per environment, over real HTTP. */
class EnvironmentKeysTest {
  private final Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(format())
      .hasher(CountingHasher.cheapArgon2id()).usageFlushInterval(Duration.ZERO).build();
  private final String admin = keygate.keys().create(NewKey.named("admin").withOwner("acme").withEnvironment("live"))
      .plaintext();
  private Server server;

  private static KeyFormat format() {
    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put("test", "kg_test");
    prefixes.put("live", "kg_live");
    return KeyFormat.withEnvironments(prefixes);
  }

  private Http serve(KeyManagement management) throws Exception {
    server = Servers.servlet(new KeyManagementServlet(management), context -> {});
    return new Http("http://127.0.0.1:" + Servers.port(server) + "/api/v1");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    keygate.close();
  }

  @Test
  void keysAreCreatedInTheEnvironmentAskedForWithItsPrefixAndRotatedWithinIt() throws Exception {
    Http http = serve(KeyManagement.builder(keygate).build());
    assertThat(http.get("/environments", admin).json().get("environments").toString()).isEqualTo("[\"test\",\"live\"]");

    Http.Reply live = http.post("/keys", admin, "{\"name\":\"prod\",\"environment\":\"live\"}");
    assertThat(live.status()).isEqualTo(201);
    assertThat(live.json().get("key").asText()).startsWith("kg_live_");
    assertThat(live.json().get("hint").asText()).startsWith("kg_live_");
    assertThat(live.json().get("environment").asText()).isEqualTo("live");

    Http.Reply test = http.post("/keys", admin, "{\"name\":\"ci\",\"environment\":\"test\"}");
    assertThat(test.json().get("key").asText()).startsWith("kg_test_");
    Http.Reply rotated = http.post("/keys/" + test.json().get("id").asText() + "/rotate", admin, null);
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.json().get("key").asText()).startsWith("kg_test_" + test.json().get("id").asText());

    Http.Reply none = http.post("/keys", admin, "{\"name\":\"none\"}");
    assertThat(none.status()).isEqualTo(201);
    assertThat(none.json().get("environment").asText()).as("the first offered").isEqualTo("test");
    assertThat(none.json().get("key").asText()).startsWith("kg_test_");

    Http.Reply other = http.post("/keys", admin, "{\"name\":\"x\",\"environment\":\"staging\"}");
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.detail()).isEqualTo("environment: must be one of test, live (the key format's environments)");
  }

  @Test
  void theEnvironmentsOfferedMustBeTheFormatsAndTheFirstIsTheDefault() throws Exception {
    assertThatThrownBy(() -> KeyManagement.builder(keygate).environments("live", "staging"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environments: 'staging' is not one of the key format's [test, live]");
    Http http = serve(KeyManagement.builder(keygate).environments("live").build());
    assertThat(http.get("/environments", admin).json().get("environments").toString()).isEqualTo("[\"live\"]");
    Http.Reply none = http.post("/keys", admin, "{\"name\":\"none\"}");
    assertThat(none.json().get("environment").asText()).isEqualTo("live");
    assertThat(none.json().get("key").asText()).startsWith("kg_live_");
  }
}

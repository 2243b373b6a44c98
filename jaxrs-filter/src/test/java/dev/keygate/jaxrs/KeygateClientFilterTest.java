package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.keygate.KeyFormat;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link KeygateClientFilter} finds its key, and how it refuses to start without one. */
class KeygateClientFilterTest {
  private static final String KEY = KeyFormat.withPrefix("kg_live").generate().plaintext();
  private static final String OTHER = KeyFormat.withPrefix("ak_avalon").generate().plaintext();

  @TempDir Path dir;

  @Test
  void refusesToConstructWithoutAKeyAndSaysWhereItLooked() {
    assertThatThrownBy(() -> KeygateClientFilter.builder().environment(Map.of())
        .workingDirectory(dir).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("explicit key: none given")
        .hasMessageContaining("environment variable KEYGATE_API_KEY: not set")
        .hasMessageContaining(dir.toAbsolutePath().resolve(".env") + ": no such file");
  }

  @Test
  void saysWhenTheDotEnvFileLacksTheVariable() throws Exception {
    Files.writeString(dir.resolve(".env"), "OTHER=1\nKEYGATE_API_KEY_OLD=" + KEY + "\n");
    assertThatThrownBy(() -> KeygateClientFilter.builder()
        .environment(Map.of("KEYGATE_API_KEY", " ")).workingDirectory(dir).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("environment variable KEYGATE_API_KEY: empty")
        .hasMessageContaining("no KEYGATE_API_KEY line");
  }

  @Test
  void saysWhenTheDotEnvLineIsEmpty() throws Exception {
    Files.writeString(dir.resolve(".env"), "KEYGATE_API_KEY=  \n");
    assertThatThrownBy(() -> KeygateClientFilter.builder().environment(Map.of())
        .workingDirectory(dir).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KEYGATE_API_KEY is empty");
  }

  @Test
  void looksAtTheRealEnvironmentAndTheWorkingDirectoryByDefault() {
    String variable = "KEYGATE_TEST_NEVER_SET_" + System.nanoTime();
    assertThatThrownBy(() -> KeygateClientFilter.builder().environmentVariable(variable).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("environment variable " + variable + ": not set")
        .hasMessageContaining(Path.of("").toAbsolutePath().resolve(".env") + ": no such file");
  }

  @Test
  void acceptsTheShortestAndTheLongestPrefix() {
    for (String prefix : List.of("a", "p".repeat(KeyFormat.MAX_PREFIX_LENGTH))) {
      String key = KeyFormat.withPrefix(prefix).generate().plaintext();
      KeygateClientFilter filter = KeygateClientFilter.withApiKey(key);
      assertThat(filter.header()).isEqualTo("X-API-Key");
      assertThat(filter.toString()).doesNotContain(key);
    }
  }

  @Test
  void refusesAMalformedKeyWithoutShowingIt() {
    String malformed = KEY.substring(0, KEY.length() - 1) + (KEY.endsWith("a") ? "b" : "a");
    assertThatThrownBy(() -> KeygateClientFilter.withApiKey(malformed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("explicitly given key is malformed")
        .hasMessageNotContaining(malformed)
        .hasMessageNotContaining(malformed.substring(8, 40));
    assertThatThrownBy(() -> KeygateClientFilter.builder()
        .environment(Map.of("KEYGATE_API_KEY", "secret-but-not-a-key")).workingDirectory(dir).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("environment variable KEYGATE_API_KEY is malformed")
        .hasMessageNotContaining("secret-but-not-a-key");
    assertThatThrownBy(() -> KeygateClientFilter.withApiKey("NOT_" + KEY.substring(8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsAnyValidPrefixUnlessAFormatIsGiven() {
    assertThat(KeygateClientFilter.withApiKey(OTHER).source()).isEqualTo("the explicitly given key");
    assertThatThrownBy(() -> KeygateClientFilter.builder().apiKey(OTHER)
        .format(KeyFormat.withPrefix("kg_live")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected prefix kg_live_");
    assertThat(KeygateClientFilter.builder().apiKey(KEY).format(KeyFormat.withPrefix("kg_live"))
        .build()).isNotNull();
  }

  @Test
  void takesTheExplicitKeyFirstThenTheEnvironmentThenDotEnv() throws Exception {
    Files.writeString(dir.resolve(".env"), "KEYGATE_API_KEY=" + OTHER + "\n");
    Map<String, String> env = Map.of("KEYGATE_API_KEY", KEY);
    assertThat(KeygateClientFilter.builder().apiKey(KEY).environment(Map.of("KEYGATE_API_KEY", OTHER))
        .workingDirectory(dir).build().source()).isEqualTo("the explicitly given key");
    assertThat(sent(KeygateClientFilter.builder().environment(env).workingDirectory(dir).build()))
        .isEqualTo(KEY);
    assertThat(sent(KeygateClientFilter.builder().environment(Map.of()).workingDirectory(dir)
        .build())).isEqualTo(OTHER);
  }

  @Test
  void readsAConfiguredVariableNameFromEnvironmentAndDotEnv() throws Exception {
    Files.writeString(dir.resolve(".env"), "AVALA_KEY='" + OTHER + "'\n");
    KeygateClientFilter fromEnv = KeygateClientFilter.builder().environmentVariable("AVALA_KEY")
        .environment(Map.of("AVALA_KEY", KEY, "KEYGATE_API_KEY", OTHER)).workingDirectory(dir).build();
    assertThat(fromEnv.source()).isEqualTo("environment variable AVALA_KEY");
    KeygateClientFilter fromFile = KeygateClientFilter.builder().environmentVariable("AVALA_KEY")
        .environment(Map.of("KEYGATE_API_KEY", KEY)).workingDirectory(dir).build();
    assertThat(fromFile.source()).isEqualTo("AVALA_KEY in " + dir.toAbsolutePath().resolve(".env"));
    assertThat(sent(fromFile)).isEqualTo(OTHER);
  }

  @Test
  void sendsTheKeyInAConfiguredHeaderAndKeepsAHeaderAlreadySet() throws Exception {
    KeygateClientFilter filter = KeygateClientFilter.builder().apiKey(KEY).header("X-Avala-Api-Key")
        .build();
    MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
    filter.filter(context(headers));
    assertThat(headers).containsExactly(Map.entry("X-Avala-Api-Key", List.of(KEY)));

    MultivaluedMap<String, Object> preset = new MultivaluedHashMap<>();
    preset.putSingle("X-Avala-Api-Key", OTHER);
    filter.filter(context(preset));
    assertThat(preset.get("X-Avala-Api-Key")).containsExactly(OTHER);
  }

  @Test
  void neverShowsTheKeyInToString() {
    KeygateClientFilter filter = KeygateClientFilter.withApiKey(KEY);
    assertThat(filter.toString()).doesNotContain(KEY).doesNotContain(KEY.substring(20))
        .contains(KEY.substring(0, "kg_live_".length() + 12) + "…").contains("X-API-Key");
  }

  @Test
  void rejectsBadSettingsAtOnce() {
    assertThatThrownBy(() -> KeygateClientFilter.builder().apiKey(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeygateClientFilter.builder().apiKey(KEY).apiKey(KEY))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KeygateClientFilter.builder().header("X API Key"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeygateClientFilter.builder().environmentVariable("1-BAD"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachSettingIsGivenOnceAndASecondCallNamesItsValueButNeverAKeyOrTheEnvironment() {
    assertThatThrownBy(() -> KeygateClientFilter.builder().apiKey(KEY).apiKey(OTHER))
        .isInstanceOf(IllegalStateException.class).hasMessage("apiKey was already set");
    assertThatThrownBy(() -> KeygateClientFilter.builder().header("X-A").header("X-B"))
        .isInstanceOf(IllegalStateException.class).hasMessage("header was already set to X-A");
    assertThatThrownBy(() -> KeygateClientFilter.builder().environmentVariable("A").environmentVariable("B"))
        .isInstanceOf(IllegalStateException.class).hasMessage("environmentVariable was already set to A");
    assertThatThrownBy(() -> KeygateClientFilter.builder().environment(Map.of("KEYGATE_API_KEY", KEY))
        .environment(Map.of())).isInstanceOf(IllegalStateException.class)
        .hasMessage("environment was already set to 1 variables");
    assertThatThrownBy(() -> KeygateClientFilter.builder().workingDirectory(Path.of("/a")).workingDirectory(Path.of("/b")))
        .isInstanceOf(IllegalStateException.class).hasMessage("workingDirectory was already set to /a");
    KeyFormat live = KeyFormat.withPrefix("kg_live");
    assertThatThrownBy(() -> KeygateClientFilter.builder().format(live).format(live))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("format was already set to ");
  }

  private static String sent(KeygateClientFilter filter) throws Exception {
    MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
    filter.filter(context(headers));
    return (String) headers.getFirst("X-API-Key");
  }

  private static ClientRequestContext context(MultivaluedMap<String, Object> headers) {
    ClientRequestContext context = mock(ClientRequestContext.class);
    when(context.getHeaders()).thenReturn(headers);
    return context;
  }
}

package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.memory.InMemoryApiKeyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KeygateFeature's settings: closed defaults, and each given at most once (as every Keygate builder). */
class KeygateFeatureBuilderTest {
  private final Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore())
      .keyFormat(KeyFormat.withPrefix("kg_test")).build();

  @AfterEach
  void close() {
    keygate.close();
  }

  @Test
  void preflightsAndBearerTokensAreNotLetThroughByDefault() {
    KeygateFeature feature = new KeygateFeature(keygate);

    assertThat(feature.allowsPreflight()).isFalse();
    assertThat(feature).hasToString("KeygateFeature[" + keygate.engine()
        + ", allowPreflight=false, deferBearerTokens=false]");
  }

  @Test
  void settingsGivenAsFalseStayFalse() {
    KeygateFeature feature = KeygateFeature.builder(keygate).allowPreflight(false).deferBearerTokens(false).build();

    assertThat(feature.allowsPreflight()).isFalse();
    assertThat(feature.toString()).contains("allowPreflight=false", "deferBearerTokens=false");
  }

  @Test
  void eachSettingIsGivenOnceAndASecondCallNamesItsValue() {
    KeygateFeature.Builder b = KeygateFeature.builder(keygate).allowPreflight(true).deferBearerTokens(true)
        .peerAddress(request -> null);

    assertThatThrownBy(() -> b.allowPreflight(false)).isInstanceOf(IllegalStateException.class)
        .hasMessage("allowPreflight was already set to true");
    assertThatThrownBy(() -> b.deferBearerTokens(false)).isInstanceOf(IllegalStateException.class)
        .hasMessage("deferBearerTokens was already set to true");
    assertThatThrownBy(() -> b.peerAddress(request -> "10.0.0.1")).isInstanceOf(IllegalStateException.class)
        .hasMessage("peerAddress was already set");
    assertThat(b.build().allowsPreflight()).isTrue();
  }
}

package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every engine setting is checked as it is given, naming the setting and the value. */
class EngineSettingsTest {
  private final AuthenticationEngine.Builder b = AuthenticationEngine.builder();

  @Test
  void headerNamesAreHttpTokensOfAtMost64Characters() {
    assertThat(b.apiKeyHeaders("h".repeat(64))).isSameAs(b);
    assertThatThrownBy(() -> b.apiKeyHeaders("h".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.apiKeyHeaders()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one API-key header name is required");
    assertThatThrownBy(() -> b.apiKeyHeaders("X-API-Key", "X API Key")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid header name: 'X API Key'");
    assertThatThrownBy(() -> b.apiKeyHeaders((String) null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid header name: 'null'");
    assertThatThrownBy(() -> b.apiKeyHeaders("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cacheBoundsArePositive() {
    assertThat(b.cache(1, Duration.ofMillis(1)).negativeCache(1, Duration.ofMillis(1))).isSameAs(b);
    assertThatThrownBy(() -> b.cache(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache maximumSize must be positive, got 0");
    assertThatThrownBy(() -> b.cache(10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache ttl must be positive, got PT0S");
    assertThatThrownBy(() -> b.cache(10, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.negativeCache(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative cache maximumSize must be positive, got 0");
    assertThatThrownBy(() -> b.negativeCache(10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative cache ttl must be positive, got PT0S");
  }

  @Test
  void hashingNeedsASlotAndANonNegativeWait() {
    assertThat(b.hashing(1, Duration.ZERO)).isSameAs(b);
    assertThatThrownBy(() -> b.hashing(0, Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentHashes must be positive, got 0");
    assertThatThrownBy(() -> b.hashing(1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hashing wait must not be negative, got PT-0.001S");
  }

  @Test
  void theFlushIntervalIsNotNegative() {
    assertThat(b.usageFlushInterval(Duration.ZERO)).isSameAs(b);
    assertThatThrownBy(() -> b.usageFlushInterval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("usageFlushInterval must not be negative, got PT-0.001S");
  }

  @Test
  void trustedProxiesAreCheckedWhenGiven() {
    assertThatThrownBy(() -> b.trustedProxies(List.of("10.0.0.0/8", "proxy.internal")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
  }

  @Test
  void storeAndFormatAreRequired() {
    KeyFormat format = KeyFormat.withPrefix("kg_test");
    assertThatThrownBy(() -> AuthenticationEngine.builder().format(format).build())
        .isInstanceOf(NullPointerException.class).hasMessage("store is required");
    assertThatThrownBy(() -> AuthenticationEngine.builder().store(new InMemoryApiKeyStore()).build())
        .isInstanceOf(NullPointerException.class).hasMessage("format is required");
    AuthenticationEngine e = AuthenticationEngine.builder().store(new InMemoryApiKeyStore()).format(format)
        .hasher(new CountingHasher()).usageFlushInterval(Duration.ZERO).build();
    e.close();
  }
}

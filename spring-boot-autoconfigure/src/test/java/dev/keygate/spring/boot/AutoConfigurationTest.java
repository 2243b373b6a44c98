package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationEngine;
import dev.keygate.Keygate;
import dev.keygate.KeyFormat;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.hash.KeyHasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.micrometer.KeygateMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What the auto-configuration builds from the properties, and what it refuses, without a server. */
@ExtendWith(OutputCaptureExtension.class)
class AutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KeygateAutoConfiguration.class, KeygateMetricsAutoConfiguration.class))
      .withPropertyValues("keygate.hasher.memory-kib=1024");

  @Test
  void theDefaultsAreArgon2idInMemoryAndTheKgPrefix(CapturedOutput output) {
    runner.run(context -> {
      assertThat(output.getOut() + output.getErr()).contains("Keygate keeps its keys in memory");
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(KeyHasher.class)).isInstanceOf(Argon2idHasher.class);
      assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(InMemoryApiKeyStore.class);
      assertThat(context.getBean(AuthenticationEngine.class).format().prefix()).isEqualTo("kg");
      assertThat(context.getBean(AuthenticationEngine.class).apiKeyHeaders()).containsExactly("X-API-Key");
      assertThat(context).hasSingleBean(KeygateMetrics.class);
      assertThat(context.getBean(Keygate.class).keys().create(dev.keygate.NewKey.named("k")).plaintext()).startsWith("kg_");
    });
  }

  @Test
  void propertiesReachTheEngine() {
    runner.withPropertyValues("keygate.key-prefix=sk_live", "keygate.header-names=X-Api-Token,X-API-Key",
        "keygate.hasher.algorithm=hmac-sha256", "keygate.hasher.pepper=0123456789abcdef0123456789abcdef")
        .run(context -> {
          assertThat(context).hasNotFailed();
          AuthenticationEngine engine = context.getBean(AuthenticationEngine.class);
          assertThat(engine.format().prefix()).isEqualTo("sk_live");
          assertThat(engine.apiKeyHeaders()).containsExactly("X-Api-Token", "X-API-Key");
          assertThat(context.getBean(KeyHasher.class)).isInstanceOf(HmacSha256Hasher.class);
          assertThat(context.getBean(KeygateProperties.class).toString()).contains("peppered")
              .doesNotContain("0123456789abcdef");
        });
  }

  @Test
  void theApplicationsOwnBeansWin() {
    InMemoryApiKeyStore mine = new InMemoryApiKeyStore();
    KeyHasher hasher = Argon2idHasher.builder().memoryKib(1024).iterations(1).build();
    runner.withBean(ApiKeyStore.class, () -> mine).withBean(KeyHasher.class, () -> hasher).run(context -> {
      assertThat(context.getBean(ApiKeyStore.class)).isSameAs(mine);
      assertThat(context.getBean(KeyHasher.class)).isSameAs(hasher);
    });
    Keygate own = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("own")).build();
    runner.withBean(Keygate.class, () -> own).run(context -> {
      assertThat(context.getBean(Keygate.class)).isSameAs(own);
      assertThat(context.getBean(AuthenticationEngine.class)).isSameAs(own.engine());
    });
  }

  @Test
  void badSettingsFailTheStartNamingTheProperty() {
    runner.withPropertyValues("keygate.hasher.algorithm=md5").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("keygate.hasher.algorithm"));
    runner.withPropertyValues("keygate.hasher.algorithm=hmac-sha256").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("keygate.hasher.pepper"));
    runner.withPropertyValues("keygate.hasher.pepper=short").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("16 bytes").hasMessageNotContaining("short"));
    runner.withPropertyValues("keygate.store.type=jdbc").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("keygate.store.type=jdbc"));
    runner.withPropertyValues("keygate.store.type=redis").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("auto, jdbc or memory"));
    runner.withPropertyValues("keygate.forwarding-header=X-Real-IP").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("keygate.forwarding-header"));
    runner.withPropertyValues("keygate.key-prefix=has space").run(context ->
        assertThat(context).hasFailed());
  }
}

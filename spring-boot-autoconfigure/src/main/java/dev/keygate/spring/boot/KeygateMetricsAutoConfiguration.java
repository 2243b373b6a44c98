package dev.keygate.spring.boot;

import dev.keygate.AuthenticationEngine;
import dev.keygate.micrometer.KeygateMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer (Actuator brings it): Keygate's meters ({@link KeygateMetrics}), which Spring
 * Boot binds to every {@link MeterRegistry} it configures, so they appear under
 * {@code /actuator/metrics/keygate.*} and in every exporter.
 */
@AutoConfiguration(after = KeygateAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, KeygateMetrics.class})
public class KeygateMetricsAutoConfiguration {
  /**
   * The engine's meters.
   *
   * @param engine the engine
   * @return its meter binder
   */
  @Bean
  @ConditionalOnMissingBean
  public KeygateMetrics keygateMetrics(AuthenticationEngine engine) {
    return new KeygateMetrics(engine);
  }
}

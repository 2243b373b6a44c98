package dev.keygate.spring.boot;

import dev.keygate.ApiKeyStore;
import dev.keygate.Keygate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** With Actuator's health: {@code keygate}, the store's health ({@link KeygateHealthIndicator}). */
@AutoConfiguration(after = KeygateAutoConfiguration.class,
    beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnEnabledHealthIndicator("keygate")
public class KeygateHealthAutoConfiguration {
  /**
   * The store's health, as {@code keygate} under {@code /actuator/health}.
   *
   * @param store the store
   * @param keygate the root object (its clock dates outages)
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "keygateHealthIndicator")
  public KeygateHealthIndicator keygateHealthIndicator(ApiKeyStore store, Keygate keygate) {
    return new KeygateHealthIndicator(store, keygate.clock());
  }
}

package dev.keygate.spring.boot;

import dev.keygate.AuthenticationEngine;
import dev.keygate.spring.security.KeygateConfigurer;
import dev.keygate.spring.security.KeygateRefusalHandler;
import dev.keygate.spring.security.ScopeAuthorities;
import dev.keygate.management.KeyManagement;
import dev.keygate.management.KeyManagementFilter;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Keygate with Spring Security: the {@link ScopeAuthorities} of {@code keygate.scopes}; when the
 * application defines no {@code SecurityFilterChain}, one that requires a key everywhere but
 * {@code keygate.public-paths} (in place of Spring Boot's default, which would ask for a
 * password); and, when the management API is on, a chain of its own for its paths, ahead of the
 * application's, that leaves authentication to the API. An application that defines its own chain
 * adds {@code .with(KeygateConfigurer.keygate(), Customizer.withDefaults())} to it.
 */
@AutoConfiguration(after = KeygateAutoConfiguration.class, beforeName = {
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import({KeygateSecurityAutoConfiguration.DefaultChain.class, KeygateSecurityAutoConfiguration.ManagementChain.class})
public class KeygateSecurityAutoConfiguration {
  /** The bean name of the management API's chain. */
  static final String MANAGEMENT_CHAIN = "keygateManagementSecurityFilterChain";
  /**
   * Spring authorities for keys, spelled out against {@code keygate.scopes}.
   *
   * @param properties the {@code keygate.*} properties
   * @return the mapping
   */
  @Bean
  @ConditionalOnMissingBean
  public ScopeAuthorities keygateScopeAuthorities(KeygateProperties properties) {
    return ScopeAuthorities.of(properties.getScopes().keySet());
  }

  /**
   * Keygate's answers to Spring Security's refusals, for the configurer and for an application's
   * own {@code @ExceptionHandler} of {@code AccessDeniedException}.
   *
   * @param engine the engine
   * @return the handler
   */
  @Bean
  @ConditionalOnMissingBean
  public KeygateRefusalHandler keygateRefusalHandler(AuthenticationEngine engine) {
    return new KeygateRefusalHandler(engine);
  }

  /**
   * Every request needs a key, but the public paths. Applies when the application defines no
   * chain; Keygate's management chain does not count (with Spring Boot's own condition it did,
   * when registered first, and then no chain at all protected the application's routes).
   */
  @Configuration(proxyBeanMethods = false)
  @Conditional(NoApplicationChain.class)
  static class DefaultChain {
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE - 10)
    SecurityFilterChain keygateSecurityFilterChain(HttpSecurity http, KeygateProperties properties) throws Exception {
      List<String> open = properties.getPublicPaths();
      http.authorizeHttpRequests(a -> a.requestMatchers(KeygateConfigurer.paths(open)).permitAll()
          .anyRequest().authenticated());
      // stateless: a key on every request, no session, so nothing for CSRF to protect
      http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .csrf(AbstractHttpConfigurer::disable)
          .with(KeygateConfigurer.keygate().ignoring(open.toArray(String[]::new)), Customizer.withDefaults());
      return http.build();
    }
  }

  /**
   * The management API's routes and the page: the API decides who calls it (and applies its own
   * CSRF rule); the application's own routes under the API's base path stay in its chain.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.keygate.management.KeyManagement")
  @ConditionalOnBooleanProperty("keygate.management.enabled")
  static class ManagementChain {
    @Bean(MANAGEMENT_CHAIN)
    @Order(Ordered.HIGHEST_PRECEDENCE + 100)
    SecurityFilterChain keygateManagementSecurityFilterChain(HttpSecurity http, KeygateProperties properties,
        ObjectProvider<KeyManagement> management) throws Exception {
      KeyManagement api = management.getIfAvailable();
      RequestMatcher page = KeygateConfigurer.paths(KeygatePaths.pagePatterns(properties));
      if (api == null) {
        http.securityMatcher(page); // the application replaced the API by nothing: only the page
      } else {
        KeyManagementFilter routes = KeyManagementFilter.at(KeygatePaths.base(properties.getManagement().getPath()), api);
        http.securityMatcher(request -> routes.answers(request) || page.matches(request));
      }
      http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
          .csrf(AbstractHttpConfigurer::disable)
          .requestCache(AbstractHttpConfigurer::disable);
      return http.build();
    }
  }

  /** No {@code SecurityFilterChain} bean but Keygate's management chain. */
  static final class NoApplicationChain extends SpringBootCondition implements ConfigurationCondition {
    @Override
    public ConfigurationPhase getConfigurationPhase() {
      return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      ConfigurableListableBeanFactory beans = context.getBeanFactory();
      List<String> chains = beans == null ? List.of()
          : Arrays.stream(beans.getBeanNamesForType(SecurityFilterChain.class, true, false))
              .filter(name -> !name.equals(MANAGEMENT_CHAIN)).toList();
      return chains.isEmpty() ? ConditionOutcome.match("the application defines no SecurityFilterChain")
          : ConditionOutcome.noMatch("the application defines SecurityFilterChain beans " + chains);
    }
  }
}

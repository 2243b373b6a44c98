package dev.keygate.spring.boot;

import dev.keygate.spring.security.KeygateConfigurer;
import dev.keygate.spring.security.ScopeAuthorities;
import dev.keygate.management.KeyManagement;
import dev.keygate.management.KeyManagementFilter;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
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
@AutoConfiguration(after = KeygateAutoConfiguration.class,
    beforeName = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class, ConditionalOnDefaultWebSecurity.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import({KeygateSecurityAutoConfiguration.DefaultChain.class, KeygateSecurityAutoConfiguration.ManagementChain.class})
public class KeygateSecurityAutoConfiguration {
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

  /** Every request needs a key, but the public paths; evaluated before the management chain exists. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnDefaultWebSecurity
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
  static class ManagementChain {
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 100)
    SecurityFilterChain keygateManagementSecurityFilterChain(HttpSecurity http, KeygateProperties properties,
        ObjectProvider<KeyManagement> management) throws Exception {
      KeyManagement api = management.getIfAvailable();
      RequestMatcher page = KeygateConfigurer.paths(KeygatePaths.pagePatterns(properties));
      if (api == null || !properties.getManagement().isEnabled()) {
        http.securityMatcher(request -> false); // management off: a chain that matches nothing
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
}

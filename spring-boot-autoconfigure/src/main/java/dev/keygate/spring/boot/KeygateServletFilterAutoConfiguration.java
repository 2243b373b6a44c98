package dev.keygate.spring.boot;

import dev.keygate.Keygate;
import dev.keygate.servlet.KeygateFilter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Without Spring Security: Keygate's servlet filter in front of every path but {@code
 * keygate.public-paths} (and the management API and page, which authenticate themselves), with the
 * scope rules of {@code keygate.scope-rules}. It runs early ({@link #ORDER}), before the
 * application's filters, and after the management API's.
 */
@AutoConfiguration(after = KeygateAutoConfiguration.class)
@ConditionalOnClass(KeygateFilter.class)
@ConditionalOnMissingClass("org.springframework.security.web.SecurityFilterChain")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class KeygateServletFilterAutoConfiguration {
  /** The filter's order: after the management API's filter, which authenticates its callers itself. */
  public static final int ORDER = KeygateManagementAutoConfiguration.ORDER + 1;

  /**
   * The filter's registration.
   *
   * @param keygate the root object
   * @param properties the {@code keygate.*} properties
   * @return the registration, for every path
   */
  @Bean
  @ConditionalOnMissingBean(name = "keygateFilter")
  public FilterRegistrationBean<KeygateFilter> keygateFilter(Keygate keygate, KeygateProperties properties) {
    List<String> open = new ArrayList<>(properties.getPublicPaths());
    open.addAll(KeygatePaths.pagePatterns(properties));
    KeygateFilter.Builder b = KeygateFilter.builder(keygate).publicPaths(open.toArray(String[]::new));
    properties.getScopeRules().forEach(b::scopeRule);
    FilterRegistrationBean<KeygateFilter> r = new FilterRegistrationBean<>(b.build());
    r.setName("keygateFilter");
    r.setOrder(ORDER);
    r.addUrlPatterns("/*");
    return r;
  }
}

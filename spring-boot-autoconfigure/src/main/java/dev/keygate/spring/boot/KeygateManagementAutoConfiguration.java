package dev.keygate.spring.boot;

import dev.keygate.Keygate;
import dev.keygate.management.ApiKeysPageServlet;
import dev.keygate.management.KeyManagement;
import dev.keygate.management.KeyManagementFilter;
import dev.keygate.management.ManagementAccess;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The key-management API ({@code keygate.management.enabled=true}, at {@code keygate.management.path})
 * and the API Keys page ({@code keygate.management.page.enabled=true}). The API authenticates its
 * callers itself (a key with {@code keygate.management.admin-scope}, or the application's {@link
 * ManagementAccess} bean); with Spring Security, {@link KeygateSecurityAutoConfiguration} gives
 * both paths a chain of their own that leaves that decision to the API.
 */
@AutoConfiguration(after = KeygateAutoConfiguration.class)
@ConditionalOnClass(KeyManagement.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty("keygate.management.enabled")
public class KeygateManagementAutoConfiguration {
  /** The management filter's order: right after Spring Security's filter (order -100). */
  public static final int ORDER = -99;

  /**
   * The management API: scope catalogue and environments from the properties.
   *
   * @param keygate the root object
   * @param properties the {@code keygate.*} properties
   * @param access the application's access rule, if it defines one
   * @return the API
   */
  @Bean
  @ConditionalOnMissingBean
  public KeyManagement keygateKeyManagement(Keygate keygate, KeygateProperties properties,
      ObjectProvider<ManagementAccess> access) {
    KeyManagement.Builder b = KeyManagement.builder(keygate);
    ManagementAccess custom = access.getIfAvailable();
    if (custom != null) {
      b.access(custom);
    } else {
      b.adminScope(properties.getManagement().getAdminScope());
    }
    properties.getScopes().forEach(b::scope);
    if (!properties.getManagement().getEnvironments().isEmpty()) {
      b.environments(properties.getManagement().getEnvironments().toArray(String[]::new));
    }
    return b.build();
  }

  /**
   * The API at {@code keygate.management.path}, as a filter: its routes below the base are
   * answered there, and the application's own routes under the same base go on to the
   * application. It runs right after where Spring Security's filter runs ({@link #ORDER}) and
   * before Keygate's servlet filter, which therefore never sees the API's requests.
   *
   * @param management the API
   * @param properties the {@code keygate.*} properties
   * @return its registration
   */
  @Bean
  public FilterRegistrationBean<KeyManagementFilter> keygateManagementFilter(KeyManagement management,
      KeygateProperties properties) {
    String base = KeygatePaths.base(properties.getManagement().getPath());
    FilterRegistrationBean<KeyManagementFilter> r = new FilterRegistrationBean<>(KeyManagementFilter.at(base, management));
    r.setName("keygateManagement");
    r.addUrlPatterns(base + "/*");
    r.setOrder(ORDER);
    return r;
  }

  /**
   * The API Keys page at {@code keygate.management.page.path}.
   *
   * @param properties the {@code keygate.*} properties
   * @param access the application's access rule: a session-based one makes the page sign in by session
   * @return its registration
   */
  @Bean
  @ConditionalOnBooleanProperty("keygate.management.page.enabled")
  public ServletRegistrationBean<ApiKeysPageServlet> keygateApiKeysPage(KeygateProperties properties,
      ObjectProvider<ManagementAccess> access) {
    KeygateProperties.Management m = properties.getManagement();
    ManagementAccess custom = access.getIfAvailable();
    ApiKeysPageServlet.SignIn signIn = custom != null && custom.ambient() ? ApiKeysPageServlet.SignIn.SESSION
        : ApiKeysPageServlet.SignIn.KEY;
    ServletRegistrationBean<ApiKeysPageServlet> r = new ServletRegistrationBean<>(
        ApiKeysPageServlet.of(KeygatePaths.base(m.getPath()), m.getPage().getProductName(), signIn),
        KeygatePaths.mapping(m.getPage().getPath()));
    r.setName("keygateApiKeysPage");
    return r;
  }

}

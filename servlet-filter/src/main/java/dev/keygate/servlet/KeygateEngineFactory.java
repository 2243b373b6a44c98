package dev.keygate.servlet;

import dev.keygate.AuthenticationEngine;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;

/**
 * Supplies the engine of a {@link KeygateFilter} configured in {@code web.xml}: at least its
 * store and key format, and whatever else the deployment needs (hasher, caches, Bearer
 * authenticator, listeners). The filter then applies its own init-parameters ({@code
 * apiKeyHeaders}, {@code requireHttps}, {@code trustedProxies}), which override what this sets,
 * builds the engine, and closes it when the filter is destroyed.
 *
 * <p>The filter finds a factory in the servlet-context attribute named by its {@code
 * engineAttribute} init-parameter (default {@value KeygateFilter#ENGINE_ATTRIBUTE}), or else
 * through {@link java.util.ServiceLoader}: list the implementation's class name in {@code
 * META-INF/services/dev.keygate.servlet.KeygateEngineFactory}. A service implementation needs a
 * public no-argument constructor.
 */
@FunctionalInterface
public interface KeygateEngineFactory {
  /**
   * Configures the engine the filter is about to build.
   *
   * @param engine a fresh builder; set at least {@code store} and {@code format}
   * @param filterConfig the filter's configuration (its name, servlet context and
   *     init-parameters)
   * @throws ServletException if the engine cannot be configured (the filter then fails to start,
   *     and the container serves nothing through it)
   */
  void configure(AuthenticationEngine.Builder engine, FilterConfig filterConfig) throws ServletException;
}

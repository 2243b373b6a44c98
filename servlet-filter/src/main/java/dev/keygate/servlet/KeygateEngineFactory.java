package dev.keygate.servlet;

import dev.keygate.Keygate;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;

/**
 * Configures the {@link Keygate} whose engine a {@link KeygateFilter} configured in {@code
 * web.xml} uses: at least its store and key format, and whatever else the deployment needs
 * (hasher, caches, Bearer authenticator, listeners). The filter then applies its own
 * init-parameters ({@code apiKeyHeaders}, {@code requireHttps}, {@code trustedProxies}, {@code
 * forwardingHeader}), builds the {@code Keygate}, and closes it when the filter is destroyed. A
 * setting is given in one place: an init-parameter for a setting the factory already made fails
 * the filter's start, naming both.
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
   * Configures the {@code Keygate} the filter is about to build.
   *
   * @param keygate a fresh builder; set at least {@code store} and {@code keyFormat}
   * @param filterConfig the filter's configuration (its name, servlet context and
   *     init-parameters)
   * @throws ServletException if it cannot be configured (the filter then fails to start, and the
   *     container serves nothing through it)
   */
  void configure(Keygate.Builder keygate, FilterConfig filterConfig) throws ServletException;
}

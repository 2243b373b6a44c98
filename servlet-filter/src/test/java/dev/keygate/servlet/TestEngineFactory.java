package dev.keygate.servlet;

import dev.keygate.Keygate;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;

/**
 * The {@link KeygateEngineFactory} that {@code META-INF/services} registers for the tests; it
 * serves the store of whichever test set {@link #keys}.
 */
public class TestEngineFactory implements KeygateEngineFactory {
  static volatile Keys keys;

  @Override
  public void configure(Keygate.Builder keygate, FilterConfig filterConfig) throws ServletException {
    Keys k = keys;
    if (k == null) {
      throw new ServletException("no test store");
    }
    k.configure(keygate);
  }
}

package dev.keygate.servlet;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;

/**
 * The {@link KeygateEngineFactory} that {@code META-INF/services} registers for the tests; it
 * serves the store of whichever test set {@link #keys}.
 */
public class TestEngineFactory implements KeygateEngineFactory {
  static volatile Keys keys;
  /** The key format of the engines made, when a test needs another than {@link Keys#FORMAT}. */
  static volatile KeyFormat format;

  @Override
  public void configure(Keygate.Builder keygate, FilterConfig filterConfig) throws ServletException {
    Keys k = keys;
    if (k == null) {
      throw new ServletException("no test store");
    }
    KeyFormat f = format;
    if (f == null) {
      k.configure(keygate);
    } else {
      k.configure(keygate, f);
    }
  }
}

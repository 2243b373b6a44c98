package dev.keygate.servlet;

import dev.keygate.Keygate;
import jakarta.servlet.FilterConfig;

/** A second registered factory, to show that two are refused. */
public class SecondEngineFactory implements KeygateEngineFactory {
  @Override
  public void configure(Keygate.Builder keygate, FilterConfig filterConfig) {
    throw new AssertionError("never used");
  }
}

package dev.keygate.servlet;

import dev.keygate.AuthenticationEngine;
import jakarta.servlet.FilterConfig;

/** A second registered factory, to show that two are refused. */
public class SecondEngineFactory implements KeygateEngineFactory {
  @Override
  public void configure(AuthenticationEngine.Builder engine, FilterConfig filterConfig) {
    throw new AssertionError("never used");
  }
}

package dev.keygate.docs.servlet;

import dev.keygate.AuthenticationEngine;
import dev.keygate.KeyFormat;
import dev.keygate.servlet.KeygateEngineFactory;
import jakarta.servlet.FilterConfig;

/** servlet-filter/README.md, "Five minutes with web.xml": an engine factory. */
// tag::servlet-engine-factory[]
public class MyEngineFactory implements KeygateEngineFactory {
  @Override
  public void configure(AuthenticationEngine.Builder engine, FilterConfig config) {
    engine.store(MyStores.keys()).format(KeyFormat.withPrefix("kg_live")); // the store your key service uses
  }
}
// end::servlet-engine-factory[]

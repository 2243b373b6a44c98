package dev.keygate.docs.servlet;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.servlet.KeygateEngineFactory;
import jakarta.servlet.FilterConfig;

/** servlet-filter/README.md, "Five minutes with web.xml": an engine factory. */
// tag::servlet-engine-factory[]
public class MyEngineFactory implements KeygateEngineFactory {
  @Override
  public void configure(Keygate.Builder keygate, FilterConfig config) {
    keygate.store(MyStores.keys()).keyFormat(KeyFormat.withPrefix("kg_live")); // the store your keys live in
  }
}
// end::servlet-engine-factory[]

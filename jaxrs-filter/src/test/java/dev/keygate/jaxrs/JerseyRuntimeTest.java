package dev.keygate.jaxrs;

/** The contract on Jersey 3.1 (servlet container on Jetty 12 ee10) with the Jersey client. */
class JerseyRuntimeTest extends KeygateJaxRsContract {
  @Override
  JaxRsRuntime runtime() {
    return new JerseyRuntime();
  }
}

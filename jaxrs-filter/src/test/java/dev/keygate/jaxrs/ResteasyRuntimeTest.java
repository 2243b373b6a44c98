package dev.keygate.jaxrs;

/** The contract on RESTEasy 6.2 (servlet dispatcher on Jetty 12 ee10) with the RESTEasy client. */
class ResteasyRuntimeTest extends KeygateJaxRsContract {
  @Override
  JaxRsRuntime runtime() {
    return new ResteasyRuntime();
  }
}

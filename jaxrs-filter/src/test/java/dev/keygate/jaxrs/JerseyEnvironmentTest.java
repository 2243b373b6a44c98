package dev.keygate.jaxrs;

/** {@link RequireEnvironment} on Jersey. */
class JerseyEnvironmentTest extends EnvironmentContract {
  @Override
  JaxRsRuntime runtime() {
    return new JerseyRuntime();
  }
}

package dev.keygate.jaxrs;

/** {@link RequireEnvironment} on Resteasy. */
class ResteasyEnvironmentTest extends EnvironmentContract {
  @Override
  JaxRsRuntime runtime() {
    return new ResteasyRuntime();
  }
}

package dev.keygate.jaxrs;

/** Inherited access annotations and sub-resource locators on Jersey 3.1. */
class JerseyInheritedAccessTest extends InheritedAccessContract {
  @Override
  JaxRsRuntime runtime() {
    return new JerseyRuntime();
  }
}

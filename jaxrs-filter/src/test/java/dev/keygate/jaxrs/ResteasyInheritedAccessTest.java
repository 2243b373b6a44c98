package dev.keygate.jaxrs;

/** Inherited access annotations and sub-resource locators on RESTEasy 6.2. */
class ResteasyInheritedAccessTest extends InheritedAccessContract {
  @Override
  JaxRsRuntime runtime() {
    return new ResteasyRuntime();
  }
}

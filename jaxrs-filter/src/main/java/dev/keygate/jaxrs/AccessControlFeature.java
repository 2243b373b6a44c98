package dev.keygate.jaxrs;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.util.List;

/**
 * Binds Keygate to each resource method at deployment (and, for a sub-resource, when the runtime
 * first reaches it): the method's {@link AccessPolicy} is resolved here, once, and the method gets
 * an {@link AuthenticationGate} around the shared {@link KeygateRequestFilter} at {@link
 * Priorities#AUTHENTICATION} and its own {@link ScopeFilter} at {@link Priorities#AUTHORIZATION}.
 * Both let a public method through without looking at credentials unless the request came through
 * a sub-resource locator that asks for more.
 */
final class AccessControlFeature implements DynamicFeature {
  private final KeygateFeature settings;
  private final KeygateRequestFilter authentication;

  AccessControlFeature(KeygateFeature settings, KeygateRequestFilter authentication) {
    this.settings = settings;
    this.authentication = authentication;
  }

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    Class<?> resourceClass = resource.getResourceClass();
    AccessPolicy policy = AccessAnnotations.policy(resourceClass, resource.getResourceMethod());
    List<String> environments = settings.engine().format().environments();
    // a key format that binds environments knows them all: another name is a typo no key can pass
    if (policy.environment() != null && !environments.isEmpty() && !environments.contains(policy.environment())) {
      throw new IllegalStateException("@RequireEnvironment(\"" + policy.environment() + "\") on "
          + resource.getResourceMethod() + ": not one of the key format's environments " + environments);
    }
    MethodAccess access = new MethodAccess(policy);
    // never null for a resource method on Jersey or RESTEasy (PIT: not reachable there)
    if (resourceClass != null) {
      // the class's own locators, read now so that a conflict among them fails deployment
      SubResourceLocators.check(resourceClass);
    }
    context.register(new AuthenticationGate(access, authentication), Priorities.AUTHENTICATION);
    context.register(new ScopeFilter(settings.engine(), access, settings.missingCredentials(),
        settings.allowsPreflight()), Priorities.AUTHORIZATION);
  }
}

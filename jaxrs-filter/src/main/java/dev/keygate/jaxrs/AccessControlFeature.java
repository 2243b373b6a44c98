package dev.keygate.jaxrs;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Binds Keygate to each resource method at deployment: public methods get nothing; every other
 * method gets the shared {@link KeygateRequestFilter} at {@link Priorities#AUTHENTICATION} and its
 * own {@link ScopeFilter} at {@link Priorities#AUTHORIZATION}.
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
    AccessPolicy policy = AccessPolicy.of(resource.getResourceClass(), resource.getResourceMethod());
    if (policy.access() == AccessPolicy.Access.PUBLIC) {
      return;
    }
    context.register(authentication, Priorities.AUTHENTICATION);
    context.register(new ScopeFilter(settings.engine(), policy, settings.missingCredentials(),
        settings.permitsPreflight()), Priorities.AUTHORIZATION);
  }
}

package dev.keygate.jaxrs;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.KeygatePrincipal;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what one resource method requires ({@link MethodAccess}: its own policy, resolved at
 * deployment, and those of the sub-resource locators the request came through) after
 * authentication. A request without a principal gets the engine's 401; a principal without the
 * scopes gets 403 with the {@code required_scopes} of the first policy it fails, outermost first, and
 * one of another environment than a policy's 403 with its {@code required_environment} (checked
 * before that policy's scopes); a denied method or locator gets 403 for everybody authenticated.
 */
final class ScopeFilter implements ContainerRequestFilter {
  private final AuthenticationEngine engine;
  private final MethodAccess access;
  private final Refused missingCredentials;
  private final boolean allowPreflight;

  ScopeFilter(AuthenticationEngine engine, MethodAccess access, Refused missingCredentials,
      boolean allowPreflight) {
    this.engine = engine;
    this.access = access;
    this.missingCredentials = missingCredentials;
    this.allowPreflight = allowPreflight;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (allowPreflight && Refusals.isPreflight(request)) {
      return;
    }
    List<AccessPolicy> required = access.required(request);
    if (required.isEmpty()) {
      return;
    }
    SecurityContext security = request.getSecurityContext();
    // Jersey and RESTEasy always give a SecurityContext; a runtime without one gets the 401 below
    // rather than a 500 (PIT: not reachable on the runtimes tested)
    Principal principal = security == null ? null : security.getUserPrincipal();
    if (principal == null) {
      request.abortWith(Refusals.toResponse(missingCredentials));
      return;
    }
    for (AccessPolicy policy : required) {
      Optional<Refused> refused = refusal(policy, principal, security);
      if (refused.isPresent()) {
        request.abortWith(Refusals.toResponse(refused.get()));
        return;
      }
    }
  }

  private Optional<Refused> refusal(AccessPolicy policy, Principal principal,
      SecurityContext security) {
    if (policy.access() == AccessPolicy.Access.DENIED) {
      return Optional.of(Refused.insufficientScope(Set.of()));
    }
    String environment = policy.environment();
    if (environment != null) {
      // a principal of the application's own authentication has no key, so no key's environment
      Optional<Refused> refused = principal instanceof KeygatePrincipal keygate
          ? engine.authorizeEnvironment(keygate, environment)
          : Optional.of(Refused.environmentNotAllowed(environment));
      if (refused.isPresent()) {
        return refused;
      }
    }
    // for a Keygate principal both ways decide alike (KeygateSecurityContext.isUserInRole is
    // KeygatePrincipal.hasScope, and the engine builds the same refusal; PIT: equivalent): the
    // engine is asked so that one place says what a missing scope means
    if (principal instanceof KeygatePrincipal keygate) {
      return engine.authorize(keygate, policy.allOf(), policy.anyOf());
    }
    // a principal set by the application's own authentication (a deferred Bearer token, say)
    boolean all = policy.allOf().stream().allMatch(security::isUserInRole);
    boolean any = policy.anyOf().isEmpty() || policy.anyOf().stream().anyMatch(security::isUserInRole);
    if (all && any) {
      return Optional.empty();
    }
    Set<String> required = new TreeSet<>(policy.allOf());
    required.addAll(policy.anyOf());
    return Optional.of(Refused.insufficientScope(required));
  }

  @Override
  public String toString() {
    return "ScopeFilter[" + access + "]";
  }
}

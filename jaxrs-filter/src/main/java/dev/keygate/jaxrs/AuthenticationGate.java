package dev.keygate.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * Runs the shared {@link KeygateRequestFilter} for one resource method unless the request needs
 * nothing there (a public method reached directly or through public locators only), so that public
 * resources never look at credentials.
 */
final class AuthenticationGate implements ContainerRequestFilter {
  private final MethodAccess access;
  private final KeygateRequestFilter authentication;

  AuthenticationGate(MethodAccess access, KeygateRequestFilter authentication) {
    this.access = access;
    this.authentication = authentication;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!access.required(request).isEmpty()) {
      authentication.filter(request);
    }
  }

  @Override
  public String toString() {
    return "AuthenticationGate[" + access + "]";
  }
}

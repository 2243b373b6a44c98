package dev.keygate.jaxrs;

import dev.keygate.KeygatePrincipal;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The security context of an authenticated request: the {@link KeygatePrincipal}, its scopes as
 * roles, the scheme {@code API_KEY} or {@code BEARER}, and the transport's {@code isSecure}.
 */
final class KeygateSecurityContext implements SecurityContext {
  private final KeygatePrincipal principal;
  private final boolean secure;

  KeygateSecurityContext(KeygatePrincipal principal, boolean secure) {
    this.principal = principal;
    this.secure = secure;
  }

  @Override
  public KeygatePrincipal getUserPrincipal() {
    return principal;
  }

  /** Whether the principal holds {@code role} read as a scope (wildcards honoured). */
  @Override
  public boolean isUserInRole(String role) {
    return role != null && principal.hasScope(role);
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return principal.method().name();
  }

  @Override
  public String toString() {
    return "KeygateSecurityContext[" + principal.method() + " " + principal.getName() + "]";
  }
}

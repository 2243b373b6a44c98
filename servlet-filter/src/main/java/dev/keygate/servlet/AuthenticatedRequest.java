package dev.keygate.servlet;

import dev.keygate.KeygatePrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * The request as the application sees it after Keygate accepted it: the principal, its scopes as
 * roles, and how it authenticated. Everything else passes through, including async support.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
  /** The servlet spec's role name for "any authenticated user". */
  private static final String ANY_AUTHENTICATED = "**";

  private final KeygatePrincipal principal;

  AuthenticatedRequest(HttpServletRequest request, KeygatePrincipal principal) {
    super(request);
    this.principal = principal;
  }

  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  /** A role is a scope: true when the principal holds it (wildcards and full access count). */
  @Override
  public boolean isUserInRole(@Nullable String role) {
    if (role == null) {
      return false;
    }
    return role.equals(ANY_AUTHENTICATED) || principal.hasScope(role);
  }

  /** {@code API_KEY} or {@code BEARER}. */
  @Override
  public String getAuthType() {
    return principal.method().name();
  }

  /** The key id, or the Bearer token's subject. */
  @Override
  public String getRemoteUser() {
    return principal.getName();
  }
}

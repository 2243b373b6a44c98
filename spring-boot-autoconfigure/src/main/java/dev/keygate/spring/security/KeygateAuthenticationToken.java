package dev.keygate.spring.security;

import dev.keygate.KeygatePrincipal;
import java.util.Collection;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An authenticated Keygate API key (or Bearer token the engine accepted) in Spring Security's
 * {@code SecurityContext}. Its principal is the {@link KeygatePrincipal}; its authorities are the
 * key's scopes in Spring's convention ({@code SCOPE_orders.read}, as the OAuth2 resource server
 * grants them). It holds no secret: {@link #getCredentials()} is always null.
 */
public final class KeygateAuthenticationToken extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;

  private final transient KeygatePrincipal principal;

  /**
   * An authenticated token.
   *
   * @param principal who is calling
   * @param authorities what it may do
   */
  public KeygateAuthenticationToken(KeygatePrincipal principal, Collection<? extends GrantedAuthority> authorities) {
    super(authorities);
    this.principal = principal;
    setAuthenticated(true);
  }

  /** Always null: the key is never kept. */
  @Override
  public @Nullable Object getCredentials() {
    return null;
  }

  @Override
  public KeygatePrincipal getPrincipal() {
    return principal;
  }

  @Override
  public String getName() {
    return principal.subject();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeygateAuthenticationToken other && super.equals(other) && principal.equals(other.principal);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + principal.hashCode();
  }

  @Override
  public String toString() {
    return "KeygateAuthenticationToken[" + principal.method() + " " + principal.subject() + ", owner="
        + principal.owner() + ", authorities=" + getAuthorities() + "]";
  }
}

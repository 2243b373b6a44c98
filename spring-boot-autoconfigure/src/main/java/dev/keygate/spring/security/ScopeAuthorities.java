package dev.keygate.spring.security;

import dev.keygate.KeygatePrincipal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A principal's scopes as Spring authorities, {@code SCOPE_} + scope. Spring compares authorities
 * as plain strings, so a key's wildcard ({@code orders.*}) or full access (no scopes) is spelled
 * out against the application's scope catalogue: the key gets {@code SCOPE_x} for every
 * catalogue scope {@code x} it covers, as well as its own scopes literally. A principal with an
 * environment also gets {@code KEYGATE_ENVIRONMENT_} + environment, so that {@code
 * hasAuthority('KEYGATE_ENVIRONMENT_live')} keeps a route to live keys (the 403 then names {@code
 * required_environment}, see {@link KeygateRefusalHandler}).
 */
public final class ScopeAuthorities {
  /** Spring's prefix for scopes, as {@code JwtGrantedAuthoritiesConverter} uses it. */
  public static final String PREFIX = "SCOPE_";
  /** The prefix of the authority that names a principal's environment: {@code KEYGATE_ENVIRONMENT_live}. */
  public static final String ENVIRONMENT_PREFIX = "KEYGATE_ENVIRONMENT_";

  private final List<String> catalogue;

  private ScopeAuthorities(Collection<String> catalogue) {
    this.catalogue = List.copyOf(catalogue);
  }

  /**
   * Authorities against a catalogue.
   *
   * @param catalogue every scope the application defines
   * @return the mapping
   */
  public static ScopeAuthorities of(Collection<String> catalogue) {
    return new ScopeAuthorities(catalogue);
  }

  /**
   * The authorities of {@code principal}.
   *
   * @param principal who is calling
   * @return {@code SCOPE_} + each scope it holds and each catalogue scope it covers, and {@code
   *     KEYGATE_ENVIRONMENT_} + its environment when it has one
   */
  public Collection<GrantedAuthority> authorities(KeygatePrincipal principal) {
    Set<String> names = new LinkedHashSet<>(principal.scopes());
    for (String scope : catalogue) {
      if (principal.hasScope(scope)) {
        names.add(scope);
      }
    }
    List<GrantedAuthority> out = new ArrayList<>(names.size());
    names.forEach(n -> out.add(new SimpleGrantedAuthority(PREFIX + n)));
    if (principal.environment() != null) {
      out.add(new SimpleGrantedAuthority(ENVIRONMENT_PREFIX + principal.environment()));
    }
    return out;
  }

  @Override
  public String toString() {
    return "ScopeAuthorities" + catalogue;
  }
}

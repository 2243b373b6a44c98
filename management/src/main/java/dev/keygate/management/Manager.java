package dev.keygate.management;

import dev.keygate.Scopes;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is managing keys: the organization whose keys they see and touch, and what they may grant.
 *
 * @param organization the owner of every key this caller sees, creates or changes
 * @param subject who is calling (a key id, a token subject, a user name), for the page's header
 * @param scopes the scopes the caller holds; a new key may have any of them, or narrower ones
 * @param fullAccess whether the caller holds every scope, and so may create a full-access key
 */
public record Manager(String organization, String subject, Set<String> scopes, boolean fullAccess) {

  /**
   * Copies the scopes.
   *
   * @param organization the owner of every key this caller sees, creates or changes
   * @param subject who is calling
   * @param scopes the scopes the caller holds
   * @param fullAccess whether the caller holds every scope
   * @throws NullPointerException if a value is null
   */
  public Manager {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(subject, "subject");
    scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
  }

  /**
   * Whether this caller may give {@code scope} to a key: it holds it, directly, through a wildcard
   * ({@code datasets.*} grants {@code datasets.read} and {@code datasets.*}) or through full access.
   *
   * @param scope a scope to grant
   * @return whether it may be granted
   */
  public boolean canGrant(String scope) {
    return fullAccess || Scopes.grants(scopes, scope);
  }

  /**
   * The scopes of {@code requested} this caller may not grant, in order; a request for no scopes
   * (full access) yields {@code *} unless the caller has full access itself.
   *
   * @param requested the scopes of a key to create or to show again (rotation)
   * @return the scopes it cannot grant; empty when it may grant them all
   */
  public Set<String> ungranted(Set<String> requested) {
    Set<String> out = new TreeSet<>();
    if (requested.isEmpty() && !fullAccess) {
      out.add("*");
    }
    for (String s : requested) {
      if (!canGrant(s)) {
        out.add(s);
      }
    }
    return Collections.unmodifiableSet(out);
  }
}

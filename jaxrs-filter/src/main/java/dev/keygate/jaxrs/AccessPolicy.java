package dev.keygate.jaxrs;

import dev.keygate.Scopes;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one level of a resource asks of its callers (a method, a class, or a sub-resource locator
 * on the way to them), as declared by {@link RequireScopes}, {@link PublicResource} and the
 * Jakarta security annotations; {@link AccessAnnotations} reads it at deployment. {@code
 * allOf} and {@code anyOf} both apply when both are given.
 *
 * @param access the kind of rule
 * @param allOf scopes the caller must all hold
 * @param anyOf scopes of which the caller must hold one (empty: no such rule)
 * @param environment the one environment whose keys are accepted ({@link RequireEnvironment}), or
 *     null for any
 */
record AccessPolicy(Access access, Set<String> allOf, Set<String> anyOf, @Nullable String environment) {
  enum Access {
    PUBLIC,
    PROTECTED,
    DENIED
  }

  static final AccessPolicy PUBLIC = new AccessPolicy(Access.PUBLIC, Set.of(), Set.of());
  static final AccessPolicy AUTHENTICATED = new AccessPolicy(Access.PROTECTED, Set.of(), Set.of());
  static final AccessPolicy DENIED = new AccessPolicy(Access.DENIED, Set.of(), Set.of());

  AccessPolicy {
    allOf = Set.copyOf(allOf);
    anyOf = Set.copyOf(anyOf);
  }

  AccessPolicy(Access access, Set<String> allOf, Set<String> anyOf) {
    this(access, allOf, anyOf, null);
  }

  /** This policy, accepting keys of {@code environment} only. */
  AccessPolicy withEnvironment(String environment) {
    return new AccessPolicy(access, allOf, anyOf, environment);
  }

  /**
   * A rule asking for scopes.
   *
   * @throws IllegalStateException if a scope is null or invalid; {@code where} names the element
   */
  static AccessPolicy scopes(String[] allOf, String[] anyOf, Object where) {
    return new AccessPolicy(Access.PROTECTED, checked(allOf, where), checked(anyOf, where));
  }

  boolean isPublic() {
    return access == Access.PUBLIC;
  }

  private static Set<String> checked(String[] scopes, Object where) {
    for (String s : scopes) {
      // an annotation's String[] never holds null (javac refuses it), so "s == null" is never
      // true when read from one (PIT: equivalent); kept for callers that build the array
      if (s == null || !Scopes.isValid(s)) {
        throw new IllegalStateException("invalid scope '" + s + "' required on " + where);
      }
    }
    return new LinkedHashSet<>(Arrays.asList(scopes));
  }
}

package dev.keygate.jaxrs;

import dev.keygate.Scopes;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a resource method asks of its callers, resolved once at deployment from {@link
 * RequireScopes}, {@link PublicResource} and, when the Jakarta annotations are on the class path,
 * {@code @RolesAllowed} (roles read as scopes, any one of them suffices), {@code @PermitAll}
 * (public) and {@code @DenyAll}. Annotations on the method replace those on the class; with none,
 * any valid credential is enough.
 *
 * @param access the kind of rule
 * @param allOf scopes the caller must all hold
 * @param anyOf scopes of which the caller must hold one (empty: no such rule)
 */
record AccessPolicy(Access access, Set<String> allOf, Set<String> anyOf) {
  enum Access {
    PUBLIC,
    PROTECTED,
    DENIED
  }

  static final AccessPolicy PUBLIC = new AccessPolicy(Access.PUBLIC, Set.of(), Set.of());
  static final AccessPolicy AUTHENTICATED = new AccessPolicy(Access.PROTECTED, Set.of(), Set.of());
  static final AccessPolicy DENIED = new AccessPolicy(Access.DENIED, Set.of(), Set.of());

  private static final boolean JAKARTA_SECURITY_ANNOTATIONS =
      present("jakarta.annotation.security.RolesAllowed");

  AccessPolicy {
    allOf = Set.copyOf(allOf);
    anyOf = Set.copyOf(anyOf);
  }

  static AccessPolicy scopes(String[] allOf, String[] anyOf, Object where) {
    return new AccessPolicy(Access.PROTECTED, checked(allOf, where), checked(anyOf, where));
  }

  /**
   * The policy of {@code method} as declared on {@code resourceClass}.
   *
   * @throws IllegalStateException if one element carries conflicting annotations or an invalid
   *     scope
   */
  static AccessPolicy of(@Nullable Class<?> resourceClass, @Nullable Method method) {
    AccessPolicy declared = method == null ? null : declaredOn(method);
    if (declared == null && resourceClass != null) {
      declared = declaredOn(resourceClass);
    }
    return declared == null ? AUTHENTICATED : declared;
  }

  private static @Nullable AccessPolicy declaredOn(AnnotatedElement element) {
    List<AccessPolicy> found = new ArrayList<>(2);
    RequireScopes scopes = element.getAnnotation(RequireScopes.class);
    if (scopes != null) {
      found.add(scopes(scopes.value(), scopes.any(), element));
    }
    if (element.isAnnotationPresent(PublicResource.class)) {
      found.add(PUBLIC);
    }
    if (JAKARTA_SECURITY_ANNOTATIONS) {
      found.addAll(JakartaSecurityAnnotations.policies(element));
    }
    if (found.isEmpty()) {
      return null;
    }
    AccessPolicy first = found.get(0);
    for (AccessPolicy p : found) {
      if (!p.equals(first)) {
        throw new IllegalStateException(
            "conflicting Keygate access annotations on " + element + ": use only one of "
                + "@RequireScopes, @PublicResource, @RolesAllowed, @PermitAll, @DenyAll");
      }
    }
    return first;
  }

  private static Set<String> checked(String[] scopes, Object where) {
    for (String s : scopes) {
      if (s == null || !Scopes.isValid(s)) {
        throw new IllegalStateException("invalid scope '" + s + "' required on " + where);
      }
    }
    return new LinkedHashSet<>(Arrays.asList(scopes));
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, AccessPolicy.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}

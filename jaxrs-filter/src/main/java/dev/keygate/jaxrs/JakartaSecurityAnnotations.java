package dev.keygate.jaxrs;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code jakarta.annotation.security}; loaded only when that package is on the class path,
 * so the module does not require it.
 */
final class JakartaSecurityAnnotations {
  private static final String[] NONE = new String[0];

  private JakartaSecurityAnnotations() {}

  static List<AccessPolicy> policies(AnnotatedElement element) {
    List<AccessPolicy> found = new ArrayList<>(1);
    if (element.getDeclaredAnnotation(DenyAll.class) != null) {
      found.add(AccessPolicy.DENIED);
    }
    if (element.getDeclaredAnnotation(PermitAll.class) != null) {
      found.add(AccessPolicy.PUBLIC);
    }
    RolesAllowed roles = element.getDeclaredAnnotation(RolesAllowed.class);
    if (roles != null) {
      // an empty list of roles lets nobody in, as in Jakarta Security
      found.add(roles.value().length == 0
          ? AccessPolicy.DENIED
          : AccessPolicy.scopes(NONE, roles.value(), element));
    }
    return found;
  }
}

package dev.keygate.jaxrs;

import dev.keygate.jaxrs.ResourceHierarchy.Signature;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads a resource method's {@link AccessPolicy} from {@link RequireScopes}, {@link
 * PublicResource}, {@link RequireEnvironment} and, when the Jakarta annotations are on the class path, {@code @RolesAllowed}
 * (roles read as scopes, any one of them suffices), {@code @PermitAll} (public) and {@code
 * @DenyAll}. Run once per method at deployment, never per request.
 *
 * <p>Order, as Jersey's {@code RolesAllowedDynamicFeature} reads them through its {@code
 * AnnotatedMethod}: the method itself; then, nearest first, the superclasses and interfaces that
 * declare the same method (type variables resolved, so generic interfaces and their bridge methods
 * count), a superclass before an interface as in the JAX-RS specification; then the class, its
 * superclasses and its interfaces. The first element carrying any of these annotations decides,
 * and its annotations replace all others. With none anywhere, any valid credential is enough.
 * Access annotations are inherited on their own, even by a method that repeats its JAX-RS
 * annotations. {@link RequireEnvironment} is read apart, the same way, once for the method and once
 * for the class: both hold, so they must agree.
 */
final class AccessAnnotations {
  private static final boolean JAKARTA_SECURITY_ANNOTATIONS =
      present("jakarta.annotation.security.RolesAllowed");

  private AccessAnnotations() {}

  /**
   * The policy of {@code method} as invoked on {@code resourceClass}.
   *
   * @throws IllegalStateException if the deciding element carries conflicting annotations or an
   *     invalid scope, or if two interfaces at the same distance disagree
   */
  static AccessPolicy policy(@Nullable Class<?> resourceClass, @Nullable Method method) {
    Class<?> type = resourceClass;
    if (method != null && (type == null || !method.getDeclaringClass().isAssignableFrom(type))) {
      type = method.getDeclaringClass();
    }
    if (type == null) {
      return AccessPolicy.AUTHENTICATED;
    }
    ResourceHierarchy hierarchy = new ResourceHierarchy(type);
    AccessPolicy declared = null;
    String environment = null;
    String where = type.getName();
    if (method != null) {
      Signature signature = hierarchy.signature(method);
      where = describe(type, signature);
      declared = onMethod(hierarchy, type, signature, where, AccessAnnotations::declaredOn);
      environment = onMethod(hierarchy, type, signature, where, AccessAnnotations::environmentOn);
    }
    if (declared == null) {
      declared = onType(type, type.getName(), AccessAnnotations::declaredOn);
    }
    AccessPolicy policy = declared == null ? AccessPolicy.AUTHENTICATED : declared;
    String typeEnvironment = onType(type, type.getName(), AccessAnnotations::environmentOn);
    if (environment != null && typeEnvironment != null && !environment.equals(typeEnvironment)) {
      throw new IllegalStateException("conflicting @RequireEnvironment: " + where + " accepts '" + environment
          + "' keys, its class " + type.getName() + " '" + typeEnvironment + "' keys; both would have to hold");
    }
    environment = environment != null ? environment : typeEnvironment;
    if (environment == null) {
      return policy;
    }
    if (policy.isPublic()) {
      throw new IllegalStateException("@RequireEnvironment(\"" + environment + "\") needs a credential, but " + where
          + " is public (@PublicResource or @PermitAll)");
    }
    return policy.withEnvironment(environment);
  }

  /** The environment {@link RequireEnvironment} on {@code element} itself names, or null. */
  private static @Nullable String environmentOn(AnnotatedElement element) {
    RequireEnvironment required = element.getDeclaredAnnotation(RequireEnvironment.class);
    if (required == null) {
      return null;
    }
    String environment = required.value();
    if (environment.isEmpty() || environment.length() > 64 || !environment.equals(environment.strip())) {
      throw new IllegalStateException("invalid environment '" + environment + "' required on " + element
          + ": 1 to 64 characters without leading or trailing white space");
    }
    return environment;
  }

  /**
   * What {@code declared} finds on the method of {@code signature} in {@code type}, or else in the
   * nearest superclass or interface that declares it.
   */
  private static <T> @Nullable T onMethod(ResourceHierarchy hierarchy, Class<?> type, Signature signature,
      String where, Function<AnnotatedElement, @Nullable T> declared) {
    Method declaration = hierarchy.declaration(type, signature);
    T found = declaration == null ? null : declared.apply(declaration);
    return found != null ? found : ResourceHierarchy.inherited(type,
        ancestor -> onMethod(hierarchy, ancestor, signature, where, declared), where);
  }

  /** What {@code declared} finds on {@code type}, or else on the nearest superclass or interface. */
  private static <T> @Nullable T onType(Class<?> type, String where, Function<AnnotatedElement, @Nullable T> declared) {
    T found = declared.apply(type);
    return found != null ? found
        : ResourceHierarchy.inherited(type, ancestor -> onType(ancestor, where, declared), where);
  }

  /** What the annotations present on {@code element} itself (not inherited) say, or null. */
  static @Nullable AccessPolicy declaredOn(AnnotatedElement element) {
    List<AccessPolicy> found = new ArrayList<>(2);
    RequireScopes scopes = element.getDeclaredAnnotation(RequireScopes.class);
    if (scopes != null) {
      found.add(AccessPolicy.scopes(scopes.value(), scopes.any(), element));
    }
    if (element.getDeclaredAnnotation(PublicResource.class) != null) {
      found.add(AccessPolicy.PUBLIC);
    }
    // without jakarta.annotation-api the class below cannot load. Every test runs with it (the JAX-RS
    // runtimes need it), so dropping this guard fails none (PIT: accepted, untestable here)
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

  private static String describe(Class<?> type, Signature signature) {
    return type.getName() + "." + signature.name() + signature.parameters().stream()
        .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, AccessAnnotations.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}

package dev.keygate.jaxrs;

import dev.keygate.jaxrs.ResourceHierarchy.Signature;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sub-resource locators on a request's way ask for. A locator's {@link AccessPolicy} is
 * read like a resource method's ({@link AccessAnnotations}: the locator, the declarations it
 * overrides, then its class); it applies to everything reached through the locator, on top of
 * what the sub-resource itself asks.
 *
 * <p>JAX-RS calls a {@code DynamicFeature} for a sub-resource's methods (Jersey and RESTEasy both
 * do, on first use) but never for the locator, and the same sub-resource class may be reached
 * directly and through several locators. So the way is read per request from {@link
 * UriInfo#getMatchedResources()} (the resources matched, each reached through a locator of the
 * next) and {@link UriInfo#getMatchedURIs()} (the path each locator consumed). Of the parent
 * class's locators that can return the child's class, one is ruled out only when its {@code @Path}
 * matches neither the encoded nor the decoded form of that path; every one left applies, and when
 * none is left, all of them do. A path with matrix parameters is not read at all (every candidate
 * applies): Jersey 3.1 then reports matched URIs cut at the wrong place ({@code vault/admin;m=1}
 * matched as {@code vault} and {@code admin} is reported as {@code vault/adm}). Each class's
 * locators are read once, by reflection, on first sight.
 */
final class SubResourceLocators {
  private static final Logger LOG = LoggerFactory.getLogger(SubResourceLocators.class);
  private static final ClassValue<Table> TABLES = new ClassValue<>() {
    @Override
    protected Table computeValue(Class<?> type) {
      return Table.of(type);
    }
  };
  private static final Set<Class<?>> WARNED = ConcurrentHashMap.newKeySet();

  private SubResourceLocators() {}

  /**
   * Reads the locators of {@code type} now, so that a conflict fails deployment.
   *
   * @throws IllegalStateException if a locator carries conflicting annotations or an invalid scope
   */
  static void check(Class<?> type) {
    Table table = TABLES.get(type);
    if (!table.errors().isEmpty()) {
      throw new IllegalStateException(table.errors().get(0));
    }
  }

  /** The policies of the locators the request went through, outermost first; empty for none. */
  static List<AccessPolicy> along(UriInfo uri) {
    List<Object> matched = uri.getMatchedResources();
    int n = matched.size();
    if (n < 2) {
      return List.of();
    }
    List<String> encoded = uri.getMatchedURIs(false);
    List<String> decoded = uri.getMatchedURIs(true);
    if (uri.getPath(false).indexOf(';') >= 0
        || !TABLES.get(matched.get(n - 1).getClass()).isRootOf(encoded, decoded)) {
      // the runtime's account of the path cannot be trusted: every candidate applies
      encoded = List.of();
      decoded = List.of();
    }
    Set<AccessPolicy> found = new LinkedHashSet<>();
    for (int step = 0; step < n - 1; step++) {
      Class<?> parent = matched.get(n - 1 - step).getClass();
      Class<?> child = matched.get(n - 2 - step).getClass();
      Set<String> forms = new LinkedHashSet<>(2);
      for (List<String> uris : List.of(encoded, decoded)) {
        String consumed = consumed(uris, step);
        if (consumed != null) {
          forms.add(consumed);
        }
      }
      found.addAll(TABLES.get(parent).select(child, forms));
    }
    return List.copyOf(found);
  }

  /**
   * The path the {@code step}-th locator consumed: the matched URIs list, read from the root, has
   * the root resource's path and then one entry per locator (and perhaps one for the method).
   */
  private static @Nullable String consumed(List<String> uris, int step) {
    int last = uris.size() - 1;
    if (last - step - 1 < 0) {
      return null;
    }
    String before = uris.get(last - step);
    String after = uris.get(last - step - 1);
    return after.startsWith(before) ? trimSlashes(after.substring(before.length())) : null;
  }

  private static String trimSlashes(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }

  /** One locator: what it asks, what it returns (Object: anything), the path it matches. */
  private record Locator(AccessPolicy policy, Class<?> returns, @Nullable Pattern path) {}

  /**
   * The locators of one class, the conflicts found reading them (each locator then denied), and
   * the class's own {@code @Path} template when it has one.
   */
  private record Table(Class<?> type, List<Locator> locators, List<String> errors,
      @Nullable Pattern root) {
    static Table of(Class<?> type) {
      ResourceHierarchy hierarchy = new ResourceHierarchy(type);
      List<Locator> locators = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Method m : type.getMethods()) {
        // bridges are synthetic. Static methods and Object's (no @Path) are passed over below:
        // ResourceHierarchy.declaration never answers a static method
        if (m.isSynthetic()) {
          continue;
        }
        Method declaration = jaxRsDeclaration(hierarchy, type, hierarchy.signature(m));
        Path path = declaration == null ? null : declaration.getAnnotation(Path.class);
        if (path == null || designatesHttpMethod(declaration)) {
          continue;
        }
        AccessPolicy policy;
        try {
          policy = AccessAnnotations.policy(type, m);
        } catch (IllegalStateException e) {
          LOG.error("sub-resource locator {} cannot be read, requests through it are refused: {}",
              m, e.getMessage());
          errors.add(e.getMessage());
          policy = AccessPolicy.DENIED;
        }
        Class<?> returns = hierarchy.erase(m.getGenericReturnType());
        // a locator may return a Class that the runtime instantiates
        locators.add(new Locator(policy, returns == Class.class ? Object.class : returns,
            template(path.value())));
      }
      Class<?> annotated = type;
      while (annotated != null && !annotated.isAnnotationPresent(Path.class)) {
        annotated = annotated.getSuperclass(); // a proxy subclass of the resource class
      }
      Pattern root = annotated == null ? null : template(annotated.getAnnotation(Path.class).value());
      return new Table(type, List.copyOf(locators), List.copyOf(errors), root);
    }

    /** Whether the last (root) matched URI, in either form, is this root resource's path. */
    boolean isRootOf(List<String> encoded, List<String> decoded) {
      // a root resource built in code has no @Path to check the report against
      return root == null || endsAtRoot(encoded) || endsAtRoot(decoded);
    }

    private boolean endsAtRoot(List<String> uris) {
      return !uris.isEmpty() && root.matcher(trimSlashes(uris.get(uris.size() - 1))).matches();
    }

    /**
     * The policies of the locators that may have returned {@code child} having consumed one of
     * {@code forms} (empty: unknown).
     */
    List<AccessPolicy> select(Class<?> child, Set<String> forms) {
      List<Locator> byType = locators.stream().filter(l -> l.returns().isAssignableFrom(child)).toList();
      if (byType.isEmpty()) {
        byType = locators;
      }
      if (byType.isEmpty()) {
        if (WARNED.add(type)) {
          LOG.error("a request reached {} through {}, which has no sub-resource locator Keygate "
              + "recognises; such requests are refused", child.getName(), type.getName());
        }
        return List.of(AccessPolicy.DENIED);
      }
      // an unreadable template or path rules nothing out
      List<Locator> byPath = forms.isEmpty() ? byType : byType.stream().filter(l -> l.path() == null
          || forms.stream().anyMatch(form -> l.path().matcher(form).matches())).toList();
      return (byPath.isEmpty() ? byType : byPath).stream().map(Locator::policy).toList();
    }
  }

  /** The declaration whose JAX-RS annotations apply to the method: the nearest that has any. */
  private static @Nullable Method jaxRsDeclaration(ResourceHierarchy hierarchy, Class<?> type,
      Signature signature) {
    Method declaration = hierarchy.declaration(type, signature);
    if (declaration != null && hasJaxRsAnnotations(declaration)) {
      return declaration;
    }
    return ResourceHierarchy.firstInherited(type,
        ancestor -> jaxRsDeclaration(hierarchy, ancestor, signature));
  }

  private static boolean hasJaxRsAnnotations(Method method) {
    for (Annotation a : method.getDeclaredAnnotations()) {
      if (isJaxRs(a) || a.annotationType().isAnnotationPresent(HttpMethod.class)) {
        return true;
      }
    }
    for (Annotation[] parameter : method.getParameterAnnotations()) {
      for (Annotation a : parameter) {
        if (isJaxRs(a)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isJaxRs(Annotation a) {
    return a.annotationType().getPackageName().startsWith("jakarta.ws.rs");
  }

  private static boolean designatesHttpMethod(Method method) {
    for (Annotation a : method.getDeclaredAnnotations()) {
      if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A JAX-RS path template as a regular expression over a decoded path without its outer slashes:
   * {@code {name}} is one segment, {@code {name: regex}} its regex. Null when it cannot be read;
   * such a locator is then told apart by its return type only.
   */
  static @Nullable Pattern template(String template) {
    String t = trimSlashes(template);
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < t.length()) {
      if (t.charAt(i) != '{') {
        // next > i here, so "next <= 0" would decide the same (PIT: equivalent)
        int next = t.indexOf('{', i);
        int end = next < 0 ? t.length() : next;
        regex.append(Pattern.quote(t.substring(i, end)));
        i = end;
        continue;
      }
      int depth = 0;
      int j = i;
      do {
        char c = t.charAt(j++);
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      } while (depth > 0 && j < t.length());
      if (depth != 0) {
        return null;
      }
      String parameter = t.substring(i + 1, j - 1);
      int colon = parameter.indexOf(':');
      regex.append("(?:").append(colon < 0 ? "[^/]+" : parameter.substring(colon + 1).strip())
          .append(')');
      i = j;
    }
    try {
      return Pattern.compile(regex.toString());
    } catch (PatternSyntaxException e) {
      return null;
    }
  }
}

package dev.keygate.jaxrs;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A resource class seen with its superclasses and interfaces, for reading annotations that JAX-RS
 * lets a resource inherit. Type variables are resolved against the resource class, so {@code
 * get(T id)} in {@code interface Api<T>} is recognised as the declaration of {@code get(String id)}
 * in {@code class Impl implements Api<String>} (whose bridge method {@code get(Object)} is
 * ignored). Used at deployment only.
 */
final class ResourceHierarchy {
  private final Class<?> resourceClass;
  private final Map<TypeVariable<?>, Type> bindings = new HashMap<>();

  ResourceHierarchy(Class<?> resourceClass) {
    this.resourceClass = resourceClass;
    bind(resourceClass);
  }

  /**
   * The first non-null answer of {@code lookup}, asked of {@code type}'s superclass (which with its
   * own ancestors takes precedence, as in the JAX-RS specification) and then of each of its
   * interfaces.
   *
   * @throws IllegalStateException if two interfaces of {@code type} give different answers: which
   *     one applies is unspecified, so {@code where} must say it itself
   */
  static <T> @Nullable T inherited(Class<?> type, Function<Class<?>, @Nullable T> lookup,
      Object where) {
    // Object is asked too: it carries no annotation, so it answers null like any plain class
    Class<?> superclass = type.getSuperclass();
    if (superclass != null) {
      T found = lookup.apply(superclass);
      if (found != null) {
        return found;
      }
    }
    T found = null;
    Class<?> from = null;
    for (Class<?> in : type.getInterfaces()) {
      T candidate = lookup.apply(in);
      if (candidate == null) {
        continue;
      }
      if (found != null && !found.equals(candidate)) {
        throw new IllegalStateException("conflicting Keygate access annotations inherited by "
            + where + " from " + from.getName() + " and " + in.getName() + ": annotate " + where
            + " itself");
      }
      found = candidate;
      from = in;
    }
    return found;
  }

  /**
   * The method of {@code type} (the resource class or one of its ancestors) that declares {@code
   * method} of the resource class, or null when {@code type} does not declare it. Bridge, static
   * and private methods never count.
   */
  @Nullable Method declaration(Class<?> type, Signature method) {
    for (Method candidate : type.getDeclaredMethods()) {
      // bridges are synthetic. Were one let through, it would answer as its method does: javac
      // copies a method's annotations, and its parameters', onto its bridges (PIT: equivalent)
      if (!candidate.isSynthetic()
          && !Modifier.isStatic(candidate.getModifiers())
          && !Modifier.isPrivate(candidate.getModifiers())
          && method.equals(signature(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  /** {@code method}'s name and parameter types as the resource class sees them. */
  Signature signature(Method method) {
    if (method.isBridge()) {
      // a bridge stands for a generic declaration whose erasure it repeats: find that declaration.
      // Asked for another method, erasedDeclaration finds none or one with the same signature
      // (javac refuses two methods with one erasure unless one overrides the other; PIT: equivalent)
      Method generic = erasedDeclaration(resourceClass, method);
      if (generic != null) {
        method = generic;
      }
    }
    List<Class<?>> parameters = new ArrayList<>(method.getParameterCount());
    for (Type t : method.getGenericParameterTypes()) {
      parameters.add(erase(t));
    }
    return new Signature(method.getName(), List.copyOf(parameters));
  }

  /** The class that {@code type} (declared in the resource class or an ancestor) stands for. */
  Class<?> erase(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof GenericArrayType a) {
      return Array.newInstance(erase(a.getGenericComponentType()), 0).getClass();
    }
    // what is left is a type variable: a wildcard is never a parameter's or a return type, nor an
    // argument of a supertype (JLS 8.1.4, 8.1.5), the only types read here
    TypeVariable<?> v = (TypeVariable<?>) type;
    Type bound = bindings.get(v);
    return erase(bound != null ? bound : v.getBounds()[0]);
  }

  private static @Nullable Method erasedDeclaration(Class<?> type, Method bridge) {
    // a bridge's generic parameter types are its erased ones, so no bridge passes the last test.
    // Nor would dropping that test change a signature (PIT: equivalent): a method it would let in
    // has the bridge's name and erased parameters, as the bridge's own signature has (javac
    // refuses two methods with one erasure unless one overrides the other)
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(bridge.getName())
          && Arrays.equals(m.getParameterTypes(), bridge.getParameterTypes())
          && !Arrays.equals(m.getGenericParameterTypes(), m.getParameterTypes())) {
        return m;
      }
    }
    return firstInherited(type, t -> erasedDeclaration(t, bridge));
  }

  /** The first non-null answer of {@code lookup} from the superclass, then each interface. */
  static <T> @Nullable T firstInherited(Class<?> type, Function<Class<?>, @Nullable T> lookup) {
    Class<?> superclass = type.getSuperclass();
    if (superclass != null) {
      T found = lookup.apply(superclass);
      if (found != null) {
        return found;
      }
    }
    for (Class<?> in : type.getInterfaces()) {
      T found = lookup.apply(in);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Records which type each ancestor's type variables stand for, seen from the resource class. */
  private void bind(Class<?> type) {
    // a supertype is a Class or a ParameterizedType; Object (a superclass too) has no supertype
    Stream.concat(Stream.ofNullable(type.getGenericSuperclass()),
        Arrays.stream(type.getGenericInterfaces())).forEach(supertype -> {
          if (supertype instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = p.getActualTypeArguments();
            // a parameterized type has exactly one argument per type parameter
            for (int i = 0; i < variables.length; i++) {
              bindings.putIfAbsent(variables[i], arguments[i]);
            }
            bind(raw);
          } else {
            bind((Class<?>) supertype);
          }
        });
  }

  /** A method's name and erased parameter types, as the resource class sees them. */
  record Signature(String name, List<Class<?>> parameters) {}
}

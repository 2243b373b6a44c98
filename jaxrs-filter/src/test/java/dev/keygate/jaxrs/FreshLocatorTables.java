package dev.keygate.jaxrs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Forgets what {@link SubResourceLocators} caches per class (its locator tables and the classes it
 * warned about) before each test class and each test, for every class of this module's tests.
 *
 * <p>That cache lives as long as the JVM. Mutation testing runs the mutants of one class one after
 * another in one JVM, swapping the code in between: without this, a table read under one mutant
 * would still answer under the next, and the tests would judge the wrong code. Registered for
 * every test of the module by JUnit's extension auto-detection ({@code META-INF/services}).
 */
public final class FreshLocatorTables implements BeforeAllCallback, BeforeEachCallback {
  private static final List<Class<?>> TEST_CLASSES = testClasses();

  @Override
  public void beforeAll(ExtensionContext context) {
    forget();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    forget();
  }

  private static void forget() {
    try {
      ClassValue<?> tables = (ClassValue<?>) field("TABLES").get(null);
      for (Class<?> c : TEST_CLASSES) {
        tables.remove(c);
      }
      ((Set<?>) field("WARNED").get(null)).clear();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("SubResourceLocators changed: update " + FreshLocatorTables.class, e);
    }
  }

  private static Field field(String name) throws NoSuchFieldException {
    Field f = SubResourceLocators.class.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  /** Every class compiled from this module's tests (resource classes are nested in them). */
  private static List<Class<?>> testClasses() {
    try {
      Path root = Path.of(FreshLocatorTables.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      try (Stream<Path> files = Files.walk(root)) {
        return files.filter(f -> f.toString().endsWith(".class")).map(f -> root.relativize(f).toString())
            .map(n -> n.substring(0, n.length() - ".class".length()).replace(root.getFileSystem().getSeparator(), "."))
            .<Class<?>>map(FreshLocatorTables::load).filter(c -> c != null).toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The class, or null when it cannot be loaded here (a runtime left off the class path). */
  private static @Nullable Class<?> load(String name) {
    try {
      return Class.forName(name, false, FreshLocatorTables.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}

package dev.keygate.spring.boot;

/**
 * Creates Keygate's tables before the engine first reads the store: through the application's
 * Flyway when it has one, else by the store's own script, or not at all ({@link #NONE}, for a
 * store without tables or a schema managed elsewhere). The {@code Keygate} bean calls it first.
 */
@FunctionalInterface
public interface KeygateSchema {
  /** Nothing to create. */
  KeygateSchema NONE = () -> {};

  /** Creates what is missing; harmless when the schema is there. */
  void ensure();
}

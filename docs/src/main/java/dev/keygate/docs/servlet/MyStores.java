package dev.keygate.docs.servlet;

import dev.keygate.ApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;

/** Stands for the application's own store (a {@code JdbcApiKeyStore} in a real one). */
public final class MyStores {
  private static final ApiKeyStore KEYS = new InMemoryApiKeyStore();

  private MyStores() {}

  /** The application's one key store. */
  public static ApiKeyStore keys() {
    return KEYS;
  }
}

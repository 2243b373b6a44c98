package dev.keygate.spring.boot;

import dev.keygate.ApiKeyStore;

/**
 * What the {@link dev.keygate.Keygate} bean reads its keys through, given the store bean: the store
 * itself, or the store announcing its changes over Redis ({@link KeygateRedisConfiguration}).
 * Internal to the auto-configuration; free of Redis types, so that the core configuration loads
 * without keygate-redis.
 */
@FunctionalInterface
interface KeygateStoreDecorator {
  /**
   * The store to give Keygate's builder.
   *
   * @param store the store bean
   * @return {@code store}, or a store wrapping it
   */
  ApiKeyStore decorate(ApiKeyStore store);
}

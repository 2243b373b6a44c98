package dev.keygate.spi;

import dev.keygate.ApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;

class InMemoryApiKeyStoreTest extends ApiKeyStoreContractTest {
  @Override
  protected ApiKeyStore newStore() {
    return new InMemoryApiKeyStore();
  }
}

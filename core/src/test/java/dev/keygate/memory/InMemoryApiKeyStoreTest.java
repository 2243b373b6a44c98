package dev.keygate.memory;

import dev.keygate.ApiKeyStore;
import dev.keygate.testkit.ApiKeyStoreContractTest;

/** The in-memory store honours the store contract (keygate-testkit). It has no outage to prove. */
class InMemoryApiKeyStoreTest extends ApiKeyStoreContractTest {
  @Override
  protected ApiKeyStore newStore() {
    return new InMemoryApiKeyStore();
  }
}

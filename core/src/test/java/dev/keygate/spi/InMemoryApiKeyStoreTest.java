package dev.keygate.spi;

class InMemoryApiKeyStoreTest extends ApiKeyStoreContractTest {
  @Override
  protected ApiKeyStore newStore() {
    return new InMemoryApiKeyStore();
  }
}

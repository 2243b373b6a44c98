package dev.keygate;

/** No key with the given id (or not visible to the caller). Maps to 404 in a management API. */
public class KeyNotFoundException extends KeygateException {
  /**
   * For the given public key id.
   *
   * @param keyId the id no key has
   */
  public KeyNotFoundException(String keyId) {
    super("no API key with id " + keyId);
  }
}

package dev.keygate;


/** {@link ApiKeyStore#create} was given an id the store already holds. */
public class DuplicateKeyIdException extends KeygateException {
  /**
   * For the given key id (ids are public, safe in messages).
   *
   * @param keyId the id already taken
   */
  public DuplicateKeyIdException(String keyId) {
    super("a key with id " + keyId + " already exists");
  }
}

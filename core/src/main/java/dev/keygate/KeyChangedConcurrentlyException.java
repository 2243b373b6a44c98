package dev.keygate;

/**
 * Another change to the key landed between reading it and writing it (the store's optimistic
 * concurrency check failed), and this one was not applied. Retryable: read the key again and
 * retry if the operation still makes sense.
 */
public final class KeyChangedConcurrentlyException extends KeyStateException {
  /**
   * With a message naming the key.
   *
   * @param keyId the key that another change got to first
   */
  public KeyChangedConcurrentlyException(String keyId) {
    super("API key " + keyId + " was changed concurrently; try again");
  }
}

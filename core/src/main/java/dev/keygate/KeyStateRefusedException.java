package dev.keygate;

/**
 * The key's state forbids the operation for good: rotating a revoked key, deleting an active one.
 * Retrying cannot succeed.
 */
public final class KeyStateRefusedException extends KeyStateException {
  /**
   * With a message naming the key and the rule that refused the operation.
   *
   * @param message what was refused and why (no secret)
   */
  public KeyStateRefusedException(String message) {
    super(message);
  }
}

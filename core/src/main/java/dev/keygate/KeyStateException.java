package dev.keygate;

/**
 * The operation is not allowed in the key's current state (rotating a revoked key, deleting an
 * active one, a concurrent change). Maps to 409 in a management API.
 */
public class KeyStateException extends KeygateException {
  /** With a message that says which rule refused the operation. */
  public KeyStateException(String message) {
    super(message);
  }
}

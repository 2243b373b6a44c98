package dev.keygate;

/**
 * The operation is not allowed on the key as it is now. Maps to 409 in a management API. Which of
 * the two kinds it is says what the caller should do:
 *
 * <ul>
 *   <li>{@link KeyStateRefusedException}: the key's state forbids it for good (rotating a revoked
 *       key, deleting an active one); retrying cannot succeed.
 *   <li>{@link KeyChangedConcurrentlyException}: another change to the key landed first; read it
 *       again and retry if the operation still makes sense.
 * </ul>
 */
public abstract sealed class KeyStateException extends KeygateException
    permits KeyStateRefusedException, KeyChangedConcurrentlyException {
  KeyStateException(String message) {
    super(message);
  }
}

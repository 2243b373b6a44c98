package dev.keygate;


/**
 * The store could not answer (database down, pool exhausted, timeout). The engine turns it into a
 * 503 for keys it has not cached; it never means "no such key" (that is an empty result).
 */
public class StoreUnavailableException extends KeygateException {
  /**
   * With a message.
   *
   * @param message what failed (no secret, no connection string)
   */
  public StoreUnavailableException(String message) {
    super(message);
  }

  /**
   * With a message and the underlying cause (e.g. an {@code SQLException}).
   *
   * @param message what failed (no secret, no connection string)
   * @param cause the driver's or backend's exception
   */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.keygate;

/** Base of Keygate's unchecked exceptions. Messages never contain a secret. */
public class KeygateException extends RuntimeException {
  /**
   * With a message.
   *
   * @param message what went wrong (never a secret)
   */
  public KeygateException(String message) {
    super(message);
  }

  /**
   * With a message and a cause.
   *
   * @param message what went wrong (never a secret)
   * @param cause the underlying failure
   */
  public KeygateException(String message, Throwable cause) {
    super(message, cause);
  }
}

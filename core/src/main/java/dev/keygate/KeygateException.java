package dev.keygate;

/** Base of Keygate's unchecked exceptions. Messages never contain a secret. */
public class KeygateException extends RuntimeException {
  /** With a message. */
  public KeygateException(String message) {
    super(message);
  }

  /** With a message and a cause. */
  public KeygateException(String message, Throwable cause) {
    super(message, cause);
  }
}

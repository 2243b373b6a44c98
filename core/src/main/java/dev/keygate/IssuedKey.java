package dev.keygate;

import java.util.Objects;

/**
 * A key as handed out once, at creation or rotation: the stored record and the plaintext. The
 * plaintext cannot be recovered later. {@link #toString()} masks it.
 *
 * @param plaintext the full key, to show to its owner once
 * @param key the stored record
 */
public record IssuedKey(String plaintext, ApiKey key) {
  /**
   * Checks both parts are present.
   *
   * @param plaintext the full key, to show to its owner once
   * @param key the stored record
   */
  public IssuedKey {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return "IssuedKey[" + key.hint() + ", " + key + "]";
  }
}

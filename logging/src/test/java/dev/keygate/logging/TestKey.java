package dev.keygate.logging;

import dev.keygate.KeyFormat;
import dev.keygate.ParsedKey;

/** A freshly generated key, with what a masked log may show (its hint) and what it must not (its secret). */
public record TestKey(String plaintext, String hint, String secret) {
  private static final int ID_LENGTH = 12;
  private static final int SECRET_LENGTH = 32;

  /** A new key of {@code prefix}. */
  public static TestKey generate(String prefix) {
    KeyFormat format = KeyFormat.withPrefix(prefix);
    ParsedKey key = format.generate();
    String plaintext = key.plaintext();
    int secretAt = prefix.length() + 1 + ID_LENGTH;
    return new TestKey(plaintext, format.hint(key.id()), plaintext.substring(secretAt, secretAt + SECRET_LENGTH));
  }

  @Override
  public String toString() {
    return hint; // a failing assertion prints the hint, not the key
  }
}

package dev.keygate;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A well-formed key, split into its parts. Obtained from {@link KeyFormat#parse} or {@link
 * KeyFormat#generate}. Its {@link #toString()} shows only the prefix and the id, never the
 * secret.
 */
public final class ParsedKey {
  private final String plaintext;
  private final int bodyStart;
  private byte @Nullable [] ascii; // the key's bytes from parsing, until digest() consumes them
  private final @Nullable String environment;

  ParsedKey(String plaintext, int bodyStart) {
    this(plaintext, bodyStart, null, null);
  }

  ParsedKey(String plaintext, int bodyStart, byte @Nullable [] ascii, @Nullable String environment) {
    this.plaintext = plaintext;
    this.bodyStart = bodyStart;
    this.ascii = ascii;
    this.environment = environment;
  }

  /**
   * The environment the format binds this key's prefix to ({@link KeyFormat#withEnvironments}).
   *
   * @return the environment of the key's prefix, or null when its format binds none
   */
  public @Nullable String environment() {
    return environment;
  }

  /**
   * The SHA-256 digest of the key's id and secret (the cache key; the checksum follows from the rest,
   * and the prefix is left out: with several prefixes the engine checks on every use that the
   * prefix's environment is the key's); reuses and wipes the bytes kept from parsing.
   */
  KeyDigest digest() {
    int length = KeyFormat.ID_LENGTH + KeyFormat.SECRET_LENGTH;
    byte[] bytes = ascii;
    if (bytes == null) {
      return KeyDigest.of(plaintext, bodyStart, length);
    }
    ascii = null;
    try {
      return KeyDigest.of(bytes, bodyStart, length);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * The public key id (12 base62 characters), safe to log and to store.
   *
   * @return the public key id (12 base62 characters), safe to log and to store
   */
  public String id() {
    return plaintext.substring(bodyStart, bodyStart + KeyFormat.ID_LENGTH);
  }

  /**
   * The prefix, without its trailing underscore.
   *
   * @return the prefix, without its trailing underscore
   */
  public String prefix() {
    return plaintext.substring(0, bodyStart - 1);
  }

  /**
   * The secret part as UTF-8 bytes, a fresh array the caller should wipe ({@link
   * Arrays#fill(byte[], byte)}) when done.
   *
   * @return the secret part as UTF-8 bytes, a fresh array the caller should wipe ({@link
   *     Arrays#fill(byte[], byte)}) when done
   */
  public byte[] secretBytes() {
    byte[] out = new byte[KeyFormat.SECRET_LENGTH];
    int from = bodyStart + KeyFormat.ID_LENGTH;
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) plaintext.charAt(from + i); // base62 is ASCII
    }
    return out;
  }

  /**
   * The whole key as presented or generated. Show it to its owner once; never log it.
   *
   * @return the whole key as presented or generated
   */
  public String plaintext() {
    return plaintext;
  }

  /**
   * The key masked for logs: {@code prefix_id…}.
   *
   * @return the key masked for logs
   */
  public String masked() {
    return plaintext.substring(0, bodyStart + KeyFormat.ID_LENGTH) + "…";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParsedKey other && other.plaintext.equals(plaintext);
  }

  @Override
  public int hashCode() {
    return plaintext.hashCode();
  }

  @Override
  public String toString() {
    return "ParsedKey[" + masked() + "]";
  }
}

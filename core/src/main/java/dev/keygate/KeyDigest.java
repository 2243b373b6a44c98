package dev.keygate;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 digest of a whole presented key, used as the cache key so that caches never hold a
 * plaintext key. Equality is on the 256-bit value.
 */
final class KeyDigest {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(KeyDigest::sha256);
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[128]);

  private final long a;
  private final long b;
  private final long c;
  private final long d;

  private KeyDigest(byte[] digest) {
    ByteBuffer buf = ByteBuffer.wrap(digest);
    a = buf.getLong();
    b = buf.getLong();
    c = buf.getLong();
    d = buf.getLong();
  }

  /**
   * Digests {@code length} ASCII bytes of a key from {@code offset}. Callers pass the id and the
   * secret (44 bytes: one SHA-256 block instead of two for the whole key); the prefix is the same
   * for every key of a format and the checksum follows from the rest.
   */
  static KeyDigest of(byte[] ascii, int offset, int length) {
    MessageDigest md = SHA256.get();
    md.update(ascii, offset, length);
    return new KeyDigest(md.digest());
  }

  /** Digests {@code length} characters of an ASCII key from {@code offset} (see {@link #of(byte[], int, int)}). */
  static KeyDigest of(String asciiKey, int offset, int length) {
    byte[] scratch = SCRATCH.get();
    if (scratch.length < length) {
      scratch = new byte[length];
      SCRATCH.set(scratch);
    }
    for (int i = 0; i < length; i++) {
      scratch[i] = (byte) asciiKey.charAt(offset + i);
    }
    try {
      return of(scratch, 0, length);
    } finally {
      java.util.Arrays.fill(scratch, 0, length, (byte) 0);
    }
  }

  /** Digests all of {@code ascii}. */
  static KeyDigest of(byte[] ascii) {
    return of(ascii, 0, ascii.length);
  }

  /** Digests all of an ASCII string. */
  static KeyDigest of(String ascii) {
    return of(ascii, 0, ascii.length());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyDigest k && k.a == a && k.b == b && k.c == c && k.d == d;
  }

  @Override
  public int hashCode() {
    return (int) a; // already uniformly distributed
  }

  @Override
  public String toString() {
    return "KeyDigest[" + Long.toHexString(a) + "…]";
  }
}

package dev.keygate.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 digest of a whole presented key, used as the cache key so that caches never hold a
 * plaintext key. Equality is on the 256-bit value.
 */
public final class KeyDigest {
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

  /** Digests the ASCII bytes of a key. */
  public static KeyDigest of(byte[] asciiKey) {
    MessageDigest md = SHA256.get();
    md.update(asciiKey);
    return new KeyDigest(md.digest());
  }

  /** Digests an ASCII key (a key that passed {@code KeyFormat.parse}). */
  public static KeyDigest of(String asciiKey) {
    byte[] scratch = SCRATCH.get();
    int n = asciiKey.length();
    if (scratch.length < n) {
      scratch = new byte[n];
      SCRATCH.set(scratch);
    }
    for (int i = 0; i < n; i++) {
      scratch[i] = (byte) asciiKey.charAt(i);
    }
    MessageDigest md = SHA256.get();
    md.update(scratch, 0, n);
    java.util.Arrays.fill(scratch, 0, n, (byte) 0);
    return new KeyDigest(md.digest());
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

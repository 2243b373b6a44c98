package dev.keygate;

import java.security.SecureRandom;

/** Base62 alphabet helpers shared by key generation and parsing. */
final class Base62 {
  static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Base62() {}

  /** Whether {@code c} is one of the 62 characters {@code [0-9A-Za-z]}. */
  static boolean isBase62(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** Uniformly random base62 string; rejection sampling keeps every character equally likely. */
  static String random(SecureRandom random, int length) {
    char[] out = new char[length];
    byte[] buffer = new byte[length * 2];
    int filled = 0;
    while (filled < length) {
      random.nextBytes(buffer);
      for (int i = 0; i < buffer.length && filled < length; i++) {
        int v = buffer[i] & 0x3F; // 0..63; drop 62 and 63 so the draw stays uniform
        if (v < 62) {
          out[filled++] = ALPHABET[v];
        }
      }
    }
    return new String(out);
  }

  /** Encodes an unsigned 32-bit value as exactly {@code width} base62 digits, zero padded. */
  static void encodeFixed(long value, byte[] into, int offset, int width) {
    long v = value;
    for (int i = offset + width - 1; i >= offset; i--) {
      into[i] = (byte) ALPHABET[(int) (v % 62)];
      v /= 62;
    }
  }
}

package dev.keygate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a Keygate API key: {@code <prefix>_<id><secret><checksum>}.
 *
 * <p>The body after {@code <prefix>_} is 50 base62 characters: a {@value #ID_LENGTH}-character
 * public key id, a {@value #SECRET_LENGTH}-character random secret (about 190 bits from {@link
 * SecureRandom}) and a {@value #CHECKSUM_LENGTH}-character checksum, the CRC32 of everything before
 * it (prefix and underscore included) in base62. A key that fails the format or the checksum is
 * rejected by {@link #parse} without touching a store and without throwing.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class KeyFormat {
  /** Length of the public key id. */
  public static final int ID_LENGTH = 12;
  /** Length of the random secret. */
  public static final int SECRET_LENGTH = 32;
  /** Length of the base62 CRC32 checksum. */
  public static final int CHECKSUM_LENGTH = 6;
  /** Length of the part after {@code <prefix>_}. */
  public static final int BODY_LENGTH = ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;
  /** Longest accepted prefix. */
  public static final int MAX_PREFIX_LENGTH = 32;

  private static final Pattern PREFIX = Pattern.compile("[a-z0-9](?:_?[a-z0-9])*");
  private static final Pattern KEY_ID = Pattern.compile("[0-9A-Za-z]{" + ID_LENGTH + "}");
  private static final int HINT_ID_CHARS = 6;

  private final String prefix;
  private final int keyLength;
  private final SecureRandom random;

  private KeyFormat(String prefix, SecureRandom random) {
    this.prefix = prefix;
    this.keyLength = prefix.length() + 1 + BODY_LENGTH;
    this.random = random;
  }

  /**
   * A format for keys that start with {@code prefix + "_"}.
   *
   * @param prefix lowercase letters and digits, optionally in parts joined by single {@code _}
   *     (no leading, trailing or doubled {@code _}), 1 to 32 characters (e.g. {@code
   *     kg_live}, {@code avl}, {@code ak_avalon}, {@code avala_sk})
   * @return the format
   * @throws IllegalArgumentException if the prefix breaks those rules
   */
  public static KeyFormat withPrefix(String prefix) {
    return new KeyFormat(checkPrefix(prefix), new SecureRandom());
  }

  /**
   * Like {@link #withPrefix(String)}, with an explicit source of randomness (tests, or a
   * deployment that wants a specific {@link SecureRandom} algorithm).
   *
   * @param prefix the key prefix, as for {@link #withPrefix(String)}
   * @param random where ids and secrets come from
   * @return the format
   * @throws IllegalArgumentException if the prefix is invalid
   */
  public static KeyFormat withPrefix(String prefix, SecureRandom random) {
    return new KeyFormat(checkPrefix(prefix), Objects.requireNonNull(random, "random"));
  }

  /** {@code prefix} if it is a valid prefix; {@link IllegalArgumentException} saying why not otherwise. */
  static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix must be 1 to 32 lowercase letters or digits, in parts joined by single '_', got '"
              + prefix + "'");
    }
    return prefix;
  }

  /**
   * The configured prefix, without the trailing underscore.
   *
   * @return the configured prefix, without the trailing underscore
   */
  public String prefix() {
    return prefix;
  }

  /**
   * The exact length of every key of this format.
   *
   * @return the exact length of every key of this format
   */
  public int keyLength() {
    return keyLength;
  }

  /**
   * Generates a new key with a fresh random id and secret.
   *
   * @return a new key with a random id and secret
   */
  public ParsedKey generate() {
    return generate(Base62.random(random, ID_LENGTH));
  }

  /**
   * Generates a new secret for an existing key id (rotation keeps the id).
   *
   * @param keyId the id to keep (12 base62 characters)
   * @return a key with that id and a new random secret
   * @throws IllegalArgumentException if {@code keyId} is not a valid key id
   */
  public ParsedKey generate(String keyId) {
    if (!isValidKeyId(keyId)) {
      throw new IllegalArgumentException("key id must be 12 base62 characters");
    }
    String body = prefix + "_" + keyId + Base62.random(random, SECRET_LENGTH);
    byte[] key = Arrays.copyOf(body.getBytes(StandardCharsets.ISO_8859_1), keyLength);
    int checksumAt = keyLength - CHECKSUM_LENGTH;
    Base62.encodeFixed(crc(key, checksumAt), key, checksumAt, CHECKSUM_LENGTH);
    String plaintext = new String(key, StandardCharsets.ISO_8859_1);
    Arrays.fill(key, (byte) 0);
    return new ParsedKey(plaintext, prefix.length() + 1);
  }

  /**
   * Parses a presented key. Cheap and allocation-light: it checks the length first (so absurdly
   * long input costs nothing), then the prefix, the alphabet and the checksum.
   *
   * @param presented the header value, possibly null or garbage
   * @return the parsed key, or {@code null} when it is not a well-formed key of this format
   */
  public @Nullable ParsedKey parse(@Nullable CharSequence presented) {
    if (presented == null || presented.length() != keyLength) {
      return null;
    }
    int plen = prefix.length();
    for (int i = 0; i < plen; i++) {
      if (presented.charAt(i) != prefix.charAt(i)) {
        return null;
      }
    }
    if (presented.charAt(plen) != '_') {
      return null;
    }
    for (int i = plen + 1; i < keyLength; i++) {
      if (!Base62.isBase62(presented.charAt(i))) {
        return null;
      }
    }
    String text = presented.toString();
    byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1); // all base62: one byte per char
    int checksumAt = keyLength - CHECKSUM_LENGTH;
    byte[] expected = new byte[CHECKSUM_LENGTH];
    Base62.encodeFixed(crc(ascii, checksumAt), expected, 0, CHECKSUM_LENGTH);
    if (!Arrays.equals(ascii, checksumAt, keyLength, expected, 0, CHECKSUM_LENGTH)) {
      Arrays.fill(ascii, (byte) 0);
      return null;
    }
    return new ParsedKey(text, plen + 1, ascii);
  }

  /**
   * The display hint stored for a key id: prefix and the first characters of the id.
   *
   * @param keyId the public key id
   * @return the prefix and the first characters of the id, safe to show in lists
   */
  public String hint(String keyId) {
    return hint(prefix, keyId);
  }

  /** The hint of a key of {@code prefix} and {@code keyId}: what {@link #hint(String)} shows. */
  static String hint(String prefix, String keyId) {
    return prefix + "_" + keyId.substring(0, Math.min(HINT_ID_CHARS, keyId.length())) + "…";
  }

  /**
   * Whether {@code keyId} has the shape of a key id (12 base62 characters).
   *
   * @param keyId the text to check, possibly null
   * @return whether it is 12 base62 characters
   */
  public static boolean isValidKeyId(@Nullable String keyId) {
    return keyId != null && KEY_ID.matcher(keyId).matches();
  }

  /** The CRC32 of the first {@code length} bytes: the checksum of generated and parsed keys alike. */
  private static long crc(byte[] ascii, int length) {
    CRC32 crc = new CRC32();
    crc.update(ascii, 0, length);
    return crc.getValue();
  }

  @Override
  public String toString() {
    return "KeyFormat[" + prefix + "_…]";
  }
}

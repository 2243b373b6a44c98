package dev.keygate.hash;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * HMAC-SHA-256 of the secret keyed by a server-side pepper: {@code $hmac-sha256$k=<pepperId>$<mac>}.
 *
 * <p>Keygate secrets carry about 190 bits of entropy, so a keyed fast hash is a sound choice (OWASP
 * ASVS 5.0 6.5.2 allows a standard hash above 112 bits): a cold verification costs microseconds
 * instead of Argon2id's ~22 ms, which matters for large fleets restarting with empty caches. The
 * price: the pepper must be kept outside the store, and anyone holding both pepper and database can
 * check guesses quickly (though guessing 190 bits remains hopeless).
 *
 * <p>The pepper id in the hash lets {@link #needsRehash} spot hashes made with an older pepper.
 * Thread-safe.
 */
public final class HmacSha256Hasher implements KeyHasher {
  private static final String PREFIX = "$hmac-sha256$k=";
  private static final Pattern PEPPER_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final Pepper pepper;
  private final String pepperId;
  private final String head;

  private HmacSha256Hasher(byte[] pepper, String pepperId) {
    this.pepper = new Pepper(pepper);
    this.pepperId = pepperId;
    this.head = PREFIX + pepperId + "$";
  }

  /**
   * A hasher keyed by {@code pepper} (copied), identified in stored hashes as {@code pepperId}.
   *
   * @param pepper the HMAC key, kept outside the database (copied)
   * @param pepperId names the pepper in every hash, so that a later pepper can be told apart
   * @return the hasher
   * @throws IllegalArgumentException if the pepper is shorter than 16 bytes or the id is not 1 to
   *     32 characters of {@code [A-Za-z0-9_-]}
   */
  public static HmacSha256Hasher withPepper(byte[] pepper, String pepperId) {
    Objects.requireNonNull(pepper, "pepper");
    if (!PEPPER_ID.matcher(Objects.requireNonNull(pepperId, "pepperId")).matches()) {
      throw new IllegalArgumentException("pepperId must match [A-Za-z0-9_-]{1,32}");
    }
    return new HmacSha256Hasher(pepper, pepperId);
  }

  @Override
  public String hash(byte[] secret) {
    byte[] mac = pepper.mac(secret);
    try {
      return head + Base64.getEncoder().withoutPadding().encodeToString(mac);
    } finally {
      Arrays.fill(mac, (byte) 0);
    }
  }

  @Override
  public boolean verify(String encodedHash, byte[] secret) {
    if (!encodedHash.startsWith(head)) {
      return false;
    }
    byte[] expected;
    try {
      expected = Base64.getDecoder().decode(encodedHash.substring(head.length()));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
    byte[] actual = pepper.mac(secret);
    try {
      return MessageDigest.isEqual(expected, actual);
    } finally {
      Arrays.fill(actual, (byte) 0);
    }
  }

  @Override
  public boolean needsRehash(String encodedHash) {
    return !supports(encodedHash);
  }

  @Override
  public boolean supports(String encodedHash) {
    // only this pepper's hashes: a hasher for an older pepper can be listed in KeyHasher.preferring
    return encodedHash.startsWith(head);
  }

  @Override
  public String toString() {
    return "HmacSha256Hasher[k=" + pepperId + "]";
  }
}

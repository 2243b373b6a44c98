package dev.keygate.hash;

/**
 * Turns a key secret into a stored hash string and checks a presented secret against one.
 *
 * <p>Stored hashes are self-describing strings in PHC form ({@code $<algorithm>$<params>$...}), so
 * one store can hold hashes of several kinds at once and {@link #supports} tells which hasher
 * reads which. Implementations must be thread-safe. They never keep or log the secret, and callers
 * wipe the secret array after the call.
 */
public interface KeyHasher {

  /**
   * Hashes a secret with fresh salt where the algorithm uses one.
   *
   * @param secret the secret bytes; not modified, the caller wipes them
   * @return the encoded hash, e.g. {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}
   */
  String hash(byte[] secret);

  /**
   * Checks a secret against an encoded hash in constant time with respect to the secret.
   *
   * @param encodedHash a hash this hasher {@link #supports supports}
   * @param secret the presented secret's bytes
   * @return true when the secret matches; false when it does not or when {@code encodedHash} is
   *     not a hash this hasher {@link #supports}
   */
  boolean verify(String encodedHash, byte[] secret);

  /**
   * Whether {@code encodedHash} was made with other parameters than this hasher's current ones.
   *
   * @param encodedHash a hash that just verified
   * @return whether it should be replaced by a hash at this hasher's current parameters
   */
  boolean needsRehash(String encodedHash);

  /**
   * Whether this hasher can verify {@code encodedHash} (it names this hasher's algorithm).
   *
   * @param encodedHash a stored hash
   * @return whether this hasher can verify it
   */
  boolean supports(String encodedHash);

  /**
   * A hasher that hashes with {@code primary} and verifies with whichever of {@code primary} and
   * {@code others} supports a stored hash; hashes that only {@code others} read need a rehash.
   * Use it to migrate between algorithms, or to keep Argon2id and HMAC hashes in one store.
   *
   * @param primary hashes new secrets and upgrades old hashes
   * @param others verify hashes the primary does not support
   * @return the combined hasher
   */
  static KeyHasher preferring(KeyHasher primary, KeyHasher... others) {
    return new PreferringHasher(primary, others);
  }
}

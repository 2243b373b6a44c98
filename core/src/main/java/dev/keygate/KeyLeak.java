package dev.keygate;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The leak report recorded on a key, kept in its metadata under the reserved prefix {@value
 * #RESERVED_PREFIX} (which {@link ApiKeyService#create} refuses from callers, so nobody but a leak
 * report writes it).
 *
 * @param reportedAt when the first confirmed report arrived
 * @param url where the key was found (may be empty)
 * @param source what kind of place it was found in (may be empty)
 * @param revoked whether the report revoked the key ({@link LeakPolicy#REVOKE}); false when it was
 *     marked compromised and kept working ({@link LeakPolicy#MARK})
 */
public record KeyLeak(Instant reportedAt, String url, String source, boolean revoked) {
  /** Metadata keys starting with this belong to Keygate. */
  public static final String RESERVED_PREFIX = "keygate.";
  static final String REPORTED_AT = "keygate.leak.reported_at";
  static final String URL = "keygate.leak.url";
  static final String SOURCE = "keygate.leak.source";
  static final String ACTION = "keygate.leak.action";
  /** The SHA-256 of the reported token (public by then): a repeated report is recognised without hashing. */
  static final String TOKEN_SHA256 = "keygate.leak.token_sha256";
  static final String REVOKED = "revoked";
  static final String MARKED = "marked";
  /** The longest url kept (a metadata value holds at most 1,000 characters). */
  static final int MAX_URL = 1000;
  /** The longest source kept. */
  static final int MAX_SOURCE = 64;

  /**
   * The leak recorded on {@code key}, if any.
   *
   * @param key a stored key
   * @return the recorded leak; empty when none was reported (or the record is not Keygate's)
   */
  public static Optional<KeyLeak> of(ApiKey key) {
    Map<String, String> m = key.metadata();
    String at = m.get(REPORTED_AT);
    String action = m.get(ACTION);
    if (at == null || !(REVOKED.equals(action) || MARKED.equals(action))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new KeyLeak(Instant.parse(at), m.getOrDefault(URL, ""), m.getOrDefault(SOURCE, ""),
          REVOKED.equals(action)));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}

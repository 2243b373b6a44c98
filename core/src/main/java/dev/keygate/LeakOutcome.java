package dev.keygate;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a leak report of one token came to ({@link ApiKeyService#reportLeaks}). Holds no secret.
 *
 * @param verdict what was found and done
 * @param keyId the key id the token names, when it is well formed; else null
 * @param key the key as it is after the report, when the token's secret matched it; else null
 */
public record LeakOutcome(Verdict verdict, @Nullable String keyId, @Nullable ApiKey key) {

  /**
   * Checks the verdict is present.
   *
   * @param verdict what was found and done
   * @param keyId the key id the token names, or null
   * @param key the key as it is after the report, or null
   */
  public LeakOutcome {
    Objects.requireNonNull(verdict, "verdict");
  }

  /**
   * Whether the token is one of this service's keys (its secret matched), revoked or marked now or
   * before: a secret scanner's {@code true_positive}.
   *
   * @return whether the token is a real key
   */
  public boolean truePositive() {
    return verdict.ordinal() >= Verdict.REVOKED.ordinal();
  }

  /** What was found and done, cheapest first. */
  public enum Verdict {
    /** Not a well-formed key of this format (bad length, prefix, alphabet or checksum); no store access. */
    NOT_A_KEY,
    /** A well-formed key whose id no key has; no hashing. */
    UNKNOWN_KEY,
    /**
     * A key id that exists, but the report needed more hashing than its budget allows: not checked,
     * nothing changed. A secret scanner gets no label for it.
     */
    NOT_CHECKED,
    /** A key id that exists with a secret that is not its (a fabricated token): nothing changed. */
    WRONG_SECRET,
    /** The key's secret (or its previous one during a grace period): revoked now. */
    REVOKED,
    /** The key's secret, but the key was revoked already (by an earlier report or by hand). */
    ALREADY_REVOKED,
    /** The key's secret: recorded as compromised now, the key still works ({@link LeakPolicy#MARK}). */
    MARKED,
    /** The key's secret, and the key was recorded as compromised already. */
    ALREADY_MARKED;

    /**
     * The name as audit events and logs give it: {@code wrong_secret}.
     *
     * @return the name in lower case
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}

package dev.keygate;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An audit event: a lifecycle change or a refused authentication. Holds no secret.
 *
 * @param type what happened
 * @param keyId the key id, when known
 * @param owner the key's owner, when known
 * @param at when it happened
 * @param reason for {@link Type#AUTHENTICATION_FAILED}, the refusal; for {@link Type#LEAK_REPORTED}, the
 *     outcome; for {@link Type#REVOKED}, {@code leaked} when a leak report revoked the key; else null
 * @param clientAddress for authentication failures, the client address; else null
 * @param details more about what happened, never a secret: for {@link Type#LEAK_REPORTED}, where
 *     the key was found ({@code url}, {@code source}); else empty
 */
public record KeyEvent(
    Type type,
    @Nullable String keyId,
    @Nullable String owner,
    Instant at,
    @Nullable String reason,
    @Nullable String clientAddress,
    Map<String, String> details) {

  /**
   * Checks the required parts.
   *
   * @param type what happened
   * @param keyId the key id, when known
   * @param owner the key's owner, when known
   * @param at when it happened
   * @param reason for {@link Type#AUTHENTICATION_FAILED}, the refusal; for {@link Type#LEAK_REPORTED},
   *     the outcome; for {@link Type#REVOKED}, {@code leaked} when a leak report revoked the key; else null
   * @param clientAddress for authentication failures, the client address; else null
   * @param details more about what happened, never a secret; empty for none
   */
  public KeyEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    details = Map.copyOf(details);
  }

  /**
   * An event without details.
   *
   * @param type what happened
   * @param keyId the key id, when known
   * @param owner the key's owner, when known
   * @param at when it happened
   * @param reason for {@link Type#AUTHENTICATION_FAILED}, the refusal; for {@link Type#REVOKED},
   *     {@code leaked} when a leak report revoked it; else null
   * @param clientAddress for authentication failures, the client address; else null
   */
  public KeyEvent(Type type, @Nullable String keyId, @Nullable String owner, Instant at, @Nullable String reason,
      @Nullable String clientAddress) {
    this(type, keyId, owner, at, reason, clientAddress, Map.of());
  }

  /** The kinds of audit event. */
  public enum Type {
    /** A key was created. */
    CREATED,
    /** A key got a new secret. */
    ROTATED,
    /** A key was revoked. */
    REVOKED,
    /** A key was deleted. */
    DELETED,
    /** A request was refused. */
    AUTHENTICATION_FAILED,
    /**
     * A secret scanner reported a token as leaked; {@link KeyEvent#reason()} is the {@link
     * LeakOutcome.Verdict} in lower case ({@code revoked}, {@code wrong_secret}, ...), {@link
     * KeyEvent#details()} holds {@code url} and {@code source}. Never holds the token.
     */
    LEAK_REPORTED
  }
}

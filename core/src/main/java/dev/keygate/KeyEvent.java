package dev.keygate;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An audit event: a lifecycle change or a refused authentication. Holds no secret.
 *
 * @param type what happened
 * @param keyId the key id, when known
 * @param owner the key's owner, when known
 * @param at when it happened
 * @param reason for {@link Type#AUTHENTICATION_FAILED}, the refusal; else null
 * @param clientAddress for authentication failures, the client address; else null
 */
public record KeyEvent(
    Type type,
    @Nullable String keyId,
    @Nullable String owner,
    Instant at,
    @Nullable String reason,
    @Nullable String clientAddress) {

  /**
   * Checks the required parts.
   *
   * @param type what happened
   * @param keyId the key id, when known
   * @param owner the key's owner, when known
   * @param at when it happened
   * @param reason for {@link Type#AUTHENTICATION_FAILED}, the refusal; else null
   * @param clientAddress for authentication failures, the client address; else null
   */
  public KeyEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
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
    AUTHENTICATION_FAILED
  }
}

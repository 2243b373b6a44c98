package dev.keygate;

/** The state of a key at a given instant, derived from its revocation and expiry times. */
public enum KeyStatus {
  /** Not revoked and not expired. */
  ACTIVE,
  /** Revoked: permanently disabled; the record stays for the audit trail. */
  REVOKED,
  /** Past its expiry instant (an expiry exactly now counts as expired). */
  EXPIRED
}

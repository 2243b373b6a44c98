package dev.keygate;

/** What a confirmed leak report does to the key ({@link ApiKeyService#reportLeaks}). */
public enum LeakPolicy {
  /** Revoke the key at once, for good (the default of the management API's leak route). */
  REVOKE,
  /**
   * Keep the key working, record it as compromised (the API Keys page warns its owner), and let
   * the application notify the owner.
   */
  MARK
}

package dev.keygate;

/**
 * Told that a key's stored record changed (rotated, revoked, updated) or was deleted, so that
 * caches holding it drop it. Must be fast and must not throw.
 */
@FunctionalInterface
public interface KeyChangeListener {
  /**
   * The record of {@code keyId} changed or is gone.
   *
   * @param keyId the public id of the key that changed or was deleted
   */
  void keyChanged(String keyId);
}

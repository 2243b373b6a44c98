package dev.keygate;

import java.time.Instant;
import java.util.Objects;

/**
 * Usage of one key accumulated in memory since the last flush.
 *
 * @param keyId the key id
 * @param count successful authentications to add, at least 1
 * @param lastUsedAt the latest of them
 */
public record UsageRecord(String keyId, long count, Instant lastUsedAt) {
  /**
   * @param keyId the key id
   * @param count successful authentications to add, at least 1
   * @param lastUsedAt the latest of them
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public UsageRecord {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
  }
}

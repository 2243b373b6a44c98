package dev.keygate.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keygate.ApiKey;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A key as signup answers it: the fields of the management API's key (keygate-management's
 * {@code KeyJson}), with {@code key}, the plaintext, shown this once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record KeyView(
    String id,
    @Nullable String key,
    String name,
    String hint,
    Set<String> scopes,
    boolean fullAccess,
    @Nullable String environment,
    String status,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant revokedAt,
    @Nullable Instant rotatedAt,
    @Nullable Instant lastUsedAt,
    long usageCount,
    List<String> allowedIps) {

  static KeyView of(ApiKey k, @Nullable String plaintext, Instant now) {
    return new KeyView(k.id(), plaintext, k.name(), k.hint(), k.scopes(), k.scopes().isEmpty() || k.scopes().contains("*"),
        k.environment(),
        k.statusAt(now).name().toLowerCase(java.util.Locale.ROOT), k.createdAt(), k.expiresAt(), k.revokedAt(),
        k.rotatedAt(), k.lastUsedAt(), k.usageCount(), k.allowedIps());
  }

  @Override
  public String toString() {
    return "KeyView[" + id + ", " + name + "]";
  }
}

package dev.keygate.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.ApiKey;
import dev.keygate.KeyLeak;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A key as the management API shows it: snake_case, absent values left out, a plaintext only once;
 * a leak report recorded on it as {@code leak}, {@code revoked_reason: "leaked"} and {@code compromised}.
 */
final class KeyJson {
  private KeyJson() {}

  /**
   * The key as JSON; {@code fullAccess} is whether the engine gives it every scope (no scopes under
   * {@code EmptyScopePolicy.FULL_ACCESS}), what the page shows as "All permissions".
   */
  static ObjectNode of(ApiKey k, @Nullable String plaintext, Instant now, boolean fullAccess) {
    ObjectNode o = Replies.JSON.createObjectNode();
    o.put("id", k.id());
    if (plaintext != null) {
      o.put("key", plaintext);
    }
    o.put("name", k.name());
    o.put("hint", k.hint());
    k.scopes().stream().sorted().forEach(o.putArray("scopes")::add);
    o.put("full_access", fullAccess);
    putIfPresent(o, "environment", k.environment());
    o.put("status", k.statusAt(now).name().toLowerCase(Locale.ROOT));
    o.put("created_at", k.createdAt().toString());
    putIfPresent(o, "expires_at", k.expiresAt());
    putIfPresent(o, "revoked_at", k.revokedAt());
    KeyLeak leak = KeyLeak.of(k).orElse(null);
    if (leak != null && leak.revoked() && k.revokedAt() != null) {
      o.put("revoked_reason", "leaked");
    }
    // marked by a leak report and still not revoked: it works, and its owner should replace it
    o.put("compromised", leak != null && !leak.revoked() && k.revokedAt() == null);
    if (leak != null) {
      o.putObject("leak").put("reported_at", leak.reportedAt().toString()).put("url", leak.url())
          .put("source", leak.source()).put("action", leak.revoked() ? "revoked" : "marked");
    }
    putIfPresent(o, "rotated_at", k.rotatedAt());
    putIfPresent(o, "last_used_at", k.lastUsedAt());
    o.put("usage_count", k.usageCount());
    k.allowedIps().forEach(o.putArray("allowed_ips")::add);
    if (k.rateLimit() != null) {
      o.putObject("rate_limit").put("requests", k.rateLimit().requests())
          .put("period_seconds", k.rateLimit().period().toSeconds());
    }
    return o;
  }

  private static void putIfPresent(ObjectNode o, String field, @Nullable Object value) {
    if (value != null) {
      o.put(field, value.toString());
    }
  }
}

package dev.keygate.sample.spring;

import dev.keygate.ApiKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A key in the management API's JSON fields (snake_case; absent values left out), as signup answers it. */
final class KeyFields {
  private KeyFields() {}

  static Map<String, Object> of(ApiKey k, @Nullable String plaintext, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", k.id());
    put(out, "key", plaintext);
    out.put("name", k.name());
    out.put("hint", k.hint());
    out.put("scopes", k.scopes());
    out.put("full_access", k.scopes().isEmpty() || k.scopes().contains("*"));
    put(out, "environment", k.environment());
    out.put("status", k.statusAt(now).name().toLowerCase(Locale.ROOT));
    out.put("created_at", k.createdAt().toString());
    put(out, "expires_at", k.expiresAt());
    put(out, "revoked_at", k.revokedAt());
    put(out, "rotated_at", k.rotatedAt());
    put(out, "last_used_at", k.lastUsedAt());
    out.put("usage_count", k.usageCount());
    out.put("allowed_ips", k.allowedIps());
    return out;
  }

  private static void put(Map<String, Object> out, String field, @Nullable Object value) {
    if (value != null) {
      out.put(field, value.toString());
    }
  }
}

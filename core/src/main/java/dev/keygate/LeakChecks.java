package dev.keygate;

import dev.keygate.hash.KeyHasher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Acts on secret scanners' reports for {@link ApiKeyService#reportLeaks}: the cheap checks first
 * (the format, then one store lookup by id), the hasher only for a key that exists and only within
 * the report's budget, and a change only when the token's secret is the key's.
 */
final class LeakChecks {
  private static final int UPDATE_ATTEMPTS = 3;

  private final ApiKeyStore store;
  private final KeyFormat format;
  private final KeyHasher hasher;
  private final Clock clock;
  private final AuditTrail audit;

  LeakChecks(ApiKeyStore store, KeyFormat format, KeyHasher hasher, Clock clock, AuditTrail audit) {
    this.store = store;
    this.format = format;
    this.hasher = hasher;
    this.clock = clock;
    this.audit = audit;
  }

  List<LeakOutcome> report(List<ReportedLeak> leaks, LeakPolicy policy, int maxHashes) {
    Objects.requireNonNull(policy, "policy");
    if (maxHashes < 0) {
      throw new IllegalArgumentException("maxHashes must not be negative, got " + maxHashes);
    }
    int[] hashesLeft = {maxHashes};
    Map<String, LeakOutcome> seen = new HashMap<>(); // a token reported twice is checked, changed and audited once
    List<LeakOutcome> out = new ArrayList<>(leaks.size());
    for (ReportedLeak leak : leaks) {
      LeakOutcome outcome = seen.get(leak.token());
      if (outcome == null) {
        outcome = check(leak, policy, hashesLeft);
        seen.put(leak.token(), outcome);
      }
      out.add(outcome);
    }
    return List.copyOf(out);
  }

  private LeakOutcome check(ReportedLeak leak, LeakPolicy policy, int[] hashesLeft) {
    ParsedKey parsed = format.parse(leak.token());
    if (parsed == null) {
      return audited(new LeakOutcome(LeakOutcome.Verdict.NOT_A_KEY, null, null), null, leak);
    }
    String id = parsed.id();
    Optional<ApiKey> found = store.findById(id);
    if (found.isEmpty()) {
      return audited(new LeakOutcome(LeakOutcome.Verdict.UNKNOWN_KEY, id, null), null, leak);
    }
    ApiKey key = found.get();
    String tokenSha256 = leak.tokenSha256();
    LeakOutcome.Verdict match = matches(key, parsed, tokenSha256, hashesLeft);
    if (match != null) {
      return audited(new LeakOutcome(match, id, null), key.owner(), leak);
    }
    return apply(key, tokenSha256, leak, policy);
  }

  /** Null when the token's secret is the key's; else why not (a wrong secret, or no budget left). */
  private LeakOutcome.@org.jspecify.annotations.Nullable Verdict matches(ApiKey key, ParsedKey parsed, String tokenSha256,
      int[] hashesLeft) {
    String recorded = key.metadata().get(KeyLeak.TOKEN_SHA256);
    if (recorded != null && MessageDigest.isEqual(tokenSha256.getBytes(StandardCharsets.US_ASCII),
        recorded.getBytes(StandardCharsets.US_ASCII))) {
      return null; // reported (and confirmed) before: no hashing for a repeat
    }
    byte[] secret = parsed.secretBytes();
    try {
      if (hashesLeft[0] < 1) {
        return LeakOutcome.Verdict.NOT_CHECKED;
      }
      hashesLeft[0]--;
      if (hasher.verify(key.secretHash(), secret)) {
        return null;
      }
      // the previous secret still works during a grace period: its leak is the key's leak
      if (key.previousSecretValidAt(clock.instant())) {
        if (hashesLeft[0] < 1) {
          return LeakOutcome.Verdict.NOT_CHECKED;
        }
        hashesLeft[0]--;
        if (hasher.verify(key.previousSecretHash(), secret)) {
          return null;
        }
      }
      return LeakOutcome.Verdict.WRONG_SECRET;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private LeakOutcome apply(ApiKey checked, String tokenSha256, ReportedLeak leak, LeakPolicy policy) {
    ApiKey current = checked;
    for (int attempt = 1; ; attempt++) {
      if (current.revokedAt() != null) {
        return audited(new LeakOutcome(LeakOutcome.Verdict.ALREADY_REVOKED, current.id(), current), current.owner(), leak);
      }
      Optional<KeyLeak> recorded = KeyLeak.of(current);
      if (policy == LeakPolicy.MARK && recorded.isPresent()) {
        return audited(new LeakOutcome(LeakOutcome.Verdict.ALREADY_MARKED, current.id(), current), current.owner(), leak);
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
      Map<String, String> metadata = new HashMap<>(current.metadata());
      metadata.put(KeyLeak.REPORTED_AT, now.toString());
      metadata.put(KeyLeak.URL, clean(leak.url(), KeyLeak.MAX_URL));
      metadata.put(KeyLeak.SOURCE, clean(leak.source(), KeyLeak.MAX_SOURCE));
      metadata.put(KeyLeak.ACTION, policy == LeakPolicy.REVOKE ? KeyLeak.REVOKED : KeyLeak.MARKED);
      metadata.put(KeyLeak.TOKEN_SHA256, tokenSha256); // the token is public by now
      ApiKey.Builder changed = current.toBuilder().metadata(metadata);
      if (policy == LeakPolicy.REVOKE) {
        changed.revokedAt(now).previousSecretHash(null).previousSecretExpiresAt(null);
      }
      ApiKey updated = changed.build();
      if (store.update(updated)) {
        ApiKey stored = updated.toBuilder().version(updated.version() + 1).build();
        if (policy == LeakPolicy.REVOKE) {
          audit.emit(new KeyEvent(KeyEvent.Type.REVOKED, current.id(), current.owner(), now, "leaked", null));
          return audited(new LeakOutcome(LeakOutcome.Verdict.REVOKED, current.id(), stored), current.owner(), leak);
        }
        return audited(new LeakOutcome(LeakOutcome.Verdict.MARKED, current.id(), stored), current.owner(), leak);
      }
      // changed since it was read: act on the new record if its secrets are still the ones checked
      Optional<ApiKey> again = store.findById(checked.id());
      if (again.isEmpty()) {
        return audited(new LeakOutcome(LeakOutcome.Verdict.UNKNOWN_KEY, checked.id(), null), null, leak);
      }
      current = again.get();
      boolean sameSecrets = current.secretHash().equals(checked.secretHash())
          && Objects.equals(current.previousSecretHash(), checked.previousSecretHash());
      if (attempt >= UPDATE_ATTEMPTS || !(sameSecrets || current.revokedAt() != null)) {
        throw new KeyChangedConcurrentlyException(checked.id());
      }
    }
  }

  private LeakOutcome audited(LeakOutcome outcome, @org.jspecify.annotations.Nullable String owner, ReportedLeak leak) {
    audit.emit(new KeyEvent(KeyEvent.Type.LEAK_REPORTED, outcome.keyId(), owner, clock.instant(),
        outcome.verdict().label(), null,
        Map.of("url", clean(leak.url(), KeyLeak.MAX_URL), "source", clean(leak.source(), KeyLeak.MAX_SOURCE))));
    return outcome;
  }

  /** At most {@code max} characters, control characters (a forged log line's CR LF) as {@code ?}. */
  static String clean(String text, int max) {
    String cut = text.length() > max ? text.substring(0, max) : text;
    StringBuilder b = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c) ? '?' : c);
    }
    return b.toString();
  }
}

package dev.keygate;

import dev.keygate.AuthenticationResult.Refused;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The checks after a key's secret matched (from the cache or a fresh verification), in order:
 * the key's environment is its prefix's (when the format binds environments), a previous secret still in its grace period, revoked, expired, the allowed IPs and the key's rate
 * limit; then the use is counted. Only a caller whose secret matched gets here, so only such a
 * caller learns "revoked" or "expired".
 */
final class Admission {
  private final Clock clock;
  private final KeyVerifier verifier;
  private final Throttles throttles;
  private final UsageRecorder usage;
  private final AuditTrail audit;
  private final Challenges challenges;

  Admission(Clock clock, KeyVerifier verifier, Throttles throttles, UsageRecorder usage, AuditTrail audit,
      Challenges challenges) {
    this.clock = clock;
    this.verifier = verifier;
    this.throttles = throttles;
    this.usage = usage;
    this.audit = audit;
    this.challenges = challenges;
  }

  /**
   * Admits or refuses the holder of a verified key presented with a prefix of {@code environment}
   * (null: the format binds no environment). A key whose stored environment is not its prefix's
   * (a row changed by hand or migrated wrongly, or a key's id and secret under another prefix with
   * a recomputed checksum) is an invalid key: its prefix says something its record denies.
   */
  AuthenticationResult admit(KeyVerifier.Verified v, KeyDigest digest, Caller caller, @Nullable String environment) {
    ApiKey key = v.key();
    Instant now = clock.instant();
    if (environment != null && !environment.equals(key.environment())) {
      audit.authenticationFailed(Refusal.INVALID_KEY, key.id(), key.owner(), now, caller.address());
      return throttles.failed(caller.address(), challenges.invalidKey());
    }
    if (v.viaPreviousSecret() && !key.previousSecretValidAt(now)) {
      verifier.invalidate(digest);
      return throttles.failed(caller.address(), challenges.invalidKey());
    }
    KeyStatus status = key.statusAt(now);
    if (status != KeyStatus.ACTIVE) {
      Refused inactive = challenges.inactive(status);
      audit.authenticationFailed(inactive.reason(), key.id(), key.owner(), now, caller.address());
      return inactive;
    }
    if (!v.allowedIps().isEmpty() && !allowed(v.allowedIps(), caller.address())) {
      audit.authenticationFailed(Refusal.IP_NOT_ALLOWED, key.id(), key.owner(), now, caller.address());
      return challenges.ipNotAllowed();
    }
    RateLimit limit = key.rateLimit();
    if (limit != null) {
      long wait = throttles.keyRetryAfter(key.id(), limit);
      if (wait > 0) {
        return Refused.throttled(wait);
      }
    }
    usage.record(key.id(), now.toEpochMilli());
    return v.success();
  }

  private static boolean allowed(List<IpRange> ranges, ClientAddress client) {
    byte[] address = client.bytes();
    if (address == null) {
      return false;
    }
    for (IpRange r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }
}

package dev.keygate;

import dev.keygate.AuthenticationResult.Refused;
import java.time.Clock;
import java.time.Duration;

/**
 * The engine's two request throttles: failures per client address (looked at before a key is
 * verified, counted after it failed) and each key's own rate limit. The third, wrong secrets per
 * key id and owner, ranks verifications for hashing slots and lives in {@link KeyVerifier}.
 */
final class Throttles {
  /**
   * The per-key limiter is always given the key's own limit; its default limit is never used to
   * count, and only sets how long an idle bucket is kept at least (a minute, the limiter's floor).
   */
  private static final RateLimit KEY_LIMIT_NEVER_USED = new RateLimit(1, Duration.ofSeconds(1));

  private final RateLimiter failuresPerAddress;
  private final RateLimiter perKey;

  Throttles(RateLimit failureLimit, Clock clock, RateLimiters limiters) {
    this.failuresPerAddress = limiters.limiter("keygate.failures-per-address", failureLimit, clock);
    this.perKey = limiters.limiter("keygate.key", KEY_LIMIT_NEVER_USED, clock);
  }

  /**
   * Whether {@code client} failed too often already, without counting this request, as the
   * limiters' shared store says (a round trip with shared limiters): asked before a key is looked
   * up and hashed.
   *
   * @return 0 to go on, else the seconds to wait
   */
  long failuresRetryAfter(ClientAddress client) {
    return failuresPerAddress.retryAfterShared(client.throttleKey());
  }

  /**
   * Like {@link #failuresRetryAfter}, from what this node last learned of the client's bucket (no
   * round trip): asked before a Bearer token is checked, which costs less than a round trip would.
   *
   * @return 0 to go on, else the seconds to wait
   */
  long failuresRetryAfterLocally(ClientAddress client) {
    return failuresPerAddress.retryAfter(client.throttleKey());
  }

  /** Counts a failure against {@code client}: {@code refusal}, or 429 once it failed too often. */
  AuthenticationResult failed(ClientAddress client, Refused refusal) {
    long wait = failuresPerAddress.tryAcquire(client.throttleKey());
    return wait > 0 ? Refused.throttled(wait) : refusal;
  }

  /**
   * Takes one request from the key's own rate limit.
   *
   * @return 0 when allowed, else the seconds to wait
   */
  long keyRetryAfter(String keyId, RateLimit limit) {
    return perKey.tryAcquire(keyId, limit);
  }
}

package dev.keygate;

import java.time.Clock;

/**
 * Token-bucket rate limiting per string key (a client address, a key id): each bucket holds up to
 * a limit's {@code requests} tokens and refills smoothly over its period. Thread-safe.
 *
 * <p>The engine limits each key's requests and throttles failures per client address and per key
 * id with limiters from its {@link RateLimiters}; an application can limit its own routes the same
 * way (the sample limits its public signup route to 5 per minute per address). {@link
 * #of(RateLimit, Clock)} keeps the buckets in this node's memory; {@link
 * Keygate#rateLimiter(String, RateLimit)} takes them from the Keygate's {@link RateLimiters}, so a
 * fleet sharing buckets in Redis (keygate-redis) shares the application's limits too.
 */
public interface RateLimiter {
  /**
   * A limiter in this node's memory allowing {@code limit} per key, forgetting buckets idle for a
   * whole period (at least a minute), keeping at most 100,000 keys.
   *
   * @param limit the limit for every key
   * @param clock the clock the buckets refill by
   * @return a limiter with no buckets yet
   */
  static RateLimiter of(RateLimit limit, Clock clock) {
    return of(limit, clock, 100_000);
  }

  /**
   * Like {@link #of(RateLimit, Clock)} with an explicit bound on remembered keys.
   *
   * @param limit the limit for every key
   * @param clock the clock the buckets refill by
   * @param maximumKeys the most keys whose buckets are remembered
   * @return a limiter with no buckets yet
   * @throws IllegalArgumentException if {@code maximumKeys < 1}
   */
  static RateLimiter of(RateLimit limit, Clock clock, int maximumKeys) {
    return LocalRateLimiter.create(limit, clock, maximumKeys);
  }

  /**
   * Takes a token for {@code key} under the default limit.
   *
   * @param key what to limit by, e.g. {@link ClientAddress#throttleKey()}
   * @return 0 when allowed, else the seconds until a token is available (at least 1)
   */
  default long tryAcquire(String key) {
    return tryAcquire(key, defaultLimit());
  }

  /**
   * Takes a token for {@code key} under {@code limit} (per-key limits differ from key to key).
   *
   * @param key what to limit by
   * @param limit the limit for this key, instead of the default
   * @return 0 when allowed, else the seconds until a token is available (at least 1)
   */
  long tryAcquire(String key, RateLimit limit);

  /**
   * Whether {@code key} is out of tokens under the default limit, without taking one. A shared
   * limiter may answer from what this node last learned of the bucket (when it last took a token
   * from it) instead of asking the shared store: the engine asks this before work it may save,
   * and counts with {@link #tryAcquire} afterwards.
   *
   * @param key what is limited
   * @return 0 when a token is available, else the seconds until one is
   */
  long retryAfter(String key);

  /**
   * Like {@link #retryAfter}, but a shared limiter asks the shared store (within its timeout)
   * instead of answering from what this node last learned, so that what other nodes counted is
   * seen too. The engine asks this before the work a throttled client must not get: the store
   * lookup and hash of a key it has not cached. In-memory limiters answer as {@link #retryAfter}.
   *
   * @param key what is limited
   * @return 0 when a token is available, else the seconds until one is
   */
  default long retryAfterShared(String key) {
    return retryAfter(key);
  }

  /**
   * Tokens taken from {@code key}'s bucket under the default limit and not refilled yet: 0 for a
   * full (or unknown) bucket, up to the limit's requests for an empty one. Like {@link
   * #retryAfter}, a shared limiter may answer from what this node last learned. The engine ranks
   * waiting verifications by their recent failures with it.
   *
   * @param key what is limited
   * @return the tokens missing from the bucket, from 0 to the default limit's requests
   */
  double spent(String key);

  /**
   * The limit used when none is given.
   *
   * @return the limit used when none is given
   */
  RateLimit defaultLimit();
}

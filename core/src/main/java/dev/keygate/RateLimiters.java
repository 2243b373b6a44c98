package dev.keygate;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Where rate-limit buckets live (a service provider interface): in each node's memory ({@link
 * #local()}, the default), or in a store the nodes of a fleet share (keygate-redis), so that a key
 * limited to 600 requests a minute gets 600 from the whole fleet, not 600 from each node.
 *
 * <p>An engine takes four limiters from it when it is built, by name: {@code
 * keygate.failures-per-address}, {@code keygate.key} (each key's own limit), {@code
 * keygate.wrong-secrets-per-key-id} and {@code keygate.wrong-secrets-per-owner}; {@link
 * Keygate#rateLimiter(String, RateLimit)} takes the application's, whose names never start with
 * {@code keygate.}. Buckets of different names are apart.
 *
 * <p>An implementation must not throw from its limiters for an outage of what it shares buckets
 * in: it decides locally instead, and says so through {@link #localDecisions()} and {@link
 * #sharedUnavailableSince()}. Thread-safe.
 */
public interface RateLimiters {
  /**
   * Buckets in this node's memory: each node of a fleet limits on its own.
   *
   * @return the in-memory limiters
   */
  static RateLimiters local() {
    return LocalRateLimiters.INSTANCE;
  }

  /**
   * A limiter whose buckets are named {@code name}.
   *
   * @param name the buckets' name, unique per use
   * @param defaultLimit the limit when {@link RateLimiter#tryAcquire(String)} is given none
   * @param clock the clock the buckets refill by
   * @return a limiter
   */
  RateLimiter limiter(String name, RateLimit defaultLimit, Clock clock);

  /**
   * Decisions a shared implementation made in this node's memory because the shared store could
   * not be reached in time; always 0 for {@link #local()}. What the {@code
   * keygate.limits.local.decisions} meter reads.
   *
   * @return decisions made locally for want of the shared store, since this object was built
   */
  default long localDecisions() {
    return 0;
  }

  /**
   * Since when the shared store has not answered, while it has not; empty when it answers (and
   * always for {@link #local()}).
   *
   * @return when the current outage of the shared store began, if there is one
   */
  default Optional<Instant> sharedUnavailableSince() {
    return Optional.empty();
  }
}

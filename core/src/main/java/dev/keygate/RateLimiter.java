package dev.keygate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Token-bucket rate limiting per string key (a client address, a key id). Each bucket holds up to
 * {@code requests} tokens and refills smoothly over the period; buckets idle for a while are
 * forgotten, and at most {@code maximumKeys} are kept. Thread-safe.
 *
 * <p>The engine uses it for per-key limits and for throttling failures per client address; an
 * application can use it too (the sample limits its public signup route to 5 per minute per
 * address).
 */
public final class RateLimiter {
  private final RateLimit defaultLimit;
  private final Clock clock;
  private final Cache<String, Bucket> buckets;

  private RateLimiter(RateLimit defaultLimit, Clock clock, int maximumKeys, Duration idle) {
    this.defaultLimit = defaultLimit;
    this.clock = clock;
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(maximumKeys)
            .expireAfter(new IdleExpiry(idle))
            .ticker(() -> clock.millis() * 1_000_000L)
            .build();
  }

  /**
   * A limiter allowing {@code limit} per key, forgetting buckets idle for a whole period, keeping
   * at most 100,000 keys.
   *
   * @param limit the limit for every key
   * @param clock the clock the buckets refill by
   * @return a limiter with no buckets yet
   */
  public static RateLimiter of(RateLimit limit, Clock clock) {
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
  public static RateLimiter of(RateLimit limit, Clock clock, int maximumKeys) {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(clock, "clock");
    if (maximumKeys < 1) {
      throw new IllegalArgumentException("maximumKeys must be at least 1, got " + maximumKeys);
    }
    Duration idle = limit.period().compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : limit.period();
    return new RateLimiter(limit, clock, maximumKeys, idle);
  }

  /**
   * Takes a token for {@code key} under the default limit.
   *
   * @param key what to limit by, e.g. {@link ClientAddress#throttleKey()}
   * @return 0 when allowed, else the seconds until a token is available (at least 1)
   */
  public long tryAcquire(String key) {
    return tryAcquire(key, defaultLimit);
  }

  /**
   * Takes a token for {@code key} under {@code limit} (per-key limits differ from key to key).
   *
   * @param key what to limit by
   * @param limit the limit for this key, instead of the default
   * @return 0 when allowed, else the seconds until a token is available (at least 1)
   */
  public long tryAcquire(String key, RateLimit limit) {
    return buckets.get(key, k -> new Bucket(limit, clock.millis())).take(limit, clock.millis(), true);
  }

  /**
   * Whether {@code key} is out of tokens under the default limit, without taking one.
   *
   * @param key what is limited
   * @return 0 when a token is available, else the seconds until one is
   */
  public long retryAfter(String key) {
    Bucket b = buckets.getIfPresent(key);
    return b == null ? 0 : b.take(defaultLimit, clock.millis(), false);
  }

  /**
   * Tokens taken from {@code key}'s bucket under the default limit and not refilled yet: 0 for a
   * full (or forgotten) bucket, up to the limit's requests for an empty one. Package-private: the
   * verifier ranks waiting verifications by their recent failures with it.
   */
  double spent(String key) {
    Bucket b = buckets.getIfPresent(key);
    return b == null ? 0 : b.spent(defaultLimit, clock.millis());
  }

  /**
   * The limit used when none is given.
   *
   * @return the limit used when none is given
   */
  public RateLimit defaultLimit() {
    return defaultLimit;
  }

  /**
   * Forgets a bucket once it has been idle long enough to be full again: its own period (a key
   * limited per hour keeps its bucket for an hour), and at least the limiter's idle time.
   */
  private static final class IdleExpiry implements Expiry<String, Bucket> {
    private final long minimumNanos;

    IdleExpiry(Duration minimum) {
      this.minimumNanos = minimum.toNanos();
    }

    private long idle(Bucket b) {
      return Math.max(minimumNanos, b.periodNanos);
    }

    @Override
    public long expireAfterCreate(String key, Bucket b, long now) {
      return idle(b);
    }

    @Override
    public long expireAfterUpdate(String key, Bucket b, long now, long current) {
      return idle(b);
    }

    @Override
    public long expireAfterRead(String key, Bucket b, long now, long current) {
      return idle(b);
    }
  }

  private static final class Bucket {
    private final long periodNanos;
    private double tokens;
    private long updatedMillis;

    Bucket(RateLimit limit, long now) {
      this.periodNanos = limit.period().toNanos();
      this.tokens = limit.requests();
      this.updatedMillis = now;
    }

    synchronized long take(RateLimit limit, long now, boolean consume) {
      double perMilli = refill(limit, now);
      if (tokens >= 1) {
        if (consume) {
          tokens -= 1;
        }
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perMilli / 1000.0));
    }

    synchronized double spent(RateLimit limit, long now) {
      refill(limit, now);
      return limit.requests() - tokens;
    }

    /** Adds the tokens earned since the last update; returns the refill rate per millisecond. */
    private double refill(RateLimit limit, long now) {
      double perMilli = (double) limit.requests() / limit.period().toMillis();
      if (now > updatedMillis) {
        tokens = Math.min(limit.requests(), tokens + (now - updatedMillis) * perMilli);
        updatedMillis = now;
      }
      return perMilli;
    }
  }
}

package dev.keygate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@link RateLimiter} in this node's memory: a token bucket per string key, refilled smoothly
 * over the period; buckets idle for a while are forgotten, and at most {@code maximumKeys} are
 * kept. Thread-safe.
 */
final class LocalRateLimiter implements RateLimiter {
  private final RateLimit defaultLimit;
  private final Clock clock;
  private final Cache<String, Bucket> buckets;

  private LocalRateLimiter(RateLimit defaultLimit, Clock clock, int maximumKeys, Duration idle) {
    this.defaultLimit = defaultLimit;
    this.clock = clock;
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(maximumKeys)
            .expireAfter(new IdleExpiry(idle))
            .ticker(() -> clock.millis() * 1_000_000L)
            .build();
  }

  static LocalRateLimiter create(RateLimit limit, Clock clock, int maximumKeys) {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(clock, "clock");
    if (maximumKeys < 1) {
      throw new IllegalArgumentException("maximumKeys must be at least 1, got " + maximumKeys);
    }
    Duration idle = limit.period().compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : limit.period();
    return new LocalRateLimiter(limit, clock, maximumKeys, idle);
  }

  @Override
  public long tryAcquire(String key, RateLimit limit) {
    return buckets.get(key, k -> new Bucket(limit, clock.millis())).take(limit, clock.millis(), true);
  }

  @Override
  public long retryAfter(String key) {
    Bucket b = buckets.getIfPresent(key);
    return b == null ? 0 : b.take(defaultLimit, clock.millis(), false);
  }

  @Override
  public double spent(String key) {
    Bucket b = buckets.getIfPresent(key);
    return b == null ? 0 : b.spent(defaultLimit, clock.millis());
  }

  @Override
  public RateLimit defaultLimit() {
    return defaultLimit;
  }

  @Override
  public String toString() {
    return "LocalRateLimiter[" + defaultLimit + "]";
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

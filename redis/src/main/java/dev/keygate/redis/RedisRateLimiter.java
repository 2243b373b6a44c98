package dev.keygate.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A {@link RateLimiter} on a token bucket in Redis: each {@link #tryAcquire} is one atomic script
 * call (one round trip). What the answer says of the bucket is remembered here, so that {@link
 * #retryAfter} and {@link #spent} cost no round trip: they answer from what this node last learned
 * when it took a token. While Redis does not answer, the same calls go to a bucket in this node's
 * memory.
 */
final class RedisRateLimiter implements RateLimiter {
  private static final int REMEMBERED_BUCKETS = 100_000;

  private final Link link;
  private final TokenBucketScript script;
  private final String keyPrefix;
  private final RateLimit defaultLimit;
  private final Clock clock;
  private final RateLimiter local;
  /** The bucket as Redis last described it, per key. */
  private final Cache<String, Known> known;

  RedisRateLimiter(Link link, TokenBucketScript script, String keyPrefix, RateLimit defaultLimit, Clock clock) {
    this.link = link;
    this.script = script;
    this.keyPrefix = keyPrefix;
    this.defaultLimit = defaultLimit;
    this.clock = clock;
    this.local = RateLimiter.of(defaultLimit, clock);
    Duration period = defaultLimit.period();
    this.known = Caffeine.newBuilder().maximumSize(REMEMBERED_BUCKETS)
        .expireAfterWrite(period.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : period)
        .ticker(() -> clock.millis() * 1_000_000L).build();
  }

  /** A bucket as Redis described it: its tokens at {@code atMillis}, under {@code limit}. */
  private record Known(RateLimit limit, double tokens, long atMillis) {
    double tokensAt(long now) {
      double perMilli = (double) limit.requests() / limit.period().toMillis();
      return Math.min(limit.requests(), tokens + Math.max(0, now - atMillis) * perMilli);
    }

    long retryAfter(long now) {
      double t = tokensAt(now);
      if (t >= 1) {
        return 0;
      }
      double perMilli = (double) limit.requests() / limit.period().toMillis();
      return Math.max(1, (long) Math.ceil((1 - t) / perMilli / 1000.0));
    }
  }

  @Override
  public long tryAcquire(String key, RateLimit limit) {
    long now = clock.millis();
    String[] keys = {keyPrefix + key};
    String[] args = {Integer.toString(limit.requests()), Long.toString(limit.period().toMillis()), Long.toString(now)};
    List<Object> answer = link.call(c -> c.evalsha(script.sha(), ScriptOutputType.MULTI, keys, args),
        c -> c.eval(script.text(), ScriptOutputType.MULTI, keys, args));
    if (answer == null) {
      link.countLocalDecision();
      return local.tryAcquire(key, limit);
    }
    long waitMillis = (Long) answer.get(0);
    double spent = (Long) answer.get(1) / 1000.0;
    known.put(key, new Known(limit, limit.requests() - spent, now));
    return waitMillis == 0 ? 0 : Math.max(1, (waitMillis + 999) / 1000);
  }

  @Override
  public long retryAfter(String key) {
    if (link.down()) {
      return local.retryAfter(key);
    }
    Known k = known.getIfPresent(key);
    return k == null ? 0 : k.retryAfter(clock.millis());
  }

  @Override
  public double spent(String key) {
    if (link.down()) {
      return local.spent(key);
    }
    Known k = known.getIfPresent(key);
    return k == null ? 0 : k.limit().requests() - k.tokensAt(clock.millis());
  }

  @Override
  public RateLimit defaultLimit() {
    return defaultLimit;
  }

  @Override
  public String toString() {
    return "RedisRateLimiter[" + keyPrefix + ", " + defaultLimit + "]";
  }
}

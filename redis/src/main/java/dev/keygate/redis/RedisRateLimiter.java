package dev.keygate.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RateLimiter} on token buckets in Redis: {@link #tryAcquire} and {@link
 * #retryAfterShared} are one atomic script call each (one round trip). What each answer says of the
 * bucket is kept here, per key, and serves twice: {@link #retryAfter} and {@link #spent} answer
 * from it without a round trip, and while Redis does not answer this node counts on from it, so an
 * outage starts from the bucket as Redis last described it, not from a full one.
 */
final class RedisRateLimiter implements RateLimiter {
  private static final int REMEMBERED_BUCKETS = 100_000;
  private static final long MINIMUM_IDLE_NANOS = Duration.ofMinutes(1).toNanos();

  private final Link link;
  private final TokenBucketScript script;
  private final String keyPrefix;
  private final RateLimit defaultLimit;
  private final Clock clock;
  /** Each bucket as Redis last described it, or as this node counted it since, per key. */
  private final Cache<String, Bucket> known;

  RedisRateLimiter(Link link, TokenBucketScript script, String keyPrefix, RateLimit defaultLimit, Clock clock) {
    this.link = link;
    this.script = script;
    this.keyPrefix = keyPrefix;
    this.defaultLimit = defaultLimit;
    this.clock = clock;
    this.known = Caffeine.newBuilder().maximumSize(REMEMBERED_BUCKETS).expireAfter(new IdleExpiry())
        .ticker(() -> clock.millis() * 1_000_000L).build();
  }

  /** A bucket: its tokens at {@code atMillis}, under {@code limit}. Immutable. */
  private record Bucket(RateLimit limit, double tokens, long atMillis) {
    static Bucket full(RateLimit limit, long now) {
      return new Bucket(limit, limit.requests(), now);
    }

    double perMilli() {
      return (double) limit.requests() / limit.period().toMillis();
    }

    double tokensAt(long now) {
      return Math.min(limit.requests(), tokens + Math.max(0, now - atMillis) * perMilli());
    }

    long retryAfter(long now) {
      double t = tokensAt(now);
      return t >= 1 ? 0 : seconds((long) Math.ceil((1 - t) / perMilli()));
    }
  }

  /** Forgets a bucket once it is full again: after its own period, and at least a minute. */
  private static final class IdleExpiry implements Expiry<String, Bucket> {
    private static long idle(Bucket b) {
      return Math.max(MINIMUM_IDLE_NANOS, b.limit().period().toNanos());
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
      return current;
    }
  }

  private static long seconds(long waitMillis) {
    return waitMillis <= 0 ? 0 : Math.max(1, (waitMillis + 999) / 1000);
  }

  @Override
  public long tryAcquire(String key, RateLimit limit) {
    long now = clock.millis();
    Long wait = ask(key, limit, now, true);
    if (wait != null) {
      return wait;
    }
    link.countLocalDecision();
    long[] answer = new long[1];
    known.asMap().compute(key, (k, b) -> {
      Bucket current = b == null || !b.limit().equals(limit) ? Bucket.full(limit, now) : b;
      double tokens = current.tokensAt(now);
      long at = Math.max(now, current.atMillis());
      if (tokens >= 1) {
        return new Bucket(limit, tokens - 1, at);
      }
      answer[0] = seconds((long) Math.ceil((1 - tokens) / current.perMilli()));
      return new Bucket(limit, tokens, at);
    });
    return answer[0];
  }

  @Override
  public long retryAfterShared(String key) {
    long now = clock.millis();
    Long wait = ask(key, defaultLimit, now, false);
    if (wait != null) {
      return wait;
    }
    link.countLocalDecision();
    return retryAfter(key);
  }

  /**
   * Runs the script; remembers what it says of the bucket.
   *
   * @return the seconds to wait (0: a token was available, and taken if asked), or null when Redis
   *     did not answer in time or answered something else than the script does
   */
  private @Nullable Long ask(String key, RateLimit limit, long now, boolean take) {
    String[] keys = {keyPrefix + key};
    String[] args = {Integer.toString(limit.requests()), Long.toString(limit.period().toMillis()),
        Long.toString(now), take ? "1" : "0"};
    List<Object> answer = link.call(c -> c.evalsha(script.sha(), ScriptOutputType.MULTI, keys, args),
        c -> c.eval(script.text(), ScriptOutputType.MULTI, keys, args));
    if (answer == null) {
      return null;
    }
    if (answer.size() != 2 || !(answer.get(0) instanceof Long waitMillis) || !(answer.get(1) instanceof Long spent)) {
      link.unexpectedAnswer(answer);
      return null;
    }
    Bucket bucket = new Bucket(limit, limit.requests() - spent / 1000.0, now);
    if (waitMillis > 0 && bucket.tokens() >= 1) { // never believe a token is there when Redis said no
      bucket = new Bucket(limit, Math.nextDown(1.0), now);
    }
    known.put(key, bucket);
    return seconds(waitMillis);
  }

  @Override
  public long retryAfter(String key) {
    Bucket b = known.getIfPresent(key);
    return b == null ? 0 : b.retryAfter(clock.millis());
  }

  @Override
  public double spent(String key) {
    Bucket b = known.getIfPresent(key);
    return b == null ? 0 : b.limit().requests() - b.tokensAt(clock.millis());
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

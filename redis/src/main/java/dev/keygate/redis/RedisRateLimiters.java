package dev.keygate.redis;

import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import dev.keygate.RateLimiters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@link RateLimiters} whose buckets live in Redis, each node deciding alone while it does not answer. */
final class RedisRateLimiters implements RateLimiters {
  private final Link link;
  private final String keyPrefix;
  private final TokenBucketScript script;

  RedisRateLimiters(Link link, String keyPrefix) {
    this.link = link;
    this.keyPrefix = keyPrefix;
    this.script = new TokenBucketScript(load("token-bucket.lua"));
  }

  private static String load(String resource) {
    try (InputStream in = Objects.requireNonNull(RedisRateLimiters.class.getResourceAsStream(resource), resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public RateLimiter limiter(String name, RateLimit defaultLimit, Clock clock) {
    Objects.requireNonNull(name, "name");
    return new RedisRateLimiter(link, script, keyPrefix + "limit:" + name + ":", defaultLimit, clock);
  }

  @Override
  public long localDecisions() {
    return link.localDecisions();
  }

  @Override
  public Optional<Instant> sharedUnavailableSince() {
    return link.downSince();
  }

  @Override
  public String toString() {
    return "RedisRateLimiters[" + link + ", prefix=" + keyPrefix + "]";
  }
}

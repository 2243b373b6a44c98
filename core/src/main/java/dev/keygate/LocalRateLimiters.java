package dev.keygate;

import java.time.Clock;

/** {@link RateLimiters#local()}: every limiter in this node's memory. */
final class LocalRateLimiters implements RateLimiters {
  static final LocalRateLimiters INSTANCE = new LocalRateLimiters();

  private LocalRateLimiters() {}

  @Override
  public RateLimiter limiter(String name, RateLimit defaultLimit, Clock clock) {
    return RateLimiter.of(defaultLimit, clock);
  }

  @Override
  public String toString() {
    return "RateLimiters.local()";
  }
}

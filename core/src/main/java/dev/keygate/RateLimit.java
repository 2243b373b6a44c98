package dev.keygate;

import java.time.Duration;
import java.util.Objects;

/**
 * A per-key request limit: at most {@code requests} per {@code period}, refilled smoothly.
 *
 * @param requests how many requests the period allows, at least 1
 * @param period the window, between one second and one day
 */
public record RateLimit(int requests, Duration period) {
  /**
   * @param requests how many requests the period allows, at least 1
   * @param period the window, between one second and one day
   * @throws IllegalArgumentException if {@code requests < 1} or the period is outside [1 s, 1 day]
   */
  public RateLimit {
    Objects.requireNonNull(period, "period");
    if (requests < 1) {
      throw new IllegalArgumentException("rate limit requests must be at least 1, got " + requests);
    }
    if (period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("rate limit period must be between 1s and 1d, got " + period);
    }
  }

  /**
   * {@code requests} per minute.
   *
   * @param requests how many requests the period allows, at least 1
   * @return the limit
   */
  public static RateLimit perMinute(int requests) {
    return new RateLimit(requests, Duration.ofMinutes(1));
  }
}

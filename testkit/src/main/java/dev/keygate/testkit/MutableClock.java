package dev.keygate.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that a test moves by hand, for expiry, rotation grace periods and rate-limit windows
 * without waiting. Thread-safe: a test may move it while other threads read it. Its zone is UTC,
 * whatever {@link #withZone} is asked.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  /**
   * A clock standing at {@code start}.
   *
   * @param start the instant the clock shows until it is moved
   * @throws NullPointerException if {@code start} is null
   */
  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /**
   * A clock standing at 2026-01-01T00:00:00Z.
   *
   * @return a new clock at that instant
   */
  public static MutableClock atEpochOfTests() {
    return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock by {@code d} (backwards when negative).
   *
   * @param d how far to move it
   * @throws NullPointerException if {@code d} is null
   */
  public void advance(Duration d) {
    Objects.requireNonNull(d, "d");
    now.updateAndGet(i -> i.plus(d));
  }

  /**
   * Sets the clock.
   *
   * @param instant the instant it shows from now on
   * @throws NullPointerException if {@code instant} is null
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * The instant the clock shows.
   *
   * @return the instant last set or reached by {@link #advance}
   */
  @Override
  public Instant instant() {
    return now.get();
  }

  /**
   * Always UTC.
   *
   * @return {@link ZoneOffset#UTC}
   */
  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /**
   * This same clock: tests compare instants, and a copy in another zone would stop moving with it.
   *
   * @param zone ignored
   * @return this clock
   */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}

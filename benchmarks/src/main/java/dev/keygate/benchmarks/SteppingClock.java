package dev.keygate.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until told to move, so a benchmark can let a cache period pass
 * between two calls without waiting for it. Only the thread that advances it should read it in
 * the measured code (JMH runs such a benchmark on one thread).
 */
public final class SteppingClock extends Clock {
  private volatile Instant now;

  /** Starts at {@code start}. */
  public SteppingClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock forward by {@code step}. */
  public void advance(Duration step) {
    now = now.plus(step);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a stepping clock is always UTC");
  }
}

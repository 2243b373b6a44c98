package dev.keygate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand. Thread-safe. */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  /** A clock standing at {@code start}. */
  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock standing at 2026-01-01T00:00:00Z. */
  public static MutableClock atEpochOfTests() {
    return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the clock forward. */
  public void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }

  /** Sets the clock. */
  public void set(Instant instant) {
    now.set(instant);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}

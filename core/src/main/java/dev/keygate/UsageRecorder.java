package dev.keygate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts successful authentications per key in memory and writes them to the store in one batch
 * per flush: on a schedule and on {@link #close()}. A failed flush keeps its counts for the next.
 */
final class UsageRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

  private final ApiKeyStore store;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final @Nullable ScheduledExecutorService scheduler;
  private final Object flushLock = new Object();
  private final LongAdder flushFailures = new LongAdder();
  private volatile boolean closed;

  UsageRecorder(ApiKeyStore store, Duration interval) {
    this.store = store;
    if (interval.isZero()) {
      scheduler = null;
    } else {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keygate-usage-flush");
        t.setDaemon(true);
        return t;
      });
      long ms = interval.toMillis();
      scheduler.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  void record(String keyId, long nowMillis) {
    count(keyId, counterFor(keyId), 1, nowMillis);
    if (closed) {
      flushQuietly(); // a late request after close(): nobody else will write it
    }
  }

  /** The counter mapped to {@code keyId} now, mapped first if there is none. */
  Counter counterFor(String keyId) {
    Counter c = counters.get(keyId);
    return c != null ? c : counters.computeIfAbsent(keyId, k -> new Counter());
  }

  /** Adds {@code n} uses to {@code c}, the counter this thread found mapped to {@code keyId}. */
  void count(String keyId, Counter c, long n, long nowMillis) {
    c.add(n); // striped: no contention between threads using one key
    c.usedAt(nowMillis);
    // a flush marks a counter retired before its last look for new counts (see dropIfIdle): a
    // count it did not see reads retired here, and moves to the key's new counter
    if (c.retired) {
      moveFromRetired(keyId, c);
    }
  }

  private void moveFromRetired(String keyId, Counter old) {
    long n;
    synchronized (old) { // waits for the flush's decision
      if (counters.get(keyId) == old) {
        return; // the flush saw the count and kept the counter
      }
      n = old.sum() - old.flushed;
      old.flushed += n; // each count moves once, whichever thread moves it
    }
    if (n > 0) {
      count(keyId, counterFor(keyId), n, old.lastUsedMillis);
    }
  }

  /**
   * Drops a counter with nothing new since the last flush, so that keys no longer in use (deleted
   * ones too) do not hold memory for the life of the process.
   */
  private void dropIfIdle(String keyId, Counter c) {
    synchronized (c) {
      c.retired = true;
      if (c.sum() == c.flushed) {
        counters.remove(keyId, c);
      } else {
        c.retired = false; // counted just now: it stays
      }
    }
  }

  /** How many keys have a counter (for tests: idle ones are dropped at a flush). */
  int countedKeys() {
    return counters.size();
  }

  /**
   * Writes what was counted since the last flush in one {@link ApiKeyStore#recordUsage} call.
   *
   * @throws dev.keygate.StoreUnavailableException if the store fails; the counts are kept
   */
  void flush() {
    synchronized (flushLock) {
      List<UsageRecord> batch = new ArrayList<>();
      List<Counter> sources = new ArrayList<>();
      List<Long> totals = new ArrayList<>();
      for (Map.Entry<String, Counter> e : counters.entrySet()) {
        Counter c = e.getValue();
        long total = c.sum(); // counts only grow: what this sum misses, the next one sees
        long n = total - c.flushed;
        if (n > 0) {
          batch.add(new UsageRecord(e.getKey(), n, Instant.ofEpochMilli(c.lastUsedMillis)));
          sources.add(c);
          totals.add(total);
        } else {
          dropIfIdle(e.getKey(), c);
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        store.recordUsage(batch); // all or nothing: on failure nothing advances, the next flush retries
      } catch (RuntimeException | Error e) {
        flushFailures.increment();
        throw e;
      }
      for (int i = 0; i < sources.size(); i++) {
        sources.get(i).flushed = totals.get(i);
      }
    }
  }

  /** Flushes that failed so far (scheduled, on demand or on close). */
  long flushFailures() {
    return flushFailures.sum();
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException | Error e) { // an escaping throwable would cancel every later flush
      if (e instanceof OutOfMemoryError oom) {
        throw oom;
      }
      if (closed) {
        // close() has stopped the schedule: nothing will try again
        LOG.warn("final usage flush failed; the usage counts not yet written are only in memory"
            + " and are lost when this process exits: {}", e.toString());
      } else {
        LOG.warn("usage flush failed; the usage counts not yet written stay in memory and are"
            + " retried at the next flush (lost only if the process dies before one succeeds): {}",
            e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (scheduler != null) {
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flushQuietly();
  }

  /**
   * One key's uses since the process started (the adder) and what of them is written. It is the
   * adder itself, not a holder of one, to keep a counter for each of 100,000 keys in use small.
   */
  static final class Counter extends LongAdder {
    private static final long serialVersionUID = 1L;
    private static final VarHandle LAST_USED;

    static {
      try {
        LAST_USED = MethodHandles.lookup().findVarHandle(Counter.class, "lastUsedMillis", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    volatile long lastUsedMillis;
    /** Guarded by the flush lock while mapped, by this counter's monitor once retired. */
    long flushed;
    volatile boolean retired;

    void usedAt(long millis) {
      long last = lastUsedMillis;
      while (millis > last && !LAST_USED.compareAndSet(this, last, millis)) {
        last = lastUsedMillis; // written at most once per millisecond per key
      }
    }
  }
}

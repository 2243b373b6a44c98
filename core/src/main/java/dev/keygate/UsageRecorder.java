package dev.keygate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
    Counter c = counters.get(keyId);
    if (c == null) {
      c = counters.computeIfAbsent(keyId, k -> new Counter());
    }
    c.count.increment(); // striped: no contention between threads using one key
    long last = c.lastUsedMillis.get();
    while (nowMillis > last && !c.lastUsedMillis.compareAndSet(last, nowMillis)) {
      last = c.lastUsedMillis.get(); // written at most once per millisecond per key
    }
    if (closed) {
      flushQuietly(); // a late request after close(): nobody else will write it
    }
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
        long total = c.count.sum(); // counts only grow: what this sum misses, the next one sees
        long n = total - c.flushed;
        if (n > 0) {
          batch.add(new UsageRecord(e.getKey(), n, Instant.ofEpochMilli(c.lastUsedMillis.get())));
          sources.add(c);
          totals.add(total);
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

  private static final class Counter {
    final LongAdder count = new LongAdder();
    final AtomicLong lastUsedMillis = new AtomicLong();
    long flushed; // guarded by flushLock
  }
}

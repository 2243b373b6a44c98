package dev.keygate.benchmarks;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.UsageRecord;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A store that counts what the engine asks of another store, so a benchmark can prove how many
 * reads and writes a run cost: lookups, updates, usage batches and the usage records in them.
 */
public final class CountingStore implements ApiKeyStore {
  private final ApiKeyStore delegate;
  private final LongAdder lookups = new LongAdder();
  private final LongAdder updates = new LongAdder();
  private final LongAdder usageBatches = new LongAdder();
  private final LongAdder usageRecords = new LongAdder();

  /** Counts the calls made to {@code delegate}. */
  public CountingStore(ApiKeyStore delegate) {
    this.delegate = delegate;
  }

  /** {@code findById} calls so far. */
  public long lookups() {
    return lookups.sum();
  }

  /** Store writes so far: {@code create}, {@code update}, {@code delete} and usage batches. */
  public long writes() {
    return updates.sum() + usageBatches.sum();
  }

  /** {@code recordUsage} calls so far (one per flush that had something to write). */
  public long usageBatches() {
    return usageBatches.sum();
  }

  /** Usage records written so far (one per key per flush). */
  public long usageRecords() {
    return usageRecords.sum();
  }

  /** Forgets the counts (after setting up keys). */
  public void reset() {
    lookups.reset();
    updates.reset();
    usageBatches.reset();
    usageRecords.reset();
  }

  @Override
  public void create(ApiKey key) {
    updates.increment();
    delegate.create(key);
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    lookups.increment();
    return delegate.findById(id);
  }

  @Override
  public boolean update(ApiKey key) {
    updates.increment();
    return delegate.update(key);
  }

  @Override
  public Page<ApiKey> list(KeyQuery query) {
    return delegate.list(query);
  }

  @Override
  public long count(KeyQuery query, long atMost) {
    return delegate.count(query, atMost);
  }

  @Override
  public boolean delete(String id) {
    updates.increment();
    return delegate.delete(id);
  }

  @Override
  public void recordUsage(Collection<UsageRecord> usage) {
    usageBatches.increment();
    usageRecords.add(usage.size());
    delegate.recordUsage(usage);
  }

  @Override
  public Subscription subscribe(KeyChangeListener listener) {
    return delegate.subscribe(listener);
  }

  @Override
  public String toString() {
    return "CountingStore[lookups=" + lookups() + ", writes=" + writes() + ", " + delegate + "]";
  }
}

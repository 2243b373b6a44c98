package dev.keygate;

import dev.keygate.memory.InMemoryApiKeyStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store that counts what an engine asks of it, keeps every usage batch written, and
 * can be told to stay silent about changes (like a shared store that only announces other nodes'
 * changes on its next poll).
 */
final class ObservedStore implements ApiKeyStore {
  final InMemoryApiKeyStore delegate = new InMemoryApiKeyStore();
  final AtomicInteger lookups = new AtomicInteger();
  final AtomicInteger openSubscriptions = new AtomicInteger();
  final List<List<UsageRecord>> usageBatches = new CopyOnWriteArrayList<>();
  /** While true, lookups fail as an unreachable database would. */
  volatile boolean down;
  /** While set, every lookup throws it: a store with a bug rather than an outage. */
  volatile RuntimeException lookupFailure;
  /** While true, updates fail as an unreachable database would. */
  volatile boolean updatesFail;
  /** Thrown (once) by the next usage write, then cleared. */
  volatile Throwable nextUsageFailure;
  /** Create attempts still to refuse as if the generated id were taken. */
  final AtomicInteger idCollisions = new AtomicInteger();
  /** Run (once) just before the next update or delete: another node's change racing this one. */
  volatile Runnable beforeNextWrite;
  private final boolean announcesChanges;

  private ObservedStore(boolean announcesChanges) {
    this.announcesChanges = announcesChanges;
  }

  /** A store that tells its subscribers about every change. */
  static ObservedStore announcing() {
    return new ObservedStore(true);
  }

  /** A store whose subscribers never hear of a change. */
  static ObservedStore silent() {
    return new ObservedStore(false);
  }

  @Override
  public void create(ApiKey key) {
    if (idCollisions.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new DuplicateKeyIdException(key.id());
    }
    delegate.create(key);
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    lookups.incrementAndGet();
    if (down) {
      throw new StoreUnavailableException("connection refused");
    }
    RuntimeException failure = lookupFailure;
    if (failure != null) {
      throw failure;
    }
    return delegate.findById(id);
  }

  @Override
  public boolean update(ApiKey key) {
    if (updatesFail) {
      throw new StoreUnavailableException("connection refused");
    }
    raceBeforeWrite();
    return delegate.update(key);
  }

  @Override
  public Page<ApiKey> list(KeyQuery query) {
    return delegate.list(query);
  }

  @Override
  public boolean delete(String id) {
    raceBeforeWrite();
    return delegate.delete(id);
  }

  private void raceBeforeWrite() {
    Runnable race = beforeNextWrite;
    beforeNextWrite = null;
    if (race != null) {
      race.run();
    }
  }

  @Override
  public void recordUsage(Collection<UsageRecord> usage) {
    Throwable failure = nextUsageFailure;
    nextUsageFailure = null;
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    usageBatches.add(List.copyOf(new ArrayList<>(usage)));
    delegate.recordUsage(usage);
  }

  @Override
  public Subscription subscribe(KeyChangeListener listener) {
    Subscription inner = announcesChanges ? delegate.subscribe(listener) : () -> {};
    openSubscriptions.incrementAndGet();
    boolean[] closed = {false};
    return () -> {
      synchronized (closed) {
        if (!closed[0]) {
          closed[0] = true;
          openSubscriptions.decrementAndGet();
          inner.close();
        }
      }
    };
  }
}

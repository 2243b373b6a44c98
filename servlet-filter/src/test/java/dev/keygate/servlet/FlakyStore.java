package dev.keygate.servlet;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store that can be switched off, to play a database outage, and that counts the
 * engines listening to it (a database store keeps a connection or a poller for each).
 */
final class FlakyStore implements ApiKeyStore {
  private final InMemoryApiKeyStore delegate = new InMemoryApiKeyStore();
  private final AtomicInteger listening = new AtomicInteger();
  private volatile boolean down;

  /** How many subscriptions are open. */
  int listeners() {
    return listening.get();
  }

  void down(boolean down) {
    this.down = down;
  }

  private void check() {
    if (down) {
      throw new StoreUnavailableException("the test store is down");
    }
  }

  @Override
  public void create(ApiKey key) {
    check();
    delegate.create(key);
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    check();
    return delegate.findById(id);
  }

  @Override
  public boolean update(ApiKey key) {
    check();
    return delegate.update(key);
  }

  @Override
  public Page<ApiKey> list(KeyQuery query) {
    check();
    return delegate.list(query);
  }

  @Override
  public boolean delete(String id) {
    check();
    return delegate.delete(id);
  }

  @Override
  public void recordUsage(Collection<UsageRecord> usage) {
    check();
    delegate.recordUsage(usage);
  }

  @Override
  public Subscription subscribe(KeyChangeListener listener) {
    Subscription subscription = delegate.subscribe(listener);
    listening.incrementAndGet();
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        listening.decrementAndGet();
      }
      subscription.close();
    };
  }
}

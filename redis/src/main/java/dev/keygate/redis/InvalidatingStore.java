package dev.keygate.redis;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.UsageRecord;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * A store that announces its successful updates and deletes over Redis pub/sub, and tells its
 * subscribers of the changes other nodes announce, besides what the store itself tells them.
 */
final class InvalidatingStore implements ApiKeyStore {
  private final ApiKeyStore store;
  private final Link link;
  private final KeyEvents events;

  InvalidatingStore(ApiKeyStore store, Link link, KeyEvents events) {
    this.store = Objects.requireNonNull(store, "store");
    this.link = link;
    this.events = events;
  }

  @Override
  public void create(ApiKey key) {
    store.create(key);
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    return store.findById(id);
  }

  @Override
  public boolean update(ApiKey key) {
    boolean changed = store.update(key);
    if (changed) {
      announce(key.id());
    }
    return changed;
  }

  @Override
  public Page<ApiKey> list(KeyQuery query) {
    return store.list(query);
  }

  @Override
  public long count(KeyQuery query, long atMost) {
    return store.count(query, atMost);
  }

  @Override
  public boolean delete(String id) {
    boolean deleted = store.delete(id);
    if (deleted) {
      announce(id);
    }
    return deleted;
  }

  /** Publishes the change; an outage is logged once by the link and left to the store's polling. */
  private void announce(String keyId) {
    String message = events.message(keyId);
    link.call(c -> c.publish(events.channel(), message), c -> c.publish(events.channel(), message));
  }

  @Override
  public void recordUsage(Collection<UsageRecord> usage) {
    store.recordUsage(usage);
  }

  @Override
  public Subscription subscribe(KeyChangeListener listener) {
    Subscription own = store.subscribe(listener);
    Subscription announced = events.listeners().add(listener);
    return () -> {
      announced.close();
      own.close();
    };
  }

  @Override
  public String toString() {
    return "InvalidatingStore[" + store + ", channel=" + events.channel() + "]";
  }
}

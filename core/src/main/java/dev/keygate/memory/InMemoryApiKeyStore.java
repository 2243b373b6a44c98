package dev.keygate.memory;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.DuplicateKeyIdException;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyChangeListeners;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.PageCursor;
import dev.keygate.UsageRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A thread-safe store in memory, for tests, single-node apps and benchmarks. Nothing survives a
 * restart.
 */
public final class InMemoryApiKeyStore implements ApiKeyStore {
  private final ConcurrentHashMap<String, ApiKey> keys = new ConcurrentHashMap<>();
  /**
   * The same records in the listing order, so that a page starts at its cursor without a scan of
   * what comes before. Changed only inside a {@code compute} of {@link #keys} for the record's id,
   * which serializes the changes of one record.
   */
  private final ConcurrentSkipListMap<PageCursor, ApiKey> ordered = new ConcurrentSkipListMap<>();
  private final KeyChangeListeners listeners = new KeyChangeListeners();

  @Override
  public void create(ApiKey key) {
    Objects.requireNonNull(key, "key");
    PageCursor position = PageCursor.of(key);
    keys.compute(key.id(), (id, stored) -> {
      if (stored != null) {
        throw new DuplicateKeyIdException(id);
      }
      ordered.put(position, key);
      return key;
    });
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  @Override
  public boolean update(ApiKey key) {
    AtomicBoolean replaced = new AtomicBoolean();
    keys.computeIfPresent(
        key.id(),
        (id, stored) -> {
          if (stored.version() != key.version()) {
            return stored;
          }
          replaced.set(true);
          ApiKey next = key.toBuilder()
              .usageCount(stored.usageCount())
              .lastUsedAt(stored.lastUsedAt())
              .revokedAt(stored.revokedAt() != null ? stored.revokedAt() : key.revokedAt())
              .version(key.version() + 1)
              .build();
          reorder(stored, next);
          return next;
        });
    if (replaced.get()) {
      listeners.fire(key.id());
    }
    return replaced.get();
  }

  @Override
  public Page<ApiKey> list(KeyQuery q) {
    ConcurrentNavigableMap<PageCursor, ApiKey> from =
        q.after() == null ? ordered : ordered.tailMap(q.after(), false);
    List<ApiKey> read = new ArrayList<>();
    for (ApiKey k : from.values()) {
      if (q.matches(k)) {
        read.add(k);
        if (read.size() > q.limit()) {
          break;
        }
      }
    }
    return Page.of(read, q.limit());
  }

  @Override
  public long count(KeyQuery q, long atMost) {
    KeyQuery.checkCountLimit(atMost);
    return keys.values().stream().filter(q::matches).limit(atMost).count();
  }

  @Override
  public boolean delete(String id) {
    AtomicBoolean removedOne = new AtomicBoolean();
    keys.computeIfPresent(id, (i, stored) -> {
      ordered.remove(PageCursor.of(stored));
      removedOne.set(true);
      return null;
    });
    boolean removed = removedOne.get();
    if (removed) {
      listeners.fire(id);
    }
    return removed;
  }

  @Override
  public void recordUsage(Collection<UsageRecord> usage) {
    for (UsageRecord u : usage) {
      keys.computeIfPresent(
          u.keyId(),
          (id, stored) -> {
            ApiKey next = stored.toBuilder()
                .usageCount(stored.usageCount() + u.count())
                .lastUsedAt(
                    stored.lastUsedAt() == null || stored.lastUsedAt().isBefore(u.lastUsedAt())
                        ? u.lastUsedAt()
                        : stored.lastUsedAt())
                .build();
            reorder(stored, next);
            return next;
          });
    }
  }

  /** Replaces a record in the ordered view; called inside the {@code compute} for its id. */
  private void reorder(ApiKey stored, ApiKey next) {
    PageCursor was = PageCursor.of(stored);
    PageCursor is = PageCursor.of(next);
    ordered.put(is, next); // first, so that a listing meanwhile does not miss the key
    if (!was.equals(is)) { // an update that moved createdAt
      ordered.remove(was);
    }
  }

  @Override
  public Subscription subscribe(KeyChangeListener listener) {
    return listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * How many records the store holds.
   *
   * @return the number of keys held
   */
  public int size() {
    return keys.size();
  }

  @Override
  public String toString() {
    return "InMemoryApiKeyStore[" + keys.size() + " keys]";
  }
}

package dev.keygate.memory;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.DuplicateKeyIdException;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyChangeListeners;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.UsageRecord;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A thread-safe store in memory, for tests, single-node apps and benchmarks. Nothing survives a
 * restart.
 */
public final class InMemoryApiKeyStore implements ApiKeyStore {
  private static final Comparator<ApiKey> ORDER =
      Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id);

  private final ConcurrentHashMap<String, ApiKey> keys = new ConcurrentHashMap<>();
  private final KeyChangeListeners listeners = new KeyChangeListeners();

  @Override
  public void create(ApiKey key) {
    Objects.requireNonNull(key, "key");
    if (keys.putIfAbsent(key.id(), key) != null) {
      throw new DuplicateKeyIdException(key.id());
    }
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
          return key.toBuilder()
              .usageCount(stored.usageCount())
              .lastUsedAt(stored.lastUsedAt())
              .revokedAt(stored.revokedAt() != null ? stored.revokedAt() : key.revokedAt())
              .version(key.version() + 1)
              .build();
        });
    if (replaced.get()) {
      listeners.fire(key.id());
    }
    return replaced.get();
  }

  @Override
  public Page<ApiKey> list(KeyQuery q) {
    List<ApiKey> window =
        keys.values().stream()
            .filter(k -> q.owner() == null || q.owner().equals(k.owner()))
            .filter(k -> q.environment() == null || q.environment().equals(k.environment()))
            .filter(k -> q.status() == null || k.statusAt(q.asOf()) == q.status())
            .sorted(ORDER)
            .skip(q.offset())
            .limit(q.limit() + 1L)
            .toList();
    boolean hasMore = window.size() > q.limit();
    return new Page<>(hasMore ? window.subList(0, q.limit()) : window, q.offset(), hasMore);
  }

  @Override
  public boolean delete(String id) {
    boolean removed = keys.remove(id) != null;
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
          (id, stored) ->
              stored.toBuilder()
                  .usageCount(stored.usageCount() + u.count())
                  .lastUsedAt(
                      stored.lastUsedAt() == null || stored.lastUsedAt().isBefore(u.lastUsedAt())
                          ? u.lastUsedAt()
                          : stored.lastUsedAt())
                  .build());
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

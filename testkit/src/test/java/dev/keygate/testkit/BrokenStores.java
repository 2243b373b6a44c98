package dev.keygate.testkit;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.PageCursor;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The contract run on stores with one bug each (and on one without), for {@link
 * ContractCatchesBrokenStoresTest}. Not named like a test: surefire runs them only through that
 * test, never on their own.
 */
final class BrokenStores {
  private BrokenStores() {}

  /** The in-memory store, calling its own listeners so that a bug can decide when. */
  static class OwnListeners extends ForwardingApiKeyStore {
    final List<KeyChangeListener> listeners = new CopyOnWriteArrayList<>();

    OwnListeners() {
      super(new InMemoryApiKeyStore());
    }

    void fire(String id) {
      for (KeyChangeListener l : listeners) {
        l.keyChanged(id);
      }
    }

    @Override
    public boolean update(ApiKey key) {
      boolean updated = super.update(key);
      if (updated) {
        safeFire(key.id());
      }
      return updated;
    }

    @Override
    public boolean delete(String id) {
      boolean deleted = super.delete(id);
      if (deleted) {
        safeFire(id);
      }
      return deleted;
    }

    void safeFire(String id) {
      for (KeyChangeListener l : listeners) {
        try {
          l.keyChanged(id);
        } catch (RuntimeException ignored) {
          // as KeyChangeListeners does, without the log line
        }
      }
    }

    @Override
    public Subscription subscribe(KeyChangeListener listener) {
      listeners.add(java.util.Objects.requireNonNull(listener));
      return () -> listeners.remove(listener);
    }
  }

  /** Correct, with an outage that fails the right way: every case passes, none is skipped. */
  static class Correct extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new OwnListeners();
    }

    @Override
    protected ApiKeyStore newUnreachableStore() {
      return new Down(new InMemoryApiKeyStore(), "key store unreachable (connection refused)");
    }
  }

  /** Tells listeners of an update it refused. */
  static class NotifiesRefusedUpdates extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new OwnListeners() {
        @Override
        public boolean update(ApiKey key) {
          boolean updated = super.update(key);
          if (!updated) {
            fire(key.id());
          }
          return updated;
        }
      };
    }
  }

  /** Lets a listener's exception out of update and delete, after making the change. */
  static class LetsListenerFailuresOut extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new OwnListeners() {
        @Override
        void safeFire(String id) {
          fire(id);
        }
      };
    }
  }

  /** Updates by writing the record whether or not it is still there (an upsert). */
  static class UpdatesByUpsert extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new OwnListeners() {
        @Override
        public boolean update(ApiKey key) {
          if (findById(key.id()).isEmpty()) {
            create(key.toBuilder().version(key.version() + 1).build());
            return true;
          }
          return super.update(key);
        }
      };
    }
  }

  /** Reads a page after a cursor with a comparison of its own, from all matching keys. */
  abstract static class PagesAfter extends ForwardingApiKeyStore {
    PagesAfter() {
      super(new InMemoryApiKeyStore());
    }

    abstract boolean follows(PageCursor after, ApiKey key);

    @Override
    public Page<ApiKey> list(KeyQuery q) {
      PageCursor after = q.after();
      if (after == null) {
        return super.list(q);
      }
      List<ApiKey> read = super.list(q.withAfter(null).withLimit(KeyQuery.MAX_LIMIT)).items().stream()
          .filter(k -> follows(after, k))
          .limit(q.limit() + 1L)
          .toList();
      return Page.of(read, q.limit());
    }
  }

  /** Starts a page after the cursor's instant ({@code created_at > ?}): keys of that instant are lost. */
  static class PagesAfterTheInstantOnly extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new PagesAfter() {
        @Override
        boolean follows(PageCursor after, ApiKey key) {
          return key.createdAt().isAfter(after.createdAt());
        }
      };
    }
  }

  /** Compares column by column ({@code created_at >= ? AND id > ?}): later keys with smaller ids are lost. */
  static class PagesColumnByColumn extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new PagesAfter() {
        @Override
        boolean follows(PageCursor after, ApiKey key) {
          return !key.createdAt().isBefore(after.createdAt()) && key.id().compareTo(after.id()) > 0;
        }
      };
    }
  }

  /** Answers a null id with "no such key". */
  static class TakesNullForMissing extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new OwnListeners() {
        @Override
        public Optional<ApiKey> findById(String id) {
          return id == null ? Optional.empty() : super.findById(id);
        }
      };
    }
  }

  /** In an outage, throws an IllegalStateException. */
  static class FailsWithAnotherException extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new OwnListeners();
    }

    @Override
    protected ApiKeyStore newUnreachableStore() {
      return new Down(new InMemoryApiKeyStore(), null) {
        @Override
        RuntimeException failure(String call) {
          return new IllegalStateException("pool closed");
        }
      };
    }
  }

  /** In an outage, reads answer "no such key". */
  static class HidesTheOutageInReads extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new OwnListeners();
    }

    @Override
    protected ApiKeyStore newUnreachableStore() {
      return new Down(new InMemoryApiKeyStore(), "unreachable") {
        @Override
        public Optional<ApiKey> findById(String id) {
          return Optional.empty();
        }
      };
    }
  }

  /** In an outage, quotes the record it was given, stored hash included. */
  static class QuotesTheHash extends ApiKeyStoreContractTest {
    @Override
    protected ApiKeyStore newStore() {
      return new OwnListeners();
    }

    @Override
    protected ApiKeyStore newUnreachableStore() {
      return new Down(new InMemoryApiKeyStore(), null) {
        @Override
        public boolean update(ApiKey key) {
          throw new StoreUnavailableException("update failed",
              new IllegalStateException("bad row " + key.secretHash()));
        }
      };
    }
  }

  /** A store in an outage: every call fails with {@link #failure}. */
  static class Down extends ForwardingApiKeyStore {
    private final String message;

    Down(ApiKeyStore delegate, String message) {
      super(delegate);
      this.message = message;
    }

    RuntimeException failure(String call) {
      return new StoreUnavailableException(message + " in " + call);
    }

    @Override
    public void create(ApiKey key) {
      throw failure("create");
    }

    @Override
    public Optional<ApiKey> findById(String id) {
      throw failure("findById");
    }

    @Override
    public boolean update(ApiKey key) {
      throw failure("update");
    }

    @Override
    public Page<ApiKey> list(KeyQuery query) {
      throw failure("list");
    }

    @Override
    public boolean delete(String id) {
      throw failure("delete");
    }

    @Override
    public void recordUsage(Collection<UsageRecord> usage) {
      throw failure("recordUsage");
    }
  }
}

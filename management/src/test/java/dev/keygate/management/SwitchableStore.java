package dev.keygate.management;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import dev.keygate.testkit.ForwardingApiKeyStore;
import java.util.Collection;
import java.util.Optional;

/**
 * A store that can be taken down (every call throws {@link StoreUnavailableException}) and can lose
 * the next update (as if another node changed the key first), for the 503 and 409 answers.
 */
final class SwitchableStore extends ForwardingApiKeyStore {
  private volatile boolean down;
  private volatile boolean loseNextUpdate;

  SwitchableStore(ApiKeyStore delegate) {
    super(delegate);
  }

  void down(boolean down) {
    this.down = down;
  }

  void loseNextUpdate() {
    this.loseNextUpdate = true;
  }

  private void check() {
    if (down) {
      throw new StoreUnavailableException("test store is down");
    }
  }

  @Override
  public void create(ApiKey key) {
    check();
    super.create(key);
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    check();
    return super.findById(id);
  }

  @Override
  public boolean update(ApiKey key) {
    check();
    if (loseNextUpdate) {
      loseNextUpdate = false;
      return false;
    }
    return super.update(key);
  }

  @Override
  public Page<ApiKey> list(KeyQuery query) {
    check();
    return super.list(query);
  }

  @Override
  public boolean delete(String id) {
    check();
    return super.delete(id);
  }

  @Override
  public void recordUsage(Collection<UsageRecord> usage) {
    check();
    super.recordUsage(usage);
  }
}

package dev.keygate.testkit;

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
 * A store that hands every call to another store, unchanged. Override the methods a test needs to
 * observe or break, and leave the rest:
 *
 * <pre>{@code
 * ApiKeyStore down = new ForwardingApiKeyStore(realStore) {
 *   @Override
 *   public Optional<ApiKey> findById(String id) {
 *     throw new StoreUnavailableException("database down (simulated)");
 *   }
 * };
 * }</pre>
 *
 * <p>Every method of {@link ApiKeyStore} is forwarded (a test of the testkit checks it), so a new
 * SPI method cannot silently reach a default instead of the real store.
 */
public class ForwardingApiKeyStore implements ApiKeyStore {
  private final ApiKeyStore delegate;

  /**
   * Forwards to {@code delegate}.
   *
   * @param delegate the store that does the work
   * @throws NullPointerException if {@code delegate} is null
   */
  public ForwardingApiKeyStore(ApiKeyStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The store calls are forwarded to.
   *
   * @return the delegate given to the constructor
   */
  protected ApiKeyStore delegate() {
    return delegate;
  }

  /**
   * Forwards {@link ApiKeyStore#create}.
   *
   * @param key the record
   */
  @Override
  public void create(ApiKey key) {
    delegate.create(key);
  }

  /**
   * Forwards {@link ApiKeyStore#findById}.
   *
   * @param id the key id
   * @return the delegate's answer
   */
  @Override
  public Optional<ApiKey> findById(String id) {
    return delegate.findById(id);
  }

  /**
   * Forwards {@link ApiKeyStore#update}.
   *
   * @param key the new record, with the version it was read at
   * @return the delegate's answer
   */
  @Override
  public boolean update(ApiKey key) {
    return delegate.update(key);
  }

  /**
   * Forwards {@link ApiKeyStore#list}.
   *
   * @param query filters and window
   * @return the delegate's answer
   */
  @Override
  public Page<ApiKey> list(KeyQuery query) {
    return delegate.list(query);
  }

  @Override
  public long count(KeyQuery query, long atMost) {
    return delegate.count(query, atMost);
  }

  /**
   * Forwards {@link ApiKeyStore#delete}.
   *
   * @param id the key id
   * @return the delegate's answer
   */
  @Override
  public boolean delete(String id) {
    return delegate.delete(id);
  }

  /**
   * Forwards {@link ApiKeyStore#recordUsage}.
   *
   * @param usage the batch
   */
  @Override
  public void recordUsage(Collection<UsageRecord> usage) {
    delegate.recordUsage(usage);
  }

  /**
   * Forwards {@link ApiKeyStore#subscribe}: the delegate calls the listener itself.
   *
   * @param listener the listener
   * @return the delegate's subscription
   */
  @Override
  public Subscription subscribe(KeyChangeListener listener) {
    return delegate.subscribe(listener);
  }

  /**
   * Names the delegate.
   *
   * @return {@code "Forwarding[" + delegate + "]"}
   */
  @Override
  public String toString() {
    return "Forwarding[" + delegate + "]";
  }
}

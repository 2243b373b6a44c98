package dev.keygate;

import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread-safe listener registry for store implementations: hand out subscriptions from {@link
 * ApiKeyStore#subscribe} with {@link #add} and call {@link #fire} after each change.
 */
public final class KeyChangeListeners {
  private static final Logger LOG = LoggerFactory.getLogger(KeyChangeListeners.class);

  private final CopyOnWriteArrayList<KeyChangeListener> listeners = new CopyOnWriteArrayList<>();

  /**
   * Registers a listener; closing the returned subscription removes it.
   *
   * @param listener called by {@link #fire}
   * @return the subscription; closing it removes the listener
   */
  public ApiKeyStore.Subscription add(KeyChangeListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Tells every listener that {@code keyId} changed; a listener that throws is logged and skipped.
   *
   * @param keyId the public id of the key that changed or was deleted
   */
  public void fire(String keyId) {
    for (KeyChangeListener l : listeners) {
      try {
        l.keyChanged(keyId);
      } catch (RuntimeException e) {
        LOG.warn("key change listener failed for key {}", keyId, e);
      }
    }
  }

  /**
   * Whether anybody listens (lets a store skip polling work when nobody does).
   *
   * @return whether anybody listens (lets a store skip polling work when nobody does)
   */
  public boolean isEmpty() {
    return listeners.isEmpty();
  }
}

package dev.keygate;

import java.util.Collection;
import java.util.Optional;

/**
 * Where API keys live. Implement this to keep keys in any database; prove the implementation by
 * extending {@code dev.keygate.testkit.ApiKeyStoreContractTest} from {@code
 * dev.keygate:keygate-testkit} (test scope), which checks every point below.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Thread-safe: every method may be called from many threads at once.
 *   <li>Records are {@link ApiKey} values; the store keeps every field as given and returns equal
 *       values (instants may be truncated to microseconds, collections compared by content).
 *   <li>{@code usageCount} and {@code lastUsedAt} belong to {@link #recordUsage}: {@link #create}
 *       stores them as given, {@link #update} leaves the stored values alone.
 *   <li>Revocation is permanent: once a stored record has a {@code revokedAt}, {@link #update}
 *       keeps that value whatever the new record says.
 *   <li>A deleted key stays deleted: an {@link #update} or a {@link #recordUsage} that runs after
 *       (or races) a {@link #delete} never writes the record back. Calls on one key take effect
 *       in some serial order.
 *   <li>Change notification: listeners given to {@link #subscribe} are called for every successful
 *       {@link #update} and {@link #delete} made through this instance before that call returns,
 *       and for nothing else made through it (not for a refused update, a delete that found
 *       nothing, or a call that threw). They are called after the change is applied (committed),
 *       holding no lock that another call of the store needs. A listener that throws does not make
 *       the change fail and does not stop the other listeners ({@link KeyChangeListeners} does
 *       this). A store shared by several application nodes should also call them for changes made
 *       by other nodes, within a bound it documents.
 * </ul>
 *
 * <h2>Failures</h2>
 *
 * <ul>
 *   <li>"No such key" is an empty result or {@code false}, never an exception.
 *   <li>Anything the backing system fails or refuses (unreachable, timed out, a value it cannot
 *       hold, a record it cannot read back) is a {@link StoreUnavailableException}, never another
 *       unchecked exception and never an empty answer. A call that throws it has changed nothing
 *       (short of a commit whose acknowledgement was lost with the connection) and told no
 *       listener. Its message and its causes' messages quote no stored hash (key ids are public
 *       and may appear).
 *   <li>{@link #create} with an id the store holds is a {@link DuplicateKeyIdException}.
 *   <li>A null argument is a {@link NullPointerException} (a caller's bug, not a missing key).
 *   <li>{@link #subscribe} needs no backing system and does not throw for an outage: an engine
 *       starting while the database is down still starts.
 * </ul>
 */
public interface ApiKeyStore {

  /**
   * Stores a new record.
   *
   * @param key the record to store, with an id no stored record has
   * @throws DuplicateKeyIdException if a record with the same id exists
   * @throws StoreUnavailableException if the store cannot be reached
   */
  void create(ApiKey key);

  /**
   * Finds a record by key id. This is the hot path of uncached authentication: make it one indexed
   * lookup.
   *
   * @param id the public key id
   * @return the record, or empty when there is none
   * @throws StoreUnavailableException if the store cannot be reached
   */
  Optional<ApiKey> findById(String id);

  /**
   * Replaces a record if nobody changed it since it was read (optimistic concurrency).
   *
   * <p>The stored record with {@code key.id()} is replaced only when its version equals {@code
   * key.version()}; the stored copy then gets version {@code key.version() + 1}. Its {@code
   * usageCount} and {@code lastUsedAt} are kept, and a stored {@code revokedAt} is never cleared.
   *
   * @param key the new record, carrying the version it was read with
   * @return true when replaced; false when absent or when the version differs
   * @throws StoreUnavailableException if the store cannot be reached
   */
  boolean update(ApiKey key);

  /**
   * Lists records matching the query's filters, ordered by {@code createdAt} then {@code id}: at
   * most {@link KeyQuery#limit()} of them, the first ones after {@link KeyQuery#after()} when it
   * is given (a later {@code createdAt}, or the same one and a greater {@code id}). The page's
   * {@link Page#nextCursor()} is the position of its last record when more match, else null ({@link
   * Page#of} builds it from {@code limit + 1} records read). A late page should cost what the first
   * does: start at the position (an index on {@code (createdAt, id)}), never skip over rows.
   *
   * @param query the filters and the page to read
   * @return the page of matching records, and where the next one starts
   * @throws StoreUnavailableException if the store cannot be reached
   */
  Page<ApiKey> list(KeyQuery query);

  /**
   * How many records match the query's filters, up to {@code atMost}: what a listing shows as its
   * total. The query's position and limit are ignored. The default walks {@link #list} in its
   * largest pages; a store that can count in one query should (the JDBC store does), since a
   * listing page asks for its total every time.
   *
   * @param query the filters (its position and limit are ignored)
   * @param atMost the most to count, at least 1: an owner with more matching keys counts as this many
   * @return the number of matching records, at most {@code atMost}
   * @throws IllegalArgumentException if {@code atMost} is less than 1
   * @throws StoreUnavailableException if the store cannot be reached
   */
  default long count(KeyQuery query, long atMost) {
    KeyQuery.checkCountLimit(atMost);
    long n = 0;
    PageCursor at = null;
    Page<ApiKey> p;
    do {
      p = list(query.withAfter(at).withLimit(KeyQuery.MAX_LIMIT));
      n += p.items().size();
      at = p.nextCursor();
    } while (p.hasMore() && n < atMost);
    return Math.min(n, atMost);
  }

  /**
   * Deletes a record. The lifecycle service only deletes revoked or expired keys; the store does
   * not check.
   *
   * @param id the public key id
   * @return true when a record was deleted, false when there was none
   * @throws StoreUnavailableException if the store cannot be reached
   */
  boolean delete(String id);

  /**
   * Adds a batch of usage: for each record, {@code usageCount += count} and {@code lastUsedAt =
   * max(lastUsedAt, record.lastUsedAt)}. Records for unknown ids are ignored. Increments are never
   * lost, also when several nodes flush at once. Several records for one id add up.
   *
   * <p>All or nothing: when this throws, none of the batch may have been applied, because the
   * caller keeps the whole batch and retries it (a half-applied batch would be counted twice).
   *
   * @param usage one record per key id: uses since the last batch and the last use
   * @throws StoreUnavailableException if the store cannot be reached (the caller keeps the batch
   *     and retries later)
   */
  void recordUsage(Collection<UsageRecord> usage);

  /**
   * Registers a listener for changed or deleted keys (see the class contract).
   *
   * @param listener called with the key id of every changed or deleted key
   * @return a handle whose {@code close()} unregisters the listener
   */
  Subscription subscribe(KeyChangeListener listener);

  /** A registration that can be cancelled. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    /** Stops notifications to the listener. Idempotent, never throws. */
    @Override
    void close();
  }
}

package dev.keygate.testkit;

import dev.keygate.ApiKey;
import dev.keygate.RateLimit;
import dev.keygate.ApiKeyStore;
import dev.keygate.Page;
import dev.keygate.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fixtures and hooks of {@link ApiKeyStoreContractTest}, which documents them; the cases are in
 * {@link StoreListingContract}, {@link StoreRecordsContract} and {@link ApiKeyStoreContractTest}. Package-private: store authors
 * extend the public class only.
 */
@ExtendWith(NoSecretsInLogsExtension.class)
abstract class StoreContractBase {
  /** A fixed instant, truncated to microseconds as SQL timestamps keep them. */
  protected static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123456Z");

  /** How long a test waits for another thread before it fails: 30 seconds. */
  protected static final long DEADLINE_SECONDS = 30;

  private static final AtomicInteger IDS = new AtomicInteger();

  /** The store under test: {@link #newStore()}'s, made before each test. */
  protected ApiKeyStore store;

  /**
   * Makes the store for one test.
   *
   * @return a store without any of the keys the test creates (a new, empty one is simplest)
   * @throws Exception anything that fails the test before it starts
   */
  protected abstract ApiKeyStore newStore() throws Exception;

  /**
   * Releases what {@link #newStore()} (and {@link #newUnreachableStore()}) made, after each test;
   * the default does nothing.
   *
   * @param store the store of the test that ended
   * @throws Exception anything that fails the test
   */
  protected void closeStore(ApiKeyStore store) throws Exception {}

  /**
   * A store of the same kind whose backing system cannot be reached: built on a closed connection
   * pool, a stopped server or an address nobody listens on, as close to a real outage as the test
   * can make it. The outage case checks that every call then fails with a {@link
   * StoreUnavailableException}, changes nothing and tells no listener. The test closes it at its
   * end when it is {@link AutoCloseable}; release anything else it holds in {@link #closeStore}.
   *
   * <p>The default returns null: a store that has no backing system (in memory) has no outage to
   * prove, and the outage case is then not generated at all (it is neither run nor skipped).
   *
   * @return a store whose every call fails for want of its backing system, or null for none
   * @throws Exception anything that fails the test
   */
  protected @Nullable ApiKeyStore newUnreachableStore() throws Exception {
    return null;
  }

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void releaseStore() throws Exception {
    closeStore(store);
  }

  /**
   * A unique, valid key id (12 base62 characters).
   *
   * @return an id no other call of this JVM returned
   */
  protected static String newId() {
    return String.format("k%011d", IDS.incrementAndGet());
  }

  /**
   * A minimal valid record.
   *
   * @param id the key id
   * @param createdAt the creation instant
   * @return a record with a name, a hint and a stored hash, everything else unset
   */
  protected static ApiKey key(String id, Instant createdAt) {
    return ApiKey.builder()
        .id(id)
        .name("key " + id)
        .hint("kg_live_" + id.substring(0, 6) + "…")
        .secretHash("$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")
        .createdAt(createdAt)
        .build();
  }

  /**
   * The ids of a page's records, in order.
   *
   * @param page a page
   * @return its records' ids
   */
  protected static List<String> ids(Page<ApiKey> page) {
    return page.items().stream().map(ApiKey::id).toList();
  }

  static ApiKey fullKey(String id) {
    return key(id, T0).toBuilder()
        .previousSecretHash("$hmac-sha256$k=1$cHJldmlvdXM")
        .previousSecretExpiresAt(T0.plus(Duration.ofHours(1)))
        .scopes(Set.of("datasets.read", "projects.*"))
        .environment("production")
        .owner("org-1")
        .expiresAt(T0.plus(Duration.ofDays(30)))
        .rotatedAt(T0.plusSeconds(5))
        .lastUsedAt(T0.plusSeconds(7))
        .usageCount(42)
        .allowedIps(List.of("203.0.113.0/24", "2001:db8::1"))
        .rateLimit(new RateLimit(100, Duration.ofMinutes(1)))
        .metadata(Map.of("team", "billing", "ticket", "OPS-12"))
        .build();
  }
}

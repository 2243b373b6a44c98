package dev.keygate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyService;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.KeyStatus;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.spi.ApiKeyStore;
import dev.keygate.spi.DuplicateKeyIdException;
import dev.keygate.spi.KeyChangeListener;
import dev.keygate.spi.KeyQuery;
import dev.keygate.spi.Page;
import dev.keygate.spi.StoreUnavailableException;
import dev.keygate.spi.UsageRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every {@link ApiKeyStore} honours (the list in the interface's documentation), as
 * JUnit 5 tests. A store proves itself with one short test class:
 *
 * <pre>{@code
 * class MyStoreTest extends ApiKeyStoreContractTest {
 *   @Override
 *   protected ApiKeyStore newStore() {
 *     return new MyStore(); // empty, or at least without any key a test creates
 *   }
 * }
 * }</pre>
 *
 * <p>Override {@link #closeStore} to release what {@link #newStore()} made, and {@link
 * #newUnreachableStore()} to run the outage cases; add the store's own cases to the same class.
 * Every test creates its keys with fresh ids ({@link #newId()}), so a store may be shared by the
 * tests of a class as long as nothing else writes to it. Tests wait for other threads with a
 * deadline, never a sleep, and a test fails when a stored hash or a whole key reaches an exception
 * message ({@link NoSecretsInLogsExtension}; log lines too, where {@link SecretScanningAppender} is
 * attached).
 */
@ExtendWith(NoSecretsInLogsExtension.class)
public abstract class ApiKeyStoreContractTest {
  /** A fixed instant, truncated to microseconds as SQL timestamps keep them. */
  protected static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123456Z");

  /** How long a test waits for another thread before it fails: 30 seconds. */
  protected static final long DEADLINE_SECONDS = 30;

  /** Rounds of {@link #deleteRacingAnUpdateAndAUsageFlushEndsInASerialOrderAndNeverBringsTheKeyBack}. */
  private static final int RACE_ROUNDS = 25;

  private static final AtomicInteger IDS = new AtomicInteger();

  /** The store under test: {@link #newStore()}'s, made before each test. */
  protected ApiKeyStore store;

  /** For subclasses. */
  protected ApiKeyStoreContractTest() {}

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
   * <p>The default aborts the cases that need one, which then count as skipped: a store that has no
   * backing system (in memory) has no outage to prove.
   *
   * @return a store whose every call fails for want of its backing system
   * @throws Exception anything that fails the test
   */
  protected ApiKeyStore newUnreachableStore() throws Exception {
    return Assumptions.abort(getClass().getSimpleName() + " makes no unreachable store");
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

  private static ApiKey fullKey(String id) {
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

  @Test
  void createdRecordIsFoundWithEveryField() {
    ApiKey k = fullKey(newId());
    store.create(k);
    assertThat(store.findById(k.id())).contains(k);
  }

  @Test
  void minimalRecordRoundTripsWithNullsAndEmptyCollections() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThat(store.findById(k.id())).contains(k);
  }

  @Test
  void unknownIdIsEmptyNotAnError() {
    assertThat(store.findById("zzzzzzzzzzzz")).isEmpty();
  }

  @Test
  void duplicateIdIsRefused() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThatThrownBy(() -> store.create(k.toBuilder().name("other").build()))
        .isInstanceOf(DuplicateKeyIdException.class);
    assertThat(store.findById(k.id()).orElseThrow().name()).isEqualTo(k.name());
  }

  @Test
  void updateWithCurrentVersionReplacesAndIncrementsVersion() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThat(store.update(k.toBuilder().name("renamed").scopes(Set.of("a.b")).build())).isTrue();
    ApiKey stored = store.findById(k.id()).orElseThrow();
    assertThat(stored.name()).isEqualTo("renamed");
    assertThat(stored.scopes()).containsExactly("a.b");
    assertThat(stored.version()).isEqualTo(k.version() + 1);
  }

  @Test
  void updateWithStaleVersionIsRefusedAndChangesNothing() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThat(store.update(k.toBuilder().name("first").build())).isTrue();
    assertThat(store.update(k.toBuilder().name("stale").build())).isFalse();
    assertThat(store.findById(k.id()).orElseThrow().name()).isEqualTo("first");
  }

  @Test
  void updateOfAbsentKeyReturnsFalse() {
    assertThat(store.update(key(newId(), T0))).isFalse();
  }

  @Test
  void updateLeavesUsageFieldsToRecordUsage() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    store.recordUsage(List.of(new UsageRecord(k.id(), 3, T0.plusSeconds(1))));
    assertThat(store.update(k.toBuilder().name("renamed").usageCount(0).lastUsedAt(null).build())).isTrue();
    ApiKey stored = store.findById(k.id()).orElseThrow();
    assertThat(stored.usageCount()).isEqualTo(3);
    assertThat(stored.lastUsedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void revokedKeyCannotBeReactivatedThroughUpdate() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThat(store.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build())).isTrue();
    ApiKey revoked = store.findById(k.id()).orElseThrow();
    store.update(revoked.toBuilder().revokedAt(null).build());
    assertThat(store.findById(k.id()).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void deleteRemovesAndReportsWhetherSomethingWasThere() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThat(store.delete(k.id())).isTrue();
    assertThat(store.findById(k.id())).isEmpty();
    assertThat(store.delete(k.id())).isFalse();
  }

  @Test
  void listFiltersByOwnerEnvironmentAndStatus() {
    Instant now = T0.plus(Duration.ofDays(1));
    ApiKey active = key(newId(), T0).toBuilder().owner("acme").environment("production").build();
    ApiKey revoked = key(newId(), T0.plusSeconds(1)).toBuilder().owner("acme").revokedAt(T0.plusSeconds(2)).build();
    ApiKey expired = key(newId(), T0.plusSeconds(2)).toBuilder().owner("acme").environment("staging").expiresAt(now).build();
    ApiKey other = key(newId(), T0.plusSeconds(3)).toBuilder().owner("globex").environment("production").build();
    ApiKey global = key(newId(), T0.plusSeconds(4));
    for (ApiKey k : List.of(active, revoked, expired, other, global)) {
      store.create(k);
    }
    KeyQuery all = KeyQuery.all(now);
    assertThat(ids(store.list(all.withOwner("acme")))).containsExactly(active.id(), revoked.id(), expired.id());
    assertThat(ids(store.list(all.withEnvironment("production")))).containsExactly(active.id(), other.id());
    assertThat(ids(store.list(all.withStatus(KeyStatus.ACTIVE)))).containsExactly(active.id(), other.id(), global.id());
    assertThat(ids(store.list(all.withStatus(KeyStatus.REVOKED)))).containsExactly(revoked.id());
    assertThat(ids(store.list(all.withStatus(KeyStatus.EXPIRED)))).containsExactly(expired.id());
    assertThat(ids(store.list(all.withOwner("acme").withStatus(KeyStatus.ACTIVE)))).containsExactly(active.id());
    assertThat(ids(store.list(all.withOwner("nobody")))).isEmpty();
  }

  @Test
  void expiryExactlyAtQueryInstantCountsAsExpired() {
    ApiKey k = key(newId(), T0).toBuilder().expiresAt(T0.plusSeconds(60)).build();
    store.create(k);
    KeyQuery atExpiry = KeyQuery.all(T0.plusSeconds(60));
    assertThat(ids(store.list(atExpiry.withStatus(KeyStatus.EXPIRED)))).containsExactly(k.id());
    assertThat(ids(store.list(KeyQuery.all(T0.plusSeconds(59)).withStatus(KeyStatus.ACTIVE)))).containsExactly(k.id());
  }

  @Test
  void listPaginatesInCreationOrderWithoutGapsOrRepeats() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      ApiKey k = key(newId(), T0.plusSeconds(i % 5 == 0 ? 0 : i)).toBuilder().owner("pager").build();
      store.create(k);
      expected.add(k.id());
    }
    expected.sort((a, b) -> {
      Instant ta = store.findById(a).orElseThrow().createdAt();
      Instant tb = store.findById(b).orElseThrow().createdAt();
      int c = ta.compareTo(tb);
      return c != 0 ? c : a.compareTo(b);
    });
    List<String> seen = new ArrayList<>();
    KeyQuery q = KeyQuery.all(T0).withOwner("pager").withPage(0, 10);
    Page<ApiKey> page;
    int pages = 0;
    do {
      page = store.list(q);
      seen.addAll(ids(page));
      q = q.withPage(page.nextOffset(), 10);
      pages++;
    } while (page.hasMore());
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(store.list(KeyQuery.all(T0).withOwner("pager").withPage(20, 10)).hasMore()).isFalse();
    assertThat(store.list(KeyQuery.all(T0).withOwner("pager").withPage(100, 10)).items()).isEmpty();
  }

  @Test
  void recordUsageAddsCountsAndKeepsTheLatestTime() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    store.recordUsage(List.of(
        new UsageRecord(k.id(), 2, T0.plusSeconds(10)),
        new UsageRecord(k.id(), 3, T0.plusSeconds(5)),
        new UsageRecord("unknownid000", 7, T0)));
    store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(8))));
    ApiKey stored = store.findById(k.id()).orElseThrow();
    assertThat(stored.usageCount()).isEqualTo(6);
    assertThat(stored.lastUsedAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void concurrentUsageFlushesLoseNoIncrement() throws Exception {
    ApiKey a = key(newId(), T0);
    ApiKey b = key(newId(), T0);
    store.create(a);
    store.create(b);
    int threads = 8;
    int rounds = 50;
    Concurrently.run(threads, t -> {
      for (int i = 0; i < rounds; i++) {
        store.recordUsage(List.of(
            new UsageRecord(a.id(), 1, T0.plusSeconds(i)),
            new UsageRecord(b.id(), 2, T0.plusSeconds(t))));
      }
    });
    assertThat(store.findById(a.id()).orElseThrow().usageCount()).isEqualTo((long) threads * rounds);
    assertThat(store.findById(b.id()).orElseThrow().usageCount()).isEqualTo(2L * threads * rounds);
    assertThat(store.findById(b.id()).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(threads - 1));
  }

  @Test
  void concurrentUpdatesOfOneVersionHaveExactlyOneWinner() throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    AtomicInteger wins = new AtomicInteger();
    CopyOnWriteArrayList<String> winners = new CopyOnWriteArrayList<>();
    Concurrently.run(8, t -> {
      if (store.update(k.toBuilder().name("writer " + t).build())) {
        wins.incrementAndGet();
        winners.add("writer " + t);
      }
    });
    assertThat(wins).hasValue(1);
    assertThat(store.findById(k.id()).orElseThrow().name()).isEqualTo(winners.get(0));
  }

  @Test
  void concurrentCreatesAndReadsAreAllVisible() throws Exception {
    Set<String> created = ConcurrentHashMap.newKeySet();
    Concurrently.run(8, t -> {
      for (int i = 0; i < 25; i++) {
        ApiKey k = key(newId(), T0).toBuilder().owner("bulk").build();
        store.create(k);
        assertThat(store.findById(k.id())).isPresent();
        created.add(k.id());
      }
    });
    Set<String> listed = new HashSet<>(ids(store.list(KeyQuery.all(T0).withOwner("bulk").withPage(0, 1000))));
    assertThat(listed).isEqualTo(created).hasSize(200);
  }

  @Test
  void listenersHearUpdatesAndDeletesUntilUnsubscribed() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    List<String> heard = new CopyOnWriteArrayList<>();
    ApiKeyStore.Subscription sub = store.subscribe(heard::add);
    store.update(k.toBuilder().name("x").build());
    assertThat(heard).contains(k.id());
    heard.clear();
    store.delete(k.id());
    assertThat(heard).contains(k.id());
    sub.close();
    sub.close(); // idempotent
    heard.clear();
    ApiKey other = key(newId(), T0);
    store.create(other);
    store.delete(other.id());
    assertThat(heard).doesNotContain(other.id());
  }

  /** Keygate on this store, at {@link #T0}: what its key service accepts, the store must keep. */
  private Keygate keygate() {
    return Keygate.builder().store(store).keyFormat(KeyFormat.withPrefix("kg_test"))
        .hasher(CountingHasher.cheapArgon2id()).clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
  }

  /** Creates through the key service and reads back: the stored record is exactly the one issued. */
  private ApiKey roundTrip(NewKey request) {
    try (Keygate keygate = keygate()) {
      IssuedKey issued = keygate.keys().create(request);
      assertThat(store.findById(issued.key().id())).contains(issued.key());
      return issued.key();
    }
  }

  /**
   * Every field at the largest size {@link ApiKeyService} accepts, in the characters that cost a
   * store the most: 4-byte UTF-8 in the name, 3-byte in the owner, control characters (6 bytes once
   * escaped) in metadata values, the longest address literals, the last instant every store keeps.
   */
  @Test
  void theLargestRequestTheServiceAcceptsRoundTripsExactly() {
    String word = "w".repeat(64);
    Set<String> scopes = new LinkedHashSet<>();
    for (int i = 0; i < 100; i++) {
      scopes.add(word + "." + word + "." + word + "." + String.format("s%04d", i)); // 200 characters
    }
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ips.add("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255." + (155 + i) + "/128"); // 49 characters
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      // 50 entries of 100 + 100 characters: 10,000 in all
      metadata.put(String.format("%02d", i) + "\u4e2d\"\\".repeat(32) + "ky", "\u0001\u0000\ud800\u2028".repeat(25));
    }
    String owner = "\u4e2d".repeat(200);
    ApiKey k = roundTrip(NewKey.named("\ud83d\udd11".repeat(100))
        .withScopes(scopes)
        .withEnvironment("\ud83c\udf0d".repeat(32))
        .withOwner(owner)
        .withExpiresAt(ApiKeyService.LATEST_EXPIRY)
        .withAllowedIps(ips)
        .withRateLimit(new RateLimit(Integer.MAX_VALUE, Duration.ofDays(1)))
        .withMetadata(metadata));
    assertThat(k.name()).hasSize(200);
    assertThat(k.scopes()).hasSize(100);
    assertThat(k.metadata()).hasSize(50);
    assertThat(k.expiresAt()).isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
    assertThat(ids(store.list(KeyQuery.all(T0).withOwner(owner)))).containsExactly(k.id());
    Instant justBefore = ApiKeyService.LATEST_EXPIRY.minusNanos(1_000);
    assertThat(ids(store.list(KeyQuery.all(justBefore).withStatus(KeyStatus.ACTIVE)))).contains(k.id());
    assertThat(ids(store.list(KeyQuery.all(ApiKeyService.LATEST_EXPIRY).withStatus(KeyStatus.EXPIRED)))).contains(k.id());
  }

  @Test
  void theLongestSingleValuesAndTheFinestDurationsRoundTripExactly() {
    roundTrip(NewKey.named("n").withMetadata(Map.of("k".repeat(100), "\u0000".repeat(1000))));
    roundTrip(NewKey.named("n").withRateLimit(new RateLimit(1, Duration.ofDays(1).minusNanos(1))));
    roundTrip(NewKey.named("n").withRateLimit(new RateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))));
    roundTrip(NewKey.named("n").withExpiresAt(T0.plusNanos(1_000)));
    roundTrip(NewKey.named("n").withExpiresAt(T0.plus(Duration.ofDays(3)).plusNanos(999_999_999)));
  }

  @Test
  void textTheServiceAcceptsRoundTripsExactly() {
    for (String text : List.of("caf\u00e9 \u65e5\u672c \ud83d\ude00", "quote \" and backslash \\", "'; DROP TABLE x; --",
        "a\u00a0b", "\u200b\u200d\ufeff", "\ufffd\uffff")) {
      ApiKey k = roundTrip(NewKey.named(text).withEnvironment(text.strip()).withOwner(text.strip())
          .withMetadata(Map.of(text, text + "\n\t\r\u0007\udfff")));
      assertThat(ids(store.list(KeyQuery.all(T0).withOwner(text.strip())))).containsExactly(k.id());
    }
  }

  // ---- failures: what a refused or failed call tells, and how it fails ----

  @Test
  void aRefusedChangeTellsNoListener() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    List<String> heard = new CopyOnWriteArrayList<>();
    store.subscribe(heard::add);
    assertThatThrownBy(() -> store.create(k.toBuilder().name("again").build()))
        .isInstanceOf(DuplicateKeyIdException.class);
    assertThat(store.update(k.toBuilder().version(k.version() + 1).name("not read").build()))
        .as("an update at a version the store does not hold").isFalse();
    assertThat(store.update(key(newId(), T0))).as("an update of an absent key").isFalse();
    assertThat(store.delete(newId())).as("a delete of an absent key").isFalse();
    // listeners are told before update and delete return: nothing later can make this pass
    assertThat(heard).as("keys a listener was told of").isEmpty();
    assertThat(store.findById(k.id())).contains(k);
  }

  @Test
  void aListenerThatThrowsFailsNeitherTheChangeNorTheOtherListeners() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    List<String> heard = new CopyOnWriteArrayList<>();
    KeyChangeListener broken = id -> {
      throw new ListenerFailure();
    };
    store.subscribe(broken);
    store.subscribe(heard::add);
    // the change is made: an exception here would have the caller retry a change already applied
    assertThat(store.update(k.toBuilder().name("renamed").build())).isTrue();
    assertThat(heard).contains(k.id());
    heard.clear();
    assertThat(store.delete(k.id())).isTrue();
    assertThat(heard).contains(k.id());
  }

  @Test
  void aNullArgumentIsAProgrammingErrorNotAMissingKey() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThatThrownBy(() -> store.create(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.findById(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.update(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.list(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.recordUsage(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.subscribe(null)).isInstanceOf(NullPointerException.class);
    assertThat(store.findById(k.id())).contains(k);
  }

  @Test
  void everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener()
      throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    ApiKeyStore down = newUnreachableStore();
    try {
      List<String> heard = new CopyOnWriteArrayList<>();
      // subscribing needs no backing system: an engine starting during an outage must still start
      ApiKeyStore.Subscription subscription = down.subscribe(heard::add);
      assertUnavailable(() -> down.create(key(newId(), T0)));
      assertUnavailable(() -> down.findById(k.id()));
      assertUnavailable(() -> down.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build()));
      assertUnavailable(() -> down.list(KeyQuery.all(T0)));
      assertUnavailable(() -> down.delete(k.id()));
      assertUnavailable(() -> down.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(1)))));
      subscription.close();
      assertThat(heard).as("keys a listener was told of").isEmpty();
    } finally {
      if (down instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    assertThat(store.findById(k.id())).contains(k);
  }

  /**
   * A {@link StoreUnavailableException} (not another exception, not an empty answer), whose
   * messages, the causes' included, quote no stored hash.
   */
  private static void assertUnavailable(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(StoreUnavailableException.class)
        .satisfies(e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertThat(SecretScanner.secretsIn(message)).as("secrets in %s", t).isEmpty();
            assertThat(message).doesNotContain("aGFzaGhhc2g");
          }
        });
  }

  /** Thrown by a listener on purpose; without a stack trace, which would only fill the build log. */
  private static final class ListenerFailure extends RuntimeException {
    ListenerFailure() {
      super("a listener that fails on purpose", null, false, false);
    }
  }

  // ---- a delete racing an update: one of the serial orders, never a key brought back ----

  @Test
  void anUpdateOrUsageFlushAfterADeleteNeverBringsTheKeyBack() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    ApiKey readBeforeTheDelete = store.findById(k.id()).orElseThrow();
    assertThat(store.delete(k.id())).isTrue();
    assertThat(store.update(readBeforeTheDelete.toBuilder().name("late writer").build())).isFalse();
    store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(1))));
    assertThat(store.findById(k.id())).isEmpty();
    assertThat(ids(store.list(KeyQuery.all(T0).withPage(0, KeyQuery.MAX_LIMIT)))).doesNotContain(k.id());
  }

  @Test
  void aDeleteMadeWhileAnUpdateIsReportedWinsAndTheKeyStaysGone() throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    try (Pause pause = new Pause(store)) {
      CompletableFuture<Boolean> update =
          pause.runPausedAtItsReport(() -> store.update(k.toBuilder().name("renamed").build()));
      pause.awaitPaused();
      // the update is applied and being reported: the delete finds the key and removes it
      assertThat(within(pause.alongside(() -> store.delete(k.id())))).isTrue();
      pause.release();
      assertThat(within(update)).isTrue();
    }
    assertThat(store.findById(k.id())).isEmpty();
  }

  @Test
  void anUpdateMadeWhileADeleteIsReportedIsRefusedAndTheKeyStaysGone() throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    try (Pause pause = new Pause(store)) {
      CompletableFuture<Boolean> delete = pause.runPausedAtItsReport(() -> store.delete(k.id()));
      pause.awaitPaused();
      // the delete is applied and being reported: the update finds no key
      ApiKey update = k.toBuilder().name("renamed").build();
      assertThat(within(pause.alongside(() -> store.update(update)))).isFalse();
      pause.release();
      assertThat(within(delete)).isTrue();
    }
    assertThat(store.findById(k.id())).isEmpty();
  }

  @Test
  void deleteRacingAnUpdateAndAUsageFlushEndsInASerialOrderAndNeverBringsTheKeyBack()
      throws Exception {
    for (int round = 0; round < RACE_ROUNDS; round++) {
      ApiKey k = key(newId(), T0);
      store.create(k);
      AtomicBoolean deleted = new AtomicBoolean();
      // released together by one latch; whichever order the store serialises them in, the delete
      // finds the key (the update and the flush never remove it) and the key ends gone
      Concurrently.run(3, t -> {
        switch (t) {
          case 0 -> store.update(k.toBuilder().name("renamed").build());
          case 1 -> store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(1))));
          default -> deleted.set(store.delete(k.id()));
        }
      });
      assertThat(deleted).as("round %d: the delete found the key", round).isTrue();
      assertThat(store.findById(k.id())).as("round %d: the key after the race", round).isEmpty();
    }
  }

  private static <T> T within(CompletableFuture<T> call) throws Exception {
    try {
      return call.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("a store call still blocked after " + DEADLINE_SECONDS
          + " s: a store must not hold a lock another call needs while it tells its listeners", e);
    }
  }

  /**
   * Holds one store call at the point where the store tells its listeners of the change it made,
   * so that a test can make another call in that window. Only the listener call on the paused
   * call's own thread waits: notices from elsewhere (another node's change, read by a poller) pass.
   */
  private static final class Pause implements AutoCloseable {
    /** Threads of their own: the common pool may have a single thread on a small machine. */
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final AtomicReference<Thread> caller = new AtomicReference<>();
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final ApiKeyStore.Subscription subscription;

    Pause(ApiKeyStore store) {
      subscription = store.subscribe(id -> {
        if (Thread.currentThread() == caller.get()) {
          paused.countDown();
          try {
            released.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
    }

    /** Runs {@code call} on a thread of its own, to be held when it tells the listeners. */
    CompletableFuture<Boolean> runPausedAtItsReport(BooleanSupplier call) {
      return CompletableFuture.supplyAsync(() -> {
        caller.set(Thread.currentThread());
        return call.getAsBoolean();
      }, threads);
    }

    /** Runs {@code call} on another thread, while the first one is held. */
    CompletableFuture<Boolean> alongside(BooleanSupplier call) {
      return CompletableFuture.supplyAsync(call::getAsBoolean, threads);
    }

    void awaitPaused() throws InterruptedException {
      if (!paused.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the change was not reported to this node's listeners within "
            + DEADLINE_SECONDS + " s (they must be told before the call returns)");
      }
    }

    void release() {
      released.countDown();
    }

    @Override
    public void close() {
      released.countDown();
      subscription.close();
      threads.shutdownNow();
    }
  }
}

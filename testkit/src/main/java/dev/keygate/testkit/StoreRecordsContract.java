package dev.keygate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyService;
import dev.keygate.ApiKeyStore;
import dev.keygate.DuplicateKeyIdException;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.KeyQuery;
import dev.keygate.KeyStatus;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.Page;
import dev.keygate.RateLimit;
import dev.keygate.UsageRecord;
import dev.keygate.ApiKeyStore;
import dev.keygate.DuplicateKeyIdException;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.UsageRecord;
import dev.keygate.testkit.Concurrently;
import dev.keygate.testkit.CountingHasher;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases on records: round trips, versions, usage, concurrent writers and change
 * events (listing is in {@link StoreListingContract}) (see {@link ApiKeyStoreContractTest}).
 */
abstract class StoreRecordsContract extends StoreListingContract {
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
    Set<String> listed = new HashSet<>(ids(store.list(KeyQuery.all(T0).withOwner("bulk").withLimit(1000))));
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
        .hasher(CountingHasher.cheapArgon2id()).clock(Clock.fixed(T0, ZoneOffset.UTC))
        .usageFlushInterval(Duration.ZERO).build();
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
}

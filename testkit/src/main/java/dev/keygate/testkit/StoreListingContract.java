package dev.keygate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKey;
import dev.keygate.KeyQuery;
import dev.keygate.KeyStatus;
import dev.keygate.Page;
import dev.keygate.PageCursor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases on listing: filters, and pages that start after a position (keyset
 * paging, see {@link KeyQuery#after()}), run on every store (see {@link ApiKeyStoreContractTest}).
 * Each case lists the keys of an owner of its own, so a store shared by the tests of a class
 * passes too.
 */
abstract class StoreListingContract extends StoreContractBase {
  private static final Duration MICRO = Duration.ofNanos(1_000);

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
  void walkingThePagesReturnsEveryKeyOnceInCreationOrder() {
    String owner = newId();
    List<ApiKey> created = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // four keys an instant, so that pages of ten end inside one; later instants, smaller ids
      Instant at = T0.plusSeconds((22 - i) / 4);
      ApiKey k = key(newId(), at).toBuilder().owner(owner).build();
      store.create(k);
      created.add(k);
    }
    List<String> expected = inListingOrder(created);
    List<String> seen = new ArrayList<>();
    KeyQuery q = KeyQuery.all(T0).withOwner(owner).withLimit(10);
    List<Integer> sizes = new ArrayList<>();
    Page<ApiKey> page;
    do {
      page = store.list(q);
      seen.addAll(ids(page));
      sizes.add(page.items().size());
      if (page.hasMore()) {
        ApiKey last = page.items().get(page.items().size() - 1);
        assertThat(page.nextCursor()).as("the next page starts after the last key").isEqualTo(PageCursor.of(last));
        // as an API passes it: through its text
        q = q.withAfter(PageCursor.decode(page.nextCursor().encode()));
      }
    } while (page.hasMore());
    assertThat(sizes).containsExactly(10, 10, 3);
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(page.nextCursor()).as("the last page").isNull();
  }

  @Test
  void keysCreatedAtOneInstantAreSplitAcrossPagesByTheirIds() {
    String owner = newId();
    List<ApiKey> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ApiKey k = key(newId(), T0).toBuilder().owner(owner).build();
      created.add(k);
    }
    for (int i = created.size() - 1; i >= 0; i--) {
      store.create(created.get(i));
    }
    KeyQuery q = KeyQuery.all(T0).withOwner(owner).withLimit(2);
    Page<ApiKey> first = store.list(q);
    Page<ApiKey> second = store.list(q.withAfter(first.nextCursor()));
    Page<ApiKey> third = store.list(q.withAfter(second.nextCursor()));
    assertThat(ids(first)).containsExactly(created.get(0).id(), created.get(1).id());
    assertThat(ids(second)).containsExactly(created.get(2).id(), created.get(3).id());
    assertThat(ids(third)).containsExactly(created.get(4).id());
    assertThat(third.hasMore()).isFalse();
  }

  @Test
  void aPageStartsRightAfterItsPositionToTheMicrosecondAndTheId() {
    String owner = newId();
    ApiKey early = key(newId(), T0.minus(MICRO)).toBuilder().owner(owner).build();
    ApiKey a = key(newId(), T0).toBuilder().owner(owner).build();
    ApiKey b = key(newId(), T0).toBuilder().owner(owner).build();
    ApiKey late = key(newId(), T0.plus(MICRO)).toBuilder().owner(owner).build();
    for (ApiKey k : List.of(late, b, a, early)) {
      store.create(k);
    }
    KeyQuery q = KeyQuery.all(T0).withOwner(owner);
    assertThat(ids(store.list(q.withAfter(new PageCursor(T0.minus(MICRO), early.id())))))
        .containsExactly(a.id(), b.id(), late.id());
    assertThat(ids(store.list(q.withAfter(new PageCursor(T0, a.id())))))
        .as("the same instant, a greater id").containsExactly(b.id(), late.id());
    assertThat(ids(store.list(q.withAfter(new PageCursor(T0, b.id())))))
        .as("the same instant, no greater id").containsExactly(late.id());
    assertThat(ids(store.list(q.withAfter(new PageCursor(T0.minus(MICRO), "~")))))
        .as("an earlier instant, whatever the id").containsExactly(a.id(), b.id(), late.id());
    assertThat(ids(store.list(q.withAfter(new PageCursor(T0.plus(MICRO), "0")))))
        .as("a later instant, whatever the id").containsExactly(late.id());
    Page<ApiKey> past = store.list(q.withAfter(PageCursor.of(late)));
    assertThat(past.items()).as("after the last key").isEmpty();
    assertThat(past.hasMore()).isFalse();
  }

  @Test
  void keysCreatedOrDeletedDuringAWalkShiftNoLaterPage() {
    String owner = newId();
    List<ApiKey> created = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ApiKey k = key(newId(), T0.plusSeconds(i)).toBuilder().owner(owner).build();
      store.create(k);
      created.add(k);
    }
    KeyQuery q = KeyQuery.all(T0).withOwner(owner).withLimit(3);
    Page<ApiKey> first = store.list(q);
    assertThat(ids(first)).containsExactly(created.get(0).id(), created.get(1).id(), created.get(2).id());
    // before the position: an offset would now repeat a key and skip one
    store.create(key(newId(), T0.minusSeconds(1)).toBuilder().owner(owner).build());
    store.create(key(newId(), T0.plusSeconds(1)).toBuilder().owner(owner).build());
    assertThat(store.delete(created.get(0).id())).isTrue();
    assertThat(store.delete(created.get(2).id())).as("the key the cursor names").isTrue();
    ApiKey later = key(newId(), T0.plusSeconds(10)).toBuilder().owner(owner).build();
    store.create(later);
    Page<ApiKey> second = store.list(q.withAfter(first.nextCursor()));
    assertThat(ids(second)).containsExactly(created.get(3).id(), created.get(4).id(), created.get(5).id());
    assertThat(ids(store.list(q.withAfter(second.nextCursor())))).containsExactly(later.id());
  }

  @Test
  void aCursorCombinesWithEveryFilter() {
    String owner = newId();
    Instant now = T0.plus(Duration.ofDays(1));
    List<ApiKey> wanted = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ApiKey.Builder b = key(newId(), T0.plusSeconds(i / 2)).toBuilder().owner(i % 4 == 3 ? newId() : owner)
          .environment(i % 3 == 0 ? "staging" : "production");
      if (i % 5 == 1) {
        b.revokedAt(T0);
      } else if (i % 5 == 2) {
        b.expiresAt(now);
      }
      ApiKey k = b.build();
      store.create(k);
      if (i % 4 != 3 && i % 3 != 0 && i % 5 != 1 && i % 5 != 2) {
        wanted.add(k);
      }
    }
    KeyQuery q = KeyQuery.all(now).withOwner(owner).withEnvironment("production").withStatus(KeyStatus.ACTIVE)
        .withLimit(1);
    List<String> seen = new ArrayList<>();
    for (Page<ApiKey> p = store.list(q); ; p = store.list(q.withAfter(p.nextCursor()))) {
      seen.addAll(ids(p));
      if (!p.hasMore()) {
        break;
      }
    }
    assertThat(wanted).hasSizeGreaterThan(2);
    assertThat(seen).containsExactlyElementsOf(inListingOrder(wanted));
  }

  @Test
  void aCursorIsOnlyAPositionAndServesAnyQuery() {
    String acme = newId();
    String globex = newId();
    List<ApiKey> globexKeys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      store.create(key(newId(), T0.plusSeconds(2 * i)).toBuilder().owner(acme).build());
      ApiKey g = key(newId(), T0.plusSeconds(2 * i + 1)).toBuilder().owner(globex).build();
      store.create(g);
      globexKeys.add(g);
    }
    Page<ApiKey> acmeFirst = store.list(KeyQuery.all(T0).withOwner(acme).withLimit(2)); // ends at T0 + 2 s
    assertThat(ids(store.list(KeyQuery.all(T0).withOwner(globex).withAfter(acmeFirst.nextCursor()))))
        .containsExactly(globexKeys.get(1).id(), globexKeys.get(2).id(), globexKeys.get(3).id());
    PageCursor nowhere = new PageCursor(T0.plusMillis(4_500), "no-such-key");
    assertThat(ids(store.list(KeyQuery.all(T0).withOwner(globex).withAfter(nowhere))))
        .as("a position no key holds").containsExactly(globexKeys.get(2).id(), globexKeys.get(3).id());
  }

  @Test
  void aPageHoldsAtMostItsLimitAndSaysWhetherMoreFollow() {
    String owner = newId();
    for (int i = 0; i < 3; i++) {
      store.create(key(newId(), T0.plusSeconds(i)).toBuilder().owner(owner).build());
    }
    KeyQuery q = KeyQuery.all(T0).withOwner(owner);
    assertThat(store.list(q.withLimit(1)).items()).hasSize(1);
    assertThat(store.list(q.withLimit(2)).hasMore()).isTrue();
    Page<ApiKey> exact = store.list(q.withLimit(3));
    assertThat(exact.items()).hasSize(3);
    assertThat(exact.hasMore()).as("a page that is exactly full").isFalse();
    assertThat(exact.nextCursor()).isNull();
    assertThat(store.list(q.withLimit(KeyQuery.MAX_LIMIT)).items()).hasSize(3);
    PageCursor afterOne = store.list(q.withLimit(1)).nextCursor();
    Page<ApiKey> afterFirst = store.list(q.withAfter(afterOne).withLimit(2));
    assertThat(afterFirst.items()).hasSize(2);
    assertThat(afterFirst.hasMore()).isFalse();
  }

  @Test
  void aCountIsWhatTheFiltersMatchUpToItsBoundWhateverThePosition() {
    String owner = newId();
    String environment = "env-" + newId();
    Instant now = T0.plus(Duration.ofDays(1));
    for (int i = 0; i < 7; i++) {
      ApiKey.Builder k = key(newId(), T0.plusSeconds(i)).toBuilder().owner(owner);
      if (i < 3) {
        k.revokedAt(T0.plusSeconds(10));
      }
      if (i == 6) {
        k.environment(environment).expiresAt(now);
      }
      store.create(k.build());
    }
    store.create(key(newId(), T0).toBuilder().owner(newId()).environment(environment).build());
    KeyQuery mine = KeyQuery.all(now).withOwner(owner);
    assertThat(store.count(mine, 100)).isEqualTo(7);
    assertThat(store.count(mine, 7)).isEqualTo(7);
    assertThat(store.count(mine, 6)).as("bounded").isEqualTo(6);
    assertThat(store.count(mine, 1)).isEqualTo(1);
    assertThat(store.count(mine.withStatus(KeyStatus.REVOKED), 100)).isEqualTo(3);
    assertThat(store.count(mine.withStatus(KeyStatus.ACTIVE), 100)).isEqualTo(3);
    assertThat(store.count(mine.withStatus(KeyStatus.EXPIRED), 100)).isEqualTo(1);
    assertThat(store.count(mine.withEnvironment(environment), 100)).isEqualTo(1);
    assertThat(store.count(KeyQuery.all(now).withEnvironment(environment), 100)).as("every owner").isEqualTo(2);
    assertThat(store.count(KeyQuery.all(now).withOwner(newId()), 100)).isZero();
    PageCursor position = store.list(mine.withLimit(2)).nextCursor();
    assertThat(store.count(mine.withAfter(position).withLimit(1), 100)).as("position and limit ignored").isEqualTo(7);
    assertThat(store.count(mine, Long.MAX_VALUE)).isEqualTo(7);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.count(mine, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The ids of keys as a store read back lists them: created_at, then id. */
  private List<String> inListingOrder(List<ApiKey> keys) {
    return keys.stream()
        .map(k -> store.findById(k.id()).orElseThrow())
        .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id))
        .map(ApiKey::id)
        .toList();
  }
}

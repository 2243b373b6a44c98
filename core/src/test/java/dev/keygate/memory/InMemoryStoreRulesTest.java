package dev.keygate.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.KeyChangeListeners;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.UsageRecord;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testing.LogCapture;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store beyond the shared contract: it tells listeners only about changes that
 * happened, pages end exactly, usage times only move forward, and a failing listener does not
 * silence the others.
 */
class InMemoryStoreRulesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final List<String> heard = new CopyOnWriteArrayList<>();

  private static ApiKey key(String id) {
    return ApiKey.builder().id(id).name("n").hint("h").secretHash("$x$").createdAt(T0).build();
  }

  @Test
  void listenersHearOnlyChangesThatHappened() {
    store.subscribe(heard::add);
    store.create(key("aaaaaaaaaaaa"));
    assertThat(store.update(key("aaaaaaaaaaaa").toBuilder().version(7).build())).isFalse();
    assertThat(store.update(key("bbbbbbbbbbbb"))).isFalse();
    assertThat(store.delete("bbbbbbbbbbbb")).isFalse();
    assertThat(heard).isEmpty();
    assertThat(store.update(key("aaaaaaaaaaaa"))).isTrue();
    assertThat(store.delete("aaaaaaaaaaaa")).isTrue();
    assertThat(heard).containsExactly("aaaaaaaaaaaa", "aaaaaaaaaaaa");
    assertThat(store.size()).isZero();
    assertThat(store).hasToString("InMemoryApiKeyStore[0 keys]");
  }

  @Test
  void aPageEndsExactlyAtItsLimit() {
    store.create(key("aaaaaaaaaaaa"));
    store.create(key("bbbbbbbbbbbb"));
    Page<ApiKey> exact = store.list(KeyQuery.all(T0).withLimit(2));
    assertThat(exact.items()).hasSize(2);
    assertThat(exact.hasMore()).isFalse();
    Page<ApiKey> first = store.list(KeyQuery.all(T0).withLimit(1));
    assertThat(first.items()).extracting(ApiKey::id).containsExactly("aaaaaaaaaaaa");
    assertThat(first.hasMore()).isTrue();
  }

  @Test
  void anUpdateThatMovesCreatedAtMovesTheKeyInTheListing() {
    store.create(key("aaaaaaaaaaaa"));
    store.create(key("bbbbbbbbbbbb"));
    ApiKey a = store.findById("aaaaaaaaaaaa").orElseThrow();
    assertThat(store.update(a.toBuilder().createdAt(T0.plusSeconds(1)).build())).isTrue();
    assertThat(store.list(KeyQuery.all(T0)).items()).extracting(ApiKey::id)
        .containsExactly("bbbbbbbbbbbb", "aaaaaaaaaaaa");
    assertThat(store.list(KeyQuery.all(T0)).items().get(1).version()).isEqualTo(a.version() + 1);
  }

  @Test
  void theListingShowsRecordedUsage() {
    store.create(key("aaaaaaaaaaaa"));
    store.recordUsage(List.of(new UsageRecord("aaaaaaaaaaaa", 3, T0.plusSeconds(60))));
    assertThat(store.list(KeyQuery.all(T0)).items()).singleElement()
        .satisfies(k -> assertThat(k.usageCount()).isEqualTo(3));
  }

  @Test
  void usageTimesOnlyMoveForward() {
    store.create(key("aaaaaaaaaaaa"));
    store.recordUsage(List.of(new UsageRecord("aaaaaaaaaaaa", 1, T0.plusSeconds(60))));
    store.recordUsage(List.of(new UsageRecord("aaaaaaaaaaaa", 1, T0.plusSeconds(30))));
    store.recordUsage(List.of(new UsageRecord("unknownid123", 5, T0)));
    ApiKey k = store.findById("aaaaaaaaaaaa").orElseThrow();
    assertThat(k.usageCount()).isEqualTo(2);
    assertThat(k.lastUsedAt()).isEqualTo(T0.plusSeconds(60));
    store.recordUsage(List.of(new UsageRecord("aaaaaaaaaaaa", 1, T0.plusSeconds(90))));
    assertThat(store.findById("aaaaaaaaaaaa").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(90));
  }

  @Test
  void aFailingListenerIsLoggedAndTheOthersStillHear() {
    KeyChangeListeners listeners = new KeyChangeListeners();
    assertThat(listeners.isEmpty()).isTrue();
    listeners.add(id -> {
      throw new IllegalStateException("broken listener");
    });
    ApiKeyStore.Subscription s = listeners.add(heard::add);
    assertThat(listeners.isEmpty()).isFalse();
    try (LogCapture logs = new LogCapture()) {
      listeners.fire("aaaaaaaaaaaa");
      assertThat(logs.text()).contains("key change listener failed for key aaaaaaaaaaaa");
    }
    assertThat(heard).containsExactly("aaaaaaaaaaaa");
    s.close();
    listeners.fire("bbbbbbbbbbbb");
    assertThat(heard).containsExactly("aaaaaaaaaaaa");
  }
}

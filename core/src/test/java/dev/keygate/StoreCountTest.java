package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link ApiKeyStore#count}'s default, for stores that only list: it walks the largest pages. */
class StoreCountTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theDefaultCountWalksTheListingUpToItsBound() {
    ObservedStore store = ObservedStore.silent(); // lists through its delegate, counts by the default
    for (int i = 0; i < 2_001; i++) {
      store.create(ApiKey.builder().id(String.format("k%011d", i)).name("n").hint("h").secretHash("$x$")
          .createdAt(T0.plusSeconds(i)).owner(i == 0 ? "other" : "acme").build());
    }
    KeyQuery acme = KeyQuery.all(T0).withOwner("acme");
    assertThat(store.count(acme, 10_000)).as("two full pages and nothing more").isEqualTo(2_000);
    assertThat(store.count(acme, 2_000)).isEqualTo(2_000);
    assertThat(store.count(acme, 1_999)).as("the bound, not the page read").isEqualTo(1_999);
    assertThat(store.count(acme, 1_000)).isEqualTo(1_000);
    assertThat(store.count(acme, 1)).isEqualTo(1);
    assertThat(store.count(KeyQuery.all(T0), Long.MAX_VALUE)).isEqualTo(2_001);
    assertThat(store.count(KeyQuery.all(T0).withOwner("nobody"), 5)).isZero();
    assertThat(store.count(acme.withAfter(new PageCursor(T0.plusSeconds(1_500), "k")).withLimit(1), 10_000))
        .as("position and limit ignored").isEqualTo(2_000);
    assertThatThrownBy(() -> store.count(acme, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("atMost must be at least 1, got 0");
    try (Keygate keygate = Keygate.builder().store(store).keyFormat(KeyFormat.withPrefix("kg_test")).build()) {
      assertThat(keygate.keys().count(acme, 10)).isEqualTo(10);
    }
  }
}

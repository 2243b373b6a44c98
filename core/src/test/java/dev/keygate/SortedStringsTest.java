package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The compact scope set a cached key and its principal share. */
class SortedStringsTest {

  @Test
  void holdsEachStringOnceInNaturalOrder() {
    SortedStrings s = SortedStrings.copyOf(List.of("write", "admin", "read", "admin", "write"));
    assertThat(s).containsExactly("admin", "read", "write");
    assertThat(s.size()).isEqualTo(3);
    assertThat(s).isEqualTo(Set.of("read", "write", "admin")).hasSameHashCodeAs(Set.of("read", "write", "admin"));
    assertThat(Set.of("read", "write", "admin")).isEqualTo(s);
    assertThat(s.toString()).isEqualTo(new TreeSet<>(s).toString());
    assertThat(s.contains("read")).isTrue();
    assertThat(s.contains("reader")).isFalse();
    assertThat(s.contains("a")).isFalse();
    assertThat(s.contains("zzz")).isFalse();
  }

  @Test
  void isCopiedOnceAndSharedAfterwards() {
    List<String> source = new ArrayList<>(List.of("b", "a"));
    SortedStrings s = SortedStrings.copyOf(source);
    source.add("c");
    assertThat(s).containsExactly("a", "b");
    assertThat(SortedStrings.copyOf(s)).isSameAs(s);
    assertThat(SortedStrings.copyOf(List.of())).isSameAs(SortedStrings.EMPTY).isEmpty();
    ApiKey key = ApiKey.builder().id("id").name("n").hint("h").secretHash("x").createdAt(java.time.Instant.EPOCH)
        .scopes(Set.of("b", "a")).build();
    KeygatePrincipal p = new KeygatePrincipal(AuthMethod.API_KEY, "id", "id", "n", null, key.scopes(), false, null,
        key.metadata());
    assertThat(p.scopes()).as("the principal shares its key's scopes").isSameAs(key.scopes());
    assertThat(p.metadata()).as("one empty map for every key").isSameAs(key.metadata()).isEmpty();
  }

  @Test
  void refusesNullsAndChanges() {
    assertThatThrownBy(() -> SortedStrings.copyOf(Arrays.asList("a", null))).isInstanceOf(NullPointerException.class);
    SortedStrings s = SortedStrings.copyOf(List.of("a"));
    assertThatThrownBy(() -> s.contains(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> s.add("b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(s::clear).isInstanceOf(UnsupportedOperationException.class);
    Iterator<String> it = s.iterator();
    assertThat(it.next()).isEqualTo("a");
    assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    assertThat(s).isNotEqualTo(Set.of(1));
  }

  @Test
  void metadataIsASortedUnmodifiableCopy() {
    Map<String, String> m = new HashMap<>(Map.of("b", "2", "a", "1"));
    Map<String, String> copy = SortedStrings.sortedMap(m);
    m.put("c", "3");
    assertThat(copy).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThatThrownBy(() -> copy.put("d", "4")).isInstanceOf(UnsupportedOperationException.class);
  }
}

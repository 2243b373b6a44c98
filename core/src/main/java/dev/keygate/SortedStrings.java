package dev.keygate;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable set of strings in their natural order, held in one sorted array: a key's scopes
 * cost one small object instead of a tree, and the principal built from the key shares it. A
 * cache of 100,000 verified keys holds 100,000 of these (BENCHMARKS.md, memory per cached key).
 * Like the sorted sets it replaces, it refuses nulls, {@code contains(null)} included.
 */
final class SortedStrings extends AbstractSet<String> {
  static final SortedStrings EMPTY = new SortedStrings(new String[0]);

  private final String[] sorted;

  private SortedStrings(String[] sorted) {
    this.sorted = sorted;
  }

  /**
   * The strings of {@code c}, sorted, each once; {@code c} itself when it is one of these.
   *
   * @throws NullPointerException if {@code c} is or holds null
   */
  static SortedStrings copyOf(Collection<String> c) {
    if (c instanceof SortedStrings s) {
      return s;
    }
    String[] all = c.toArray(new String[0]);
    for (String s : all) {
      Objects.requireNonNull(s, "a null element");
    }
    Arrays.sort(all);
    int n = 0;
    for (String s : all) {
      if (n == 0 || !s.equals(all[n - 1])) {
        all[n++] = s;
      }
    }
    return n == 0 ? EMPTY : new SortedStrings(n == all.length ? all : Arrays.copyOf(all, n));
  }

  /**
   * An unmodifiable copy of {@code m} in key order; every empty map is one shared instance (most keys
   * carry no metadata, and the cache holds each key's map twice: in the key and in its principal).
   *
   * @throws NullPointerException if {@code m} holds a null key
   */
  static SortedMap<String, String> sortedMap(Map<String, String> m) {
    return m.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(m));
  }

  @Override
  public boolean contains(Object o) {
    return Arrays.binarySearch(sorted, (String) Objects.requireNonNull(o)) >= 0;
  }

  @Override
  public int size() {
    return sorted.length;
  }

  @Override
  public Iterator<String> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < sorted.length;
      }

      @Override
      public String next() {
        if (next >= sorted.length) {
          throw new NoSuchElementException();
        }
        return sorted[next++];
      }
    };
  }
}

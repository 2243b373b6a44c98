package dev.keygate;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page's items, in the query's order
 * @param offset the offset the page starts at
 * @param hasMore whether more items follow this page
 */
public record Page<T>(List<T> items, int offset, boolean hasMore) {
  /**
   * Copies the items.
   *
   * @param items the page's items, in the query's order
   * @param offset the offset the page starts at
   * @param hasMore whether more items follow this page
   */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * The offset of the next page (meaningful when {@link #hasMore()}).
   *
   * @return the offset of the next page (meaningful when {@link #hasMore()})
   */
  public int nextOffset() {
    return offset + items.size();
  }
}

package dev.keygate;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * @param items the page's items, in the query's order
 * @param nextCursor where the next page starts (the position of the last item), or null when no
 *     item follows this page
 */
public record Page<T>(List<T> items, @Nullable PageCursor nextCursor) {
  /**
   * Copies the items.
   *
   * @param items the page's items, in the query's order
   * @param nextCursor where the next page starts, or null when no item follows this page
   * @throws NullPointerException if items is null or holds a null
   */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * A page of keys from what a store read for a query of {@code limit}: up to {@code limit + 1}
   * keys in the listing order, the one beyond the limit only telling that more follow.
   *
   * @param read the keys read, at most {@code limit + 1}, in the listing order
   * @param limit the query's page size
   * @return the first {@code limit} keys, with the position of the last as the next cursor when
   *     more were read
   * @throws IllegalArgumentException if more than {@code limit + 1} keys were read
   */
  public static Page<ApiKey> of(List<ApiKey> read, int limit) {
    if (read.size() > limit + 1) { // a store that reads them all has lost what keyset paging is for
      throw new IllegalArgumentException("read " + read.size() + " keys for a page of " + limit);
    }
    if (read.size() <= limit) {
      return new Page<>(read, null);
    }
    List<ApiKey> items = read.subList(0, limit);
    return new Page<>(items, PageCursor.of(items.get(limit - 1)));
  }

  /**
   * Whether more items follow this page.
   *
   * @return true if {@link #nextCursor()} is not null
   */
  public boolean hasMore() {
    return nextCursor != null;
  }
}

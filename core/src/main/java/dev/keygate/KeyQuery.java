package dev.keygate;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Filters and a page window for {@link ApiKeyStore#list}. A null filter matches everything.
 *
 * <p>Results are ordered by {@code createdAt}, then {@code id}, both ascending. A page starts
 * right after a position (keyset paging): the next page of a listing is the same query {@link
 * #withAfter after} the previous page's {@link Page#nextCursor()}, so reading a late page costs
 * what the first one does, and keys created or deleted during the walk shift no later page.
 *
 * @param owner only keys of this owner, or null for any owner
 * @param status only keys with this status at {@code asOf}, or null for any status
 * @param environment only keys of this environment, or null for any
 * @param asOf the instant statuses are evaluated at
 * @param after only keys after this position (see {@link PageCursor}), or null from the first
 * @param limit the page size, 1 to {@value #MAX_LIMIT}
 */
public record KeyQuery(
    @Nullable String owner,
    @Nullable KeyStatus status,
    @Nullable String environment,
    Instant asOf,
    @Nullable PageCursor after,
    int limit) {
  /** Largest page a store must serve. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Refuses a bound for {@link ApiKeyStore#count} below 1.
   *
   * @param atMost the most a count may reach
   * @throws IllegalArgumentException if {@code atMost} is less than 1
   */
  public static void checkCountLimit(long atMost) {
    if (atMost < 1) {
      throw new IllegalArgumentException("atMost must be at least 1, got " + atMost);
    }
  }
  /** Page size when none is given. */
  public static final int DEFAULT_LIMIT = 50;

  /**
   * @param owner only keys of this owner, or null for any owner
   * @param status only keys with this status at {@code asOf}, or null for any status
   * @param environment only keys of this environment, or null for any
   * @param asOf the instant statuses are evaluated at
   * @param after only keys after this position, or null from the first
   * @param limit the page size, 1 to {@value #MAX_LIMIT}
   * @throws NullPointerException if asOf is null
   * @throws IllegalArgumentException if limit is outside [1, MAX_LIMIT]
   */
  public KeyQuery {
    Objects.requireNonNull(asOf, "asOf");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be in [1, " + MAX_LIMIT + "], got " + limit);
    }
  }

  /**
   * Every key, first page of {@value #DEFAULT_LIMIT}, statuses as of {@code asOf}.
   *
   * @param asOf the instant statuses are evaluated at
   * @return every key, first page of the default size
   */
  public static KeyQuery all(Instant asOf) {
    return new KeyQuery(null, null, null, asOf, null, DEFAULT_LIMIT);
  }

  /**
   * This query restricted to one owner.
   *
   * @param owner only keys of this owner, or null for any owner
   * @return a copy with that owner filter
   */
  public KeyQuery withOwner(@Nullable String owner) {
    return new KeyQuery(owner, status, environment, asOf, after, limit);
  }

  /**
   * This query restricted to one status.
   *
   * @param status only keys with this status at {@code asOf}, or null for any status
   * @return a copy with that status filter
   */
  public KeyQuery withStatus(@Nullable KeyStatus status) {
    return new KeyQuery(owner, status, environment, asOf, after, limit);
  }

  /**
   * This query restricted to one environment.
   *
   * @param environment only keys of this environment, or null for any
   * @return a copy with that environment filter
   */
  public KeyQuery withEnvironment(@Nullable String environment) {
    return new KeyQuery(owner, status, environment, asOf, after, limit);
  }

  /**
   * This query starting after another position: pass the previous page's {@link
   * Page#nextCursor()} to read the next page.
   *
   * @param after only keys after this position, or null from the first key
   * @return a copy reading from that position
   */
  public KeyQuery withAfter(@Nullable PageCursor after) {
    return new KeyQuery(owner, status, environment, asOf, after, limit);
  }

  /**
   * This query with another page size.
   *
   * @param limit the page size, 1 to {@value #MAX_LIMIT}
   * @return a copy reading pages of that size
   * @throws IllegalArgumentException if limit is outside [1, MAX_LIMIT]
   */
  public KeyQuery withLimit(int limit) {
    return new KeyQuery(owner, status, environment, asOf, after, limit);
  }

  /**
   * Whether a key passes this query's filters (owner, environment, status at {@code asOf}); the
   * position and the limit are not filters.
   *
   * @param key a key
   * @return true if the key matches every filter given
   */
  public boolean matches(ApiKey key) {
    return (owner == null || owner.equals(key.owner()))
        && (environment == null || environment.equals(key.environment()))
        && (status == null || key.statusAt(asOf) == status);
  }
}

package dev.keygate;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Filters and a page window for {@link ApiKeyStore#list}. A null filter matches everything.
 *
 * <p>Results are ordered by {@code createdAt}, then {@code id}, both ascending.
 *
 * @param owner only keys of this owner, or null for any owner
 * @param status only keys with this status at {@code asOf}, or null for any status
 * @param environment only keys of this environment, or null for any
 * @param asOf the instant statuses are evaluated at
 * @param offset how many matching keys to skip, at least 0
 * @param limit the page size, 1 to {@value #MAX_LIMIT}
 */
public record KeyQuery(
    @Nullable String owner,
    @Nullable KeyStatus status,
    @Nullable String environment,
    Instant asOf,
    int offset,
    int limit) {
  /** Largest page a store must serve. */
  public static final int MAX_LIMIT = 1000;
  /** Page size when none is given. */
  public static final int DEFAULT_LIMIT = 50;

  /**
   * @param owner only keys of this owner, or null for any owner
   * @param status only keys with this status at {@code asOf}, or null for any status
   * @param environment only keys of this environment, or null for any
   * @param asOf the instant statuses are evaluated at
   * @param offset how many matching keys to skip, at least 0
   * @param limit the page size, 1 to {@value #MAX_LIMIT}
   * @throws IllegalArgumentException if offset is negative or limit outside [1, MAX_LIMIT]
   */
  public KeyQuery {
    Objects.requireNonNull(asOf, "asOf");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
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
    return new KeyQuery(null, null, null, asOf, 0, DEFAULT_LIMIT);
  }

  /**
   * This query restricted to one owner.
   *
   * @param owner only keys of this owner, or null for any owner
   * @return a copy with that owner filter
   */
  public KeyQuery withOwner(@Nullable String owner) {
    return new KeyQuery(owner, status, environment, asOf, offset, limit);
  }

  /**
   * This query restricted to one status.
   *
   * @param status only keys with this status at {@code asOf}, or null for any status
   * @return a copy with that status filter
   */
  public KeyQuery withStatus(@Nullable KeyStatus status) {
    return new KeyQuery(owner, status, environment, asOf, offset, limit);
  }

  /**
   * This query restricted to one environment.
   *
   * @param environment only keys of this environment, or null for any
   * @return a copy with that environment filter
   */
  public KeyQuery withEnvironment(@Nullable String environment) {
    return new KeyQuery(owner, status, environment, asOf, offset, limit);
  }

  /**
   * This query with another window.
   *
   * @param offset how many matching keys to skip, at least 0
   * @param limit the page size, 1 to {@value #MAX_LIMIT}
   * @return a copy reading that page
   */
  public KeyQuery withPage(int offset, int limit) {
    return new KeyQuery(owner, status, environment, asOf, offset, limit);
  }
}

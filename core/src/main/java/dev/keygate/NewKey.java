package dev.keygate;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to create: {@link ApiKeyService#create(NewKey)} validates it against the limits below,
 * which every store keeps exactly (in memory, H2, PostgreSQL, MySQL and MariaDB). Only {@code
 * name} is required. "Printable" text has no control characters (U+0000 to U+001F, U+007F to
 * U+009F), no line or paragraph separator (U+2028, U+2029) and no unpaired surrogate.
 *
 * @param name a human label: 1 to 200 printable characters once leading and trailing white space is
 *     stripped
 * @param scopes granted scopes (see {@link Scopes}), at most 100, each at most 200 characters;
 *     empty means full access
 * @param environment {@code development}, {@code staging}, {@code production} or free text (1 to 64
 *     printable characters, no leading or trailing white space), or null
 * @param owner the tenant or organization (1 to 200 printable characters, no leading or trailing
 *     white space), or null for a global key
 * @param expiresAt when the key stops working, after now and no later than {@link
 *     ApiKeyService#LATEST_EXPIRY} (kept to the microsecond), or null (the service's maximum
 *     lifetime may set one)
 * @param allowedIps at most 100 addresses and CIDR ranges; empty means any address
 * @param rateLimit a per-key limit, or null
 * @param metadata free string attributes: at most 50 entries, keys 1 to 100 printable characters,
 *     values any text of at most 1,000 characters, and at most 10,000 characters in all
 */
public record NewKey(
    String name,
    Set<String> scopes,
    @Nullable String environment,
    @Nullable String owner,
    @Nullable Instant expiresAt,
    List<String> allowedIps,
    @Nullable RateLimit rateLimit,
    Map<String, String> metadata) {

  /**
   * Copies the collections.
   *
   * @param name a human label: 1 to 200 printable characters once leading and trailing white space
   *     is stripped
   * @param scopes granted scopes (see {@link Scopes}), at most 100, each at most 200 characters;
   *     empty means full access
   * @param environment {@code development}, {@code staging}, {@code production} or free text (1 to
   *     64 printable characters, no leading or trailing white space), or null
   * @param owner the tenant or organization (1 to 200 printable characters, no leading or trailing
   *     white space), or null for a global key
   * @param expiresAt when the key stops working, after now and no later than {@link
   *     ApiKeyService#LATEST_EXPIRY} (kept to the microsecond), or null (the service's maximum lifetime
   *     may set one)
   * @param allowedIps at most 100 addresses and CIDR ranges; empty means any address
   * @param rateLimit a per-key limit, or null
   * @param metadata free string attributes: at most 50 entries, keys 1 to 100 printable characters,
   *     values any text of at most 1,000 characters, and at most 10,000 characters in all
   * @throws InvalidKeyRequestException if {@code name} or a collection is null, or a collection
   *     holds a null (the exception names the field)
   */
  public NewKey {
    if (name == null) {
      throw new InvalidKeyRequestException("name", "is required");
    }
    scopes = Set.copyOf(withoutNulls("scopes", scopes));
    allowedIps = List.copyOf(withoutNulls("allowed_ips", allowedIps));
    if (metadata == null) {
      throw new InvalidKeyRequestException("metadata", "must not be null (empty for none)");
    }
    withoutNulls("metadata", metadata.keySet());
    withoutNulls("metadata", metadata.values());
    metadata = Map.copyOf(metadata);
  }

  private static <C extends Collection<?>> C withoutNulls(String field, @Nullable C values) {
    if (values == null) {
      throw new InvalidKeyRequestException(field, "must not be null (empty for none)");
    }
    for (Object v : values) { // contains(null) may throw on collections that refuse nulls
      if (v == null) {
        throw new InvalidKeyRequestException(field, "must not contain null");
      }
    }
    return values;
  }

  /**
   * A request with just a name; add the rest with the {@code with*} methods.
   *
   * @param name a human label: 1 to 200 printable characters once leading and trailing white space
   *     is stripped
   * @return a request with that name and nothing else set
   */
  public static NewKey named(String name) {
    return new NewKey(name, Set.of(), null, null, null, List.of(), null, Map.of());
  }

  /**
   * With these scopes.
   *
   * @param scopes granted scopes (see {@link Scopes}), at most 100, each at most 200 characters;
   *     empty means full access
   * @return a copy with these scopes
   */
  public NewKey withScopes(Set<String> scopes) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /**
   * With these scopes; a scope given twice is granted once.
   *
   * @param scopes granted scopes (see {@link Scopes}), at most 100, each at most 200 characters;
   *     empty means full access
   * @return a copy with these scopes
   */
  public NewKey withScopes(String... scopes) {
    return withScopes(new LinkedHashSet<>(Arrays.asList(scopes)));
  }

  /**
   * In this environment.
   *
   * @param environment {@code development}, {@code staging}, {@code production} or free text (1 to
   *     64 printable characters, no leading or trailing white space), or null
   * @return a copy with this environment
   */
  public NewKey withEnvironment(@Nullable String environment) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /**
   * Owned by this tenant or organization.
   *
   * @param owner the tenant or organization (1 to 200 printable characters, no leading or trailing
   *     white space), or null for a global key
   * @return a copy with this owner
   */
  public NewKey withOwner(@Nullable String owner) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /**
   * Expiring at this instant.
   *
   * @param expiresAt when the key stops working, after now and no later than {@link
   *     ApiKeyService#LATEST_EXPIRY} (kept to the microsecond), or null (the service's maximum lifetime
   *     may set one)
   * @return a copy with this expiry
   */
  public NewKey withExpiresAt(@Nullable Instant expiresAt) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /**
   * Usable only from these addresses or CIDR ranges.
   *
   * @param allowedIps at most 100 addresses and CIDR ranges; empty means any address
   * @return a copy with these allowed addresses
   */
  public NewKey withAllowedIps(List<String> allowedIps) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /**
   * With a per-key rate limit.
   *
   * @param rateLimit a per-key limit, or null
   * @return a copy with this rate limit
   */
  public NewKey withRateLimit(@Nullable RateLimit rateLimit) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /**
   * With these metadata.
   *
   * @param metadata free string attributes: at most 50 entries, keys 1 to 100 printable characters,
   *     values any text of at most 1,000 characters, and at most 10,000 characters in all
   * @return a copy with this metadata
   */
  public NewKey withMetadata(Map<String, String> metadata) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }
}

package dev.keygate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to create: {@link ApiKeyService#create(NewKey)} validates it. Only {@code name} is required.
 *
 * @param name a human label (1 to 200 characters, no control characters)
 * @param scopes granted scopes (see {@link Scopes}); empty means full access
 * @param environment {@code development}, {@code staging}, {@code production} or free text, or null
 * @param owner the tenant or organization, or null for a global key
 * @param expiresAt when the key stops working, or null (the service's maximum lifetime may set one)
 * @param allowedIps addresses and CIDR ranges; empty means any address
 * @param rateLimit a per-key limit, or null
 * @param metadata free string attributes
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

  /** Copies the collections. */
  public NewKey {
    Objects.requireNonNull(name, "name");
    scopes = Set.copyOf(scopes);
    allowedIps = List.copyOf(allowedIps);
    metadata = Map.copyOf(metadata);
  }

  /** A request with just a name; add the rest with the {@code with*} methods. */
  public static NewKey named(String name) {
    return new NewKey(name, Set.of(), null, null, null, List.of(), null, Map.of());
  }

  /** With these scopes. */
  public NewKey withScopes(Set<String> scopes) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /** With these scopes. */
  public NewKey withScopes(String... scopes) {
    return withScopes(Set.of(scopes));
  }

  /** In this environment. */
  public NewKey withEnvironment(@Nullable String environment) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /** Owned by this tenant or organization. */
  public NewKey withOwner(@Nullable String owner) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /** Expiring at this instant. */
  public NewKey withExpiresAt(@Nullable Instant expiresAt) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /** Usable only from these addresses or CIDR ranges. */
  public NewKey withAllowedIps(List<String> allowedIps) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /** With a per-key rate limit. */
  public NewKey withRateLimit(@Nullable RateLimit rateLimit) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }

  /** With these metadata. */
  public NewKey withMetadata(Map<String, String> metadata) {
    return new NewKey(name, scopes, environment, owner, expiresAt, allowedIps, rateLimit, metadata);
  }
}

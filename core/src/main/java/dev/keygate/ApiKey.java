package dev.keygate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An API key as stored: everything but the plaintext secret. Immutable.
 *
 * <p>{@link #toString()} never shows {@link #secretHash()} or {@link #previousSecretHash()}.
 *
 * @param id the public key id, 12 base62 characters, unique in a store
 * @param name a human label, required
 * @param hint what to show in lists: the prefix and the first characters of the id
 * @param secretHash the encoded hash of the current secret (see {@link dev.keygate.hash.KeyHasher})
 * @param previousSecretHash the hash of the secret replaced by the last rotation, while a grace
 *     period keeps it valid, else null
 * @param previousSecretExpiresAt when the previous secret stops working, or null
 * @param scopes what the key may do; empty means full access (unless the engine is configured to
 *     deny empty scopes)
 * @param environment {@code development}, {@code staging}, {@code production} or free text; may be
 *     null
 * @param owner the tenant or organization; null for a global key
 * @param createdAt creation instant
 * @param expiresAt expiry instant, or null for no expiry
 * @param revokedAt revocation instant, or null
 * @param rotatedAt instant of the last rotation, or null
 * @param lastUsedAt last successful authentication recorded in the store, or null
 * @param usageCount successful authentications recorded in the store
 * @param allowedIps addresses and CIDR ranges (IPv4, IPv6) the key may be used from; empty = any
 * @param rateLimit a per-key request limit, or null for none
 * @param metadata free string attributes
 * @param version optimistic-concurrency version, incremented by every {@code update}
 */
public record ApiKey(
    String id,
    String name,
    String hint,
    String secretHash,
    @Nullable String previousSecretHash,
    @Nullable Instant previousSecretExpiresAt,
    Set<String> scopes,
    @Nullable String environment,
    @Nullable String owner,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant revokedAt,
    @Nullable Instant rotatedAt,
    @Nullable Instant lastUsedAt,
    long usageCount,
    List<String> allowedIps,
    @Nullable RateLimit rateLimit,
    Map<String, String> metadata,
    long version) {

  /**
   * Copies the collections and checks required fields.
   *
   * @param id the public key id, 12 base62 characters, unique in a store
   * @param name a human label, required
   * @param hint what to show in lists: the prefix and the first characters of the id
   * @param secretHash the encoded hash of the current secret (see {@link
   *     dev.keygate.hash.KeyHasher})
   * @param previousSecretHash the hash of the secret replaced by the last rotation, while a grace
   *     period keeps it valid, else null
   * @param previousSecretExpiresAt when the previous secret stops working, or null
   * @param scopes what the key may do; empty means full access (unless the engine is configured to
   *     deny empty scopes)
   * @param environment {@code development}, {@code staging}, {@code production} or free text; may
   *     be null
   * @param owner the tenant or organization; null for a global key
   * @param createdAt creation instant
   * @param expiresAt expiry instant, or null for no expiry
   * @param revokedAt revocation instant, or null
   * @param rotatedAt instant of the last rotation, or null
   * @param lastUsedAt last successful authentication recorded in the store, or null
   * @param usageCount successful authentications recorded in the store
   * @param allowedIps addresses and CIDR ranges (IPv4, IPv6) the key may be used from; empty = any
   * @param rateLimit a per-key request limit, or null for none
   * @param metadata free string attributes
   * @param version optimistic-concurrency version, incremented by every {@code update}
   * @throws NullPointerException if a required field is null, or a collection holds a null
   * @throws IllegalArgumentException if {@code usageCount} is negative
   */
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hint, "hint");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(createdAt, "createdAt");
    scopes = SortedStrings.copyOf(Objects.requireNonNull(scopes, "scopes"));
    allowedIps = List.copyOf(Objects.requireNonNull(allowedIps, "allowedIps"));
    metadata = SortedStrings.sortedMap(Objects.requireNonNull(metadata, "metadata"));
    if (metadata.containsValue(null)) {
      throw new NullPointerException("metadata holds a null value"); // no store can write it
    }
    if (usageCount < 0) {
      throw new IllegalArgumentException("usageCount must not be negative");
    }
  }

  /**
   * The status at the clock's current instant.
   *
   * @param clock the clock to read now from
   * @return {@code REVOKED}, {@code EXPIRED} or {@code ACTIVE}, in that order of precedence
   */
  public KeyStatus status(Clock clock) {
    return statusAt(clock.instant());
  }

  /**
   * The status at {@code now}: revoked wins over expired; a key whose expiry equals {@code now}
   * is expired.
   *
   * @param now the instant to judge at
   * @return {@code REVOKED}, {@code EXPIRED} or {@code ACTIVE}, in that order of precedence
   */
  public KeyStatus statusAt(Instant now) {
    if (revokedAt != null) {
      return KeyStatus.REVOKED;
    }
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      return KeyStatus.EXPIRED;
    }
    return KeyStatus.ACTIVE;
  }

  /**
   * Whether the previous secret (from a rotation with a grace period) still works at {@code now}.
   *
   * @param now the instant to judge at
   * @return whether the secret replaced by the last rotation still works at {@code now}
   */
  public boolean previousSecretValidAt(Instant now) {
    return previousSecretHash != null
        && previousSecretExpiresAt != null
        && now.isBefore(previousSecretExpiresAt);
  }

  /**
   * A builder holding this record's values, to derive a changed copy.
   *
   * @return a new builder with this record's values
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A builder for a new record; {@code id}, {@code name}, {@code hint}, {@code secretHash}, {@code createdAt} are required.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "ApiKey[id=" + id + ", name=" + name + ", hint=" + hint + ", scopes=" + scopes
        + ", environment=" + environment + ", owner=" + owner + ", createdAt=" + createdAt
        + ", expiresAt=" + expiresAt + ", revokedAt=" + revokedAt + ", rotatedAt=" + rotatedAt
        + ", lastUsedAt=" + lastUsedAt + ", usageCount=" + usageCount + ", allowedIps="
        + allowedIps + ", rateLimit=" + rateLimit + ", metadata=" + metadata.keySet()
        + ", version=" + version + "]";
  }

  /** Mutable builder for {@link ApiKey}; not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String name;
    private @Nullable String hint;
    private @Nullable String secretHash;
    private @Nullable String previousSecretHash;
    private @Nullable Instant previousSecretExpiresAt;
    private Set<String> scopes = Set.of();
    private @Nullable String environment;
    private @Nullable String owner;
    private @Nullable Instant createdAt;
    private @Nullable Instant expiresAt;
    private @Nullable Instant revokedAt;
    private @Nullable Instant rotatedAt;
    private @Nullable Instant lastUsedAt;
    private long usageCount;
    private List<String> allowedIps = List.of();
    private @Nullable RateLimit rateLimit;
    private Map<String, String> metadata = Map.of();
    private long version;

    private Builder() {}

    private Builder(ApiKey k) {
      id = k.id;
      name = k.name;
      hint = k.hint;
      secretHash = k.secretHash;
      previousSecretHash = k.previousSecretHash;
      previousSecretExpiresAt = k.previousSecretExpiresAt;
      scopes = k.scopes;
      environment = k.environment;
      owner = k.owner;
      createdAt = k.createdAt;
      expiresAt = k.expiresAt;
      revokedAt = k.revokedAt;
      rotatedAt = k.rotatedAt;
      lastUsedAt = k.lastUsedAt;
      usageCount = k.usageCount;
      allowedIps = k.allowedIps;
      rateLimit = k.rateLimit;
      metadata = k.metadata;
      version = k.version;
    }

    /**
     * Sets the key id.
     *
     * @param id the public key id, 12 base62 characters, unique in a store
     * @return this builder
     */
    public Builder id(String id) { this.id = id; return this; }
    /**
     * Sets the name.
     *
     * @param name a human label, required
     * @return this builder
     */
    public Builder name(String name) { this.name = name; return this; }
    /**
     * Sets the display hint.
     *
     * @param hint what to show in lists: the prefix and the first characters of the id
     * @return this builder
     */
    public Builder hint(String hint) { this.hint = hint; return this; }
    /**
     * Sets the encoded hash of the current secret.
     *
     * @param secretHash the encoded hash of the current secret (see {@link
     *     dev.keygate.hash.KeyHasher})
     * @return this builder
     */
    public Builder secretHash(String secretHash) { this.secretHash = secretHash; return this; }
    /**
     * Sets the encoded hash of the previous secret, or null.
     *
     * @param h the encoded hash of the previous secret, or null
     * @return this builder
     */
    public Builder previousSecretHash(@Nullable String h) { this.previousSecretHash = h; return this; }
    /**
     * Sets the end of the previous secret's grace period, or null.
     *
     * @param t the end of the previous secret's grace period, or null
     * @return this builder
     */
    public Builder previousSecretExpiresAt(@Nullable Instant t) { this.previousSecretExpiresAt = t; return this; }
    /**
     * Sets the scopes.
     *
     * @param scopes what the key may do; empty means full access (unless the engine is configured
     *     to deny empty scopes)
     * @return this builder
     */
    public Builder scopes(Set<String> scopes) { this.scopes = scopes; return this; }
    /**
     * Sets the environment, or null.
     *
     * @param environment {@code development}, {@code staging}, {@code production} or free text; may
     *     be null
     * @return this builder
     */
    public Builder environment(@Nullable String environment) { this.environment = environment; return this; }
    /**
     * Sets the owner, or null for a global key.
     *
     * @param owner the tenant or organization; null for a global key
     * @return this builder
     */
    public Builder owner(@Nullable String owner) { this.owner = owner; return this; }
    /**
     * Sets the creation instant.
     *
     * @param createdAt creation instant
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) { this.createdAt = createdAt; return this; }
    /**
     * Sets the expiry instant, or null.
     *
     * @param expiresAt expiry instant, or null for no expiry
     * @return this builder
     */
    public Builder expiresAt(@Nullable Instant expiresAt) { this.expiresAt = expiresAt; return this; }
    /**
     * Sets the revocation instant, or null.
     *
     * @param revokedAt revocation instant, or null
     * @return this builder
     */
    public Builder revokedAt(@Nullable Instant revokedAt) { this.revokedAt = revokedAt; return this; }
    /**
     * Sets the last rotation instant, or null.
     *
     * @param rotatedAt instant of the last rotation, or null
     * @return this builder
     */
    public Builder rotatedAt(@Nullable Instant rotatedAt) { this.rotatedAt = rotatedAt; return this; }
    /**
     * Sets the last use instant, or null.
     *
     * @param lastUsedAt last successful authentication recorded in the store, or null
     * @return this builder
     */
    public Builder lastUsedAt(@Nullable Instant lastUsedAt) { this.lastUsedAt = lastUsedAt; return this; }
    /**
     * Sets the usage count.
     *
     * @param usageCount successful authentications recorded in the store
     * @return this builder
     */
    public Builder usageCount(long usageCount) { this.usageCount = usageCount; return this; }
    /**
     * Sets the allowed addresses and CIDR ranges.
     *
     * @param allowedIps addresses and CIDR ranges (IPv4, IPv6) the key may be used from; empty =
     *     any
     * @return this builder
     */
    public Builder allowedIps(List<String> allowedIps) { this.allowedIps = allowedIps; return this; }
    /**
     * Sets the per-key rate limit, or null.
     *
     * @param rateLimit a per-key request limit, or null for none
     * @return this builder
     */
    public Builder rateLimit(@Nullable RateLimit rateLimit) { this.rateLimit = rateLimit; return this; }
    /**
     * Sets the metadata.
     *
     * @param metadata free string attributes
     * @return this builder
     */
    public Builder metadata(Map<String, String> metadata) { this.metadata = metadata; return this; }
    /**
     * Sets the version.
     *
     * @param version optimistic-concurrency version, incremented by every {@code update}
     * @return this builder
     */
    public Builder version(long version) { this.version = version; return this; }

    /**
     * Builds the record.
     *
     * @return the record
     * @throws NullPointerException if a required field is missing
     */
    @SuppressWarnings("NullAway")
    public ApiKey build() {
      return new ApiKey(id, name, hint, secretHash, previousSecretHash, previousSecretExpiresAt,
          scopes, environment, owner, createdAt, expiresAt, revokedAt, rotatedAt, lastUsedAt,
          usageCount, allowedIps, rateLimit, metadata, version);
    }
  }
}

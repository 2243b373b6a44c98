package dev.keygate;

import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The management API: create, read, rotate, revoke and delete keys, with validation and audit
 * events. Thread-safe.
 *
 * <p>Rules: the plaintext is returned once ({@link IssuedKey}); a revoked key cannot be rotated or
 * reactivated; only revoked or expired keys can be deleted; with a maximum lifetime, a key gets an
 * expiry when created without one and a later expiry is refused. Changes go through the store with
 * optimistic concurrency, so two racing rotations cannot both succeed: the loser gets a {@link
 * KeyChangedConcurrentlyException} and its secret is never valid.
 */
public final class ApiKeyService {
  /**
   * The latest expiry a key may have: the last instant of year 9999, the end of MySQL's and
   * MariaDB's {@code DATETIME(6)} and well inside PostgreSQL's and H2's ranges, so every store keeps
   * every expiry this service accepts. A maximum lifetime that reaches beyond it ends here.
   */
  public static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59.999999Z");

  private static final int MAX_NAME = 200;
  private static final int MAX_ENVIRONMENT = 64;
  private static final int MAX_OWNER = 200;
  private static final int MAX_SCOPES = 100;
  private static final int MAX_ALLOWED_IPS = 100;
  private static final int MAX_METADATA = 50;
  private static final int MAX_METADATA_KEY = 100;
  private static final int MAX_METADATA_TEXT = 1000;
  // 10,000 characters stay under MySQL's 65,535-byte TEXT column even when every character is
  // written as a six-byte JSON escape (a control character or an unpaired surrogate)
  private static final int MAX_METADATA_TOTAL = 10_000;
  private static final int ID_ATTEMPTS = 5;

  private final ApiKeyStore store;
  private final KeyFormat format;
  private final KeyHasher hasher;
  private final Clock clock;
  private final @Nullable Duration maxLifetime;
  private final AuditTrail audit;
  private final LeakChecks leaks;

  private ApiKeyService(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store is required");
    this.format = Objects.requireNonNull(b.format, "format is required");
    this.hasher = b.hasher != null ? b.hasher : Argon2idHasher.withDefaults();
    this.clock = b.clock;
    this.maxLifetime = b.maxLifetime;
    this.audit = new AuditTrail(b.listeners);
    this.leaks = new LeakChecks(store, format, hasher, clock, audit);
  }

  /**
   * A builder; {@code store} and {@code format} are required. Package-private: {@link
   * Keygate#builder()} is the way in, so the service and the engine share one configuration.
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * The key format this service issues.
   *
   * @return the key format this service issues
   */
  public KeyFormat format() {
    return format;
  }

  /**
   * Creates a key and returns its plaintext, once. Instants are kept to the microsecond.
   *
   * @param request the key's name, scopes, expiry and other attributes
   * @return the key's plaintext (shown once, never stored) and its stored record
   * @throws InvalidKeyRequestException if a field breaks a rule listed on {@link NewKey} (the
   *     exception names the field and the rule), or, when the key format binds environments to
   *     prefixes ({@link KeyFormat#withEnvironments}), the environment is missing or not one of
   *     them (the key gets that environment's prefix)
   * @throws dev.keygate.StoreUnavailableException if the store cannot be reached
   */
  public IssuedKey create(NewKey request) {
    Instant now = now();
    Instant expiresAt = validate(request, now);
    KeyFormat issuing = issuing(request.environment());
    for (int attempt = 1; ; attempt++) {
      ParsedKey generated = issuing.generate();
      ApiKey key =
          ApiKey.builder()
              .id(generated.id())
              .name(request.name().strip())
              .hint(issuing.hint(generated.id()))
              .secretHash(hash(generated))
              .scopes(request.scopes())
              .environment(request.environment())
              .owner(request.owner())
              .createdAt(now)
              .expiresAt(expiresAt)
              .allowedIps(request.allowedIps())
              .rateLimit(request.rateLimit())
              .metadata(request.metadata())
              .build();
      try {
        store.create(key);
      } catch (DuplicateKeyIdException e) {
        if (attempt < ID_ATTEMPTS) {
          continue; // 71 random bits make this vanishingly rare; a fresh id fixes it
        }
        throw e;
      }
      audit.emit(new KeyEvent(KeyEvent.Type.CREATED, key.id(), key.owner(), now, null, null));
      return new IssuedKey(generated.plaintext(), key);
    }
  }

  /**
   * The stored record of a key, never its secret.
   *
   * @param keyId the public key id
   * @return the stored record, or empty if there is no such key
   * @throws dev.keygate.StoreUnavailableException if the store cannot be reached
   */
  public Optional<ApiKey> get(String keyId) {
    return KeyFormat.isValidKeyId(keyId) ? store.findById(keyId) : Optional.empty();
  }

  /**
   * A page of keys matching {@code query}.
   *
   * @param query the filters and the page to read
   * @return the page of matching keys, and where the next one starts (pass {@link
   *     Page#nextCursor()} to {@link KeyQuery#withAfter})
   * @throws dev.keygate.StoreUnavailableException if the store cannot be reached
   */
  public Page<ApiKey> list(KeyQuery query) {
    return store.list(query);
  }

  /**
   * How many keys match the query's filters, up to {@code atMost} (see {@link ApiKeyStore#count}).
   *
   * @param query the filters (its position and limit are ignored)
   * @param atMost the most to count, at least 1
   * @return the number of matching keys, at most {@code atMost}
   * @throws IllegalArgumentException if {@code atMost} is less than 1
   * @throws StoreUnavailableException if the store cannot be reached
   */
  public long count(KeyQuery query, long atMost) {
    return store.count(query, atMost);
  }

  /**
   * A query for every key with statuses evaluated now; narrow it with its {@code with*} methods.
   *
   * @return every key as of now, first page
   */
  public KeyQuery query() {
    return KeyQuery.all(clock.instant());
  }

  /**
   * Gives the key a new secret; the old one stops working at once.
   *
   * @param keyId the public key id
   * @return the new plaintext (shown once) and the updated record
   * @throws KeyNotFoundException if there is no such key
   * @throws KeyStateRefusedException if the key is revoked
   * @throws KeyChangedConcurrentlyException if the key was changed concurrently (retryable)
   */
  public IssuedKey rotate(String keyId) {
    return rotate(keyId, Duration.ZERO);
  }

  /**
   * Gives the key a new secret, keeping id, name, scopes, environment, allowed IPs and settings.
   * The previous secret keeps working for {@code gracePeriod} (zero: it stops at once). An expired
   * key is renewed for the lifetime it had (its expiry moves as far past now as it was past its
   * creation or last rotation, and no later than {@link #LATEST_EXPIRY}), and its old secret gets
   * no grace period.
   *
   * @param keyId the public key id
   * @param gracePeriod how long the old secret keeps working; zero ends it at once
   * @return the new plaintext (shown once) and the updated record
   * @throws KeyNotFoundException if there is no such key
   * @throws KeyStateRefusedException if the key is revoked, or the key format binds environments
   *     to prefixes and the key's environment is none of them (the new key keeps its
   *     environment's prefix)
   * @throws KeyChangedConcurrentlyException if the key was changed concurrently (retryable)
   * @throws IllegalArgumentException if the grace period is negative or longer than 30 days
   */
  public IssuedKey rotate(String keyId, Duration gracePeriod) {
    if (gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("grace period must be between 0 and 30 days");
    }
    ApiKey current = require(keyId);
    Instant now = now();
    KeyStatus status = current.statusAt(now);
    if (status == KeyStatus.REVOKED) {
      throw new KeyStateRefusedException("API key " + keyId + " is revoked and cannot be rotated");
    }
    Instant expiresAt = current.expiresAt();
    if (expiresAt != null && status == KeyStatus.EXPIRED) {
      Instant start = current.rotatedAt() != null ? current.rotatedAt() : current.createdAt();
      expiresAt = latest(now, Duration.between(start, expiresAt));
    }
    boolean grace = !gracePeriod.isZero() && status == KeyStatus.ACTIVE;
    ParsedKey generated = rotating(current).generate(keyId);
    ApiKey rotated =
        current.toBuilder()
            .secretHash(hash(generated))
            .previousSecretHash(grace ? current.secretHash() : null)
            .previousSecretExpiresAt(grace ? now.plus(gracePeriod) : null)
            .rotatedAt(now)
            .expiresAt(expiresAt)
            .build();
    if (!store.update(rotated)) {
      throw new KeyChangedConcurrentlyException(keyId);
    }
    audit.emit(new KeyEvent(KeyEvent.Type.ROTATED, keyId, current.owner(), now, null, null));
    return new IssuedKey(generated.plaintext(), rotated.toBuilder().version(rotated.version() + 1).build());
  }

  /**
   * Revokes a key at once and for good; the record stays for the audit trail. Revoking a revoked
   * key changes nothing and returns it.
   *
   * @param keyId the public key id
   * @return the revoked record
   * @throws KeyNotFoundException if there is no such key
   * @throws KeyChangedConcurrentlyException if the key was changed concurrently (retryable)
   */
  public ApiKey revoke(String keyId) {
    ApiKey current = require(keyId);
    if (current.revokedAt() != null) {
      return current;
    }
    Instant now = now();
    ApiKey revoked = current.toBuilder().revokedAt(now).previousSecretHash(null).previousSecretExpiresAt(null).build();
    if (!store.update(revoked)) {
      ApiKey again = require(keyId);
      if (again.revokedAt() != null) {
        return again; // a concurrent revoke won; the outcome is the same
      }
      throw new KeyChangedConcurrentlyException(keyId);
    }
    audit.emit(new KeyEvent(KeyEvent.Type.REVOKED, keyId, current.owner(), now, null, null));
    return revoked.toBuilder().version(revoked.version() + 1).build();
  }

  /**
   * Deletes a revoked or expired key for good.
   *
   * @param keyId the public key id
   * @throws KeyNotFoundException if there is no such key
   * @throws KeyStateRefusedException if the key is still active (revoke it first)
   */
  public void delete(String keyId) {
    ApiKey current = require(keyId);
    Instant now = clock.instant();
    if (current.statusAt(now) == KeyStatus.ACTIVE) {
      throw new KeyStateRefusedException(
          "API key " + keyId + " is active; only revoked or expired keys can be deleted");
    }
    if (!store.delete(keyId)) {
      throw new KeyNotFoundException(keyId);
    }
    audit.emit(new KeyEvent(KeyEvent.Type.DELETED, keyId, current.owner(), now, null, null));
  }

  /**
   * Acts on a secret scanner's report of tokens found in public (the management API's leak route
   * calls it after checking the report's signature). For each distinct token, in order: one that
   * is not a well-formed key of this format is {@link LeakOutcome.Verdict#NOT_A_KEY} without a store
   * access; one whose id no key has is {@link LeakOutcome.Verdict#UNKNOWN_KEY} after one lookup and
   * no hashing; for an existing key the secret is verified with the hasher (the current secret,
   * then the previous one while its grace period lasts), since a fabricated token carrying a real
   * key id must not harm that key. A token whose secret is the key's is then recorded on the key
   * (see {@link KeyLeak}) and the key revoked ({@link LeakPolicy#REVOKE}) or marked compromised
   * ({@link LeakPolicy#MARK}); a repeated report of it is recognised by its SHA-256 without hashing.
   * Each distinct token is one {@link KeyEvent.Type#LEAK_REPORTED} audit event (never with the
   * token); a revocation is also a {@link KeyEvent.Type#REVOKED} event with reason {@code leaked}.
   *
   * @param leaks the reported tokens, in the report's order
   * @param policy what a confirmed leak does to the key
   * @param maxHashes the most hasher runs the whole report may cost; tokens of existing keys beyond
   *     it are {@link LeakOutcome.Verdict#NOT_CHECKED} and change nothing
   * @return one outcome per reported token, in the same order (the same one for a repeated token)
   * @throws IllegalArgumentException if {@code maxHashes} is negative
   * @throws StoreUnavailableException if the store cannot be reached (tokens before it may have been
   *     acted on; a report sent again finds them revoked or marked)
   * @throws KeyChangedConcurrentlyException if a key kept changing while the report was applied to it
   */
  public List<LeakOutcome> reportLeaks(List<ReportedLeak> leaks, LeakPolicy policy, int maxHashes) {
    return this.leaks.report(leaks, policy, maxHashes);
  }

  private ApiKey require(String keyId) {
    return get(keyId).orElseThrow(() -> new KeyNotFoundException(keyId));
  }

  private String hash(ParsedKey key) {
    byte[] secret = key.secretBytes();
    try {
      return hasher.hash(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The clock's instant to the microsecond, as every store keeps instants. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** {@code from + lifetime}, or {@link #LATEST_EXPIRY} when that is later (or beyond Instant). */
  private static Instant latest(Instant from, Duration lifetime) {
    return lifetime.compareTo(Duration.between(from, LATEST_EXPIRY)) >= 0 ? LATEST_EXPIRY : from.plus(lifetime);
  }

  /**
   * The format a new key of {@code environment} is generated with: the service's own, or with
   * environments bound to prefixes, that environment's (checked by {@link #validate} first).
   */
  private KeyFormat issuing(@Nullable String environment) {
    return format.environments().isEmpty() ? format : format.forEnvironment(environment);
  }

  /** The format a rotated key keeps: its environment's prefix, when the format binds environments. */
  private KeyFormat rotating(ApiKey current) {
    if (format.environments().isEmpty()) {
      return format;
    }
    String environment = current.environment();
    if (environment == null || !format.environments().contains(environment)) {
      throw new KeyStateRefusedException("API key " + current.id() + " is in "
          + (environment == null ? "no environment" : "environment '" + environment + "'")
          + ", not one of the key format's " + format.environments() + ", and cannot be rotated");
    }
    return format.forEnvironment(environment);
  }

  private @Nullable Instant validate(NewKey r, Instant now) {
    String name = r.name().strip();
    if (name.isEmpty()) {
      throw new InvalidKeyRequestException("name", "is required and must not be blank");
    }
    if (name.length() > MAX_NAME || !isPrintable(name)) {
      throw new InvalidKeyRequestException("name", "must be at most " + MAX_NAME + " printable characters");
    }
    if (r.scopes().size() > MAX_SCOPES) {
      throw new InvalidKeyRequestException("scopes", "must hold at most " + MAX_SCOPES + " scopes");
    }
    for (String s : r.scopes()) {
      if (!Scopes.isValid(s)) {
        throw new InvalidKeyRequestException("scopes", "each scope must be '*' or up to 8 dot-separated words of "
            + "1 to 64 characters [A-Za-z0-9_:-], optionally ending in '.*', at most 200 characters in all");
      }
    }
    checkText("environment", r.environment(), MAX_ENVIRONMENT);
    List<String> environments = format.environments();
    if (!environments.isEmpty() && (r.environment() == null || !environments.contains(r.environment()))) {
      throw new InvalidKeyRequestException("environment", (r.environment() == null ? "is required:" : "must be")
          + " one of " + String.join(", ", environments) + " (the key format's environments)");
    }
    checkText("owner", r.owner(), MAX_OWNER);
    if (r.allowedIps().size() > MAX_ALLOWED_IPS) {
      throw new InvalidKeyRequestException("allowed_ips", "must hold at most " + MAX_ALLOWED_IPS + " entries");
    }
    for (String ip : r.allowedIps()) {
      if (IpRange.parse(ip) == null) {
        throw new InvalidKeyRequestException("allowed_ips", "each entry must be an IPv4 or IPv6 address or CIDR range");
      }
    }
    checkMetadata(r.metadata());
    Instant expiresAt = r.expiresAt();
    if (expiresAt != null) {
      if (expiresAt.isAfter(LATEST_EXPIRY)) {
        throw new InvalidKeyRequestException("expires_at", "must be no later than " + LATEST_EXPIRY);
      }
      expiresAt = expiresAt.truncatedTo(ChronoUnit.MICROS);
      if (!expiresAt.isAfter(now)) {
        throw new InvalidKeyRequestException("expires_at", "must be in the future");
      }
    }
    if (maxLifetime != null) {
      Instant latest = latest(now, maxLifetime);
      if (expiresAt == null) {
        return latest;
      }
      if (expiresAt.isAfter(latest)) {
        throw new InvalidKeyRequestException("expires_at",
            "must be at most " + maxLifetime + " after creation (the maximum key lifetime), that is no later than " + latest);
      }
    }
    return expiresAt;
  }

  private static void checkMetadata(Map<String, String> metadata) {
    if (metadata.size() > MAX_METADATA) {
      throw new InvalidKeyRequestException("metadata", "must hold at most " + MAX_METADATA + " entries");
    }
    long total = 0;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String key = e.getKey();
      if (key.isEmpty() || key.length() > MAX_METADATA_KEY || !isPrintable(key)) {
        throw new InvalidKeyRequestException("metadata", "keys must be 1 to " + MAX_METADATA_KEY + " printable characters");
      }
      if (key.startsWith(KeyLeak.RESERVED_PREFIX)) { // only a confirmed leak report writes these
        throw new InvalidKeyRequestException("metadata", "keys starting with " + KeyLeak.RESERVED_PREFIX + " are reserved");
      }
      if (e.getValue().length() > MAX_METADATA_TEXT) {
        throw new InvalidKeyRequestException("metadata", "values must be at most " + MAX_METADATA_TEXT + " characters");
      }
      total += key.length() + e.getValue().length();
    }
    if (total > MAX_METADATA_TOTAL) {
      throw new InvalidKeyRequestException("metadata", "keys and values must hold at most " + MAX_METADATA_TOTAL
          + " characters in all");
    }
  }

  /**
   * Environment and owner: printable, and without surrounding white space, which some databases
   * ignore when comparing ({@code 'acme' = 'acme '} in MySQL) and which would let one owner name
   * match another's keys in one store and not in the next.
   */
  private static void checkText(String field, @Nullable String value, int max) {
    if (value != null && (value.isEmpty() || value.length() > max || !isPrintable(value) || !value.equals(value.strip()))) {
      throw new InvalidKeyRequestException(field, "must be 1 to " + max
          + " printable characters, without leading or trailing white space, when given");
    }
  }

  /**
   * No control character, no line or paragraph separator, no unpaired surrogate (which UTF-8, and
   * so PostgreSQL and MySQL, cannot keep).
   */
  static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return false;
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "ApiKeyService[" + format + ", " + hasher + ", maxLifetime=" + maxLifetime + "]";
  }

  /** Configuration for {@link ApiKeyService}, given by {@link Keygate.Builder}; checked as given. */
  static final class Builder {
    private @Nullable ApiKeyStore store;
    private @Nullable KeyFormat format;
    private @Nullable KeyHasher hasher;
    private Clock clock = Clock.systemUTC();
    private @Nullable Duration maxLifetime;
    private final List<KeyEventListener> listeners = new ArrayList<>();

    private Builder() {}

    /** Where keys are kept (required). */
    Builder store(ApiKeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The key format to issue (required). */
    Builder format(KeyFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** How secrets are hashed; default Argon2id with OWASP parameters. */
    Builder hasher(KeyHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /** The clock for creation, expiry and rotation times; default the UTC system clock. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The longest lifetime a key may have; keys created without an expiry get this one. Default:
     * none (keys may live forever).
     *
     * @throws IllegalArgumentException if not positive
     */
    Builder maxLifetime(Duration maxLifetime) {
      if (maxLifetime.isNegative() || maxLifetime.isZero()) {
        throw new IllegalArgumentException("maxLifetime must be positive, got " + maxLifetime);
      }
      this.maxLifetime = maxLifetime;
      return this;
    }

    /** Adds a receiver of audit events (created, rotated, revoked, deleted). */
    Builder listener(KeyEventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the service.
     *
     * @throws NullPointerException if store or format is missing
     */
    ApiKeyService build() {
      return new ApiKeyService(this);
    }
  }
}

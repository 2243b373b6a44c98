package dev.keygate;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.ClientAddressResolver.ClientAddress;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import dev.keygate.internal.KeyDigest;
import dev.keygate.spi.ApiKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every request: the one object the servlet and JAX-RS adapters ask. Give it what the
 * request carried ({@link AuthenticationRequest}); it answers {@link Authenticated}, {@link
 * Refused} with the row of the response table, or {@link AuthenticationResult.Deferred} (a Bearer
 * token and no {@link BearerTokenAuthenticator}). It never throws.
 *
 * <p>Order of checks: HTTPS (when required), credentials present, API key over Bearer, key format
 * and checksum (offline, no store access), the verified-key cache, the per-address failure
 * throttle, the failure cache, the store lookup and Argon2id verification (in hashing slots that
 * serve the key ids and owners with the fewest recent failures first; skipped for a key that
 * matched the same stored hash before), then revoked, expired, allowed IPs and the key's rate limit. Only a caller whose secret
 * matched learns "revoked" or "expired".
 *
 * <p>Verified keys are cached by the SHA-256 of the whole key; every hit re-checks status and
 * expiry against the clock. The engine subscribes to its store, so a revoke, rotate or delete
 * through {@link ApiKeyService} on this node drops the entry at once, and a store shared by
 * several nodes drives the same hook for other nodes' changes. Usage is counted in memory and
 * flushed to the store in batches; {@link #close()} flushes the rest. Thread-safe.
 */
public final class AuthenticationEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuthenticationEngine.class);
  private static final String BEARER = "bearer ";
  private static final long UNAVAILABLE_RETRY_SECONDS = 1;

  private final KeyFormat format;
  private final Clock clock;
  private final List<String> apiKeyHeaders;
  private final boolean requireHttps;
  private final ClientAddressResolver addresses;
  private final EmptyScopePolicy emptyScopePolicy;
  private final @Nullable BearerTokenAuthenticator bearer;
  private final RateLimiter failureThrottle;
  private final RateLimiter keyLimits;
  private final KeyVerifier verifier;
  private final UsageRecorder usage;
  private final AuditTrail audit;
  private final ApiKeyStore.Subscription subscription;
  private final Refused missingCredentials;
  private final Refused invalidKey;
  private final Refused invalidBearer;
  private final Refused unavailable;

  private AuthenticationEngine(Builder b) {
    ApiKeyStore store = Objects.requireNonNull(b.store, "store is required");
    this.format = Objects.requireNonNull(b.format, "format is required");
    this.clock = b.clock;
    this.apiKeyHeaders = List.copyOf(b.apiKeyHeaders);
    this.requireHttps = b.requireHttps;
    this.addresses = ClientAddressResolver.trusting(b.trustedProxies, b.forwardingHeader);
    this.emptyScopePolicy = b.emptyScopePolicy;
    this.bearer = b.bearerAuthenticator;
    this.failureThrottle = RateLimiter.of(b.failureLimit, clock);
    this.keyLimits = RateLimiter.of(new RateLimit(1, Duration.ofSeconds(1)), clock);
    KeyHasher hasher = b.hasher != null ? b.hasher : Argon2idHasher.withDefaults();
    this.verifier = new KeyVerifier(store, hasher, clock, k -> new Authenticated(principalFor(k)),
        new KeyVerifier.CacheSettings(b.cacheMaximumSize, b.cacheTtl, b.negativeCacheMaximumSize,
            b.negativeCacheTtl, b.maxConcurrentHashes, b.hashingWait, b.keyIdFailureLimit, b.cacheExecutor));
    this.usage = new UsageRecorder(store, b.usageFlushInterval);
    this.audit = new AuditTrail(b.listeners);
    String challenge = "ApiKey realm=\"keygate\", header=\"" + apiKeyHeaders.get(0) + "\"";
    if (bearer != null) {
      challenge += ", Bearer realm=\"keygate\"";
    }
    this.missingCredentials = refusal(Refusal.MISSING_CREDENTIALS, challenge);
    this.invalidKey = refusal(Refusal.INVALID_KEY, challenge);
    this.invalidBearer = refusal(Refusal.INVALID_BEARER_TOKEN, "Bearer realm=\"keygate\", error=\"invalid_token\"");
    this.unavailable = new Refused(Refusal.UNAVAILABLE, UNAVAILABLE_RETRY_SECONDS, Set.of(), "");
    this.subscription = store.subscribe(verifier::invalidate);
  }

  /** A builder; {@code store} and {@code format} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides a request. Never throws: an unexpected failure is logged and answered {@link
   * Refusal#UNAVAILABLE}.
   */
  public AuthenticationResult authenticate(AuthenticationRequest request) {
    try {
      if (requireHttps && !addresses.isSecure(request)) {
        return refusal(Refusal.HTTPS_REQUIRED, "");
      }
      if (!request.apiKeys().isEmpty()) {
        return authenticateKey(request);
      }
      String token = bearerToken(request.authorizations());
      if (token == null) {
        return missingCredentials;
      }
      return bearer == null ? new AuthenticationResult.Deferred() : authenticateBearer(token, request);
    } catch (RuntimeException | Error e) {
      if (e instanceof OutOfMemoryError oom) {
        throw oom;
      }
      LOG.error("authentication failed unexpectedly; answering 503", e);
      return unavailable;
    }
  }

  private AuthenticationResult authenticateKey(AuthenticationRequest request) {
    String presented = singleValue(request.apiKeys());
    // equivalent mutant: parse(null) is null too; the test only spares the call
    ParsedKey key = presented == null ? null : format.parse(presented);
    if (key == null) {
      return failure(request);
    }
    KeyDigest digest = key.digest();
    KeyVerifier.Verified hit = verifier.cached(digest);
    if (hit != null) {
      return admit(hit, digest, request);
    }
    ClientAddress client = addresses.resolve(request);
    long wait = failureThrottle.retryAfter(client.throttleKey());
    if (wait > 0) {
      return Refused.throttled(wait);
    }
    if (verifier.recentlyFailed(digest)) {
      return failure(client);
    }
    KeyVerifier.Outcome outcome = verifier.verify(key, digest);
    if (outcome instanceof KeyVerifier.Verified v) {
      return admit(v, digest, request);
    }
    Refusal reason = ((KeyVerifier.Failed) outcome).reason();
    if (reason == Refusal.UNAVAILABLE) {
      return unavailable;
    }
    audit(reason, key.id(), null, client);
    return failure(client);
  }

  private void audit(Refusal reason, String keyId, @Nullable String owner, ClientAddress client) {
    audit.emit(new KeyEvent(KeyEvent.Type.AUTHENTICATION_FAILED, keyId, owner, clock.instant(), reason.name(),
        client.text()));
  }

  /** The one value of the API-key header(s): several equal values count as one; different ones as none. */
  private static @Nullable String singleValue(List<String> values) {
    String first = trimOws(values.get(0));
    for (int i = 1; i < values.size(); i++) {
      if (!trimOws(values.get(i)).equals(first)) {
        // equivalent mutant (return ""): parse("") refuses it just the same
        return null;
      }
    }
    return first;
  }

  private AuthenticationResult admit(KeyVerifier.Verified v, KeyDigest digest, AuthenticationRequest request) {
    ApiKey key = v.key();
    Instant now = clock.instant();
    if (v.viaPreviousSecret() && !key.previousSecretValidAt(now)) {
      verifier.invalidate(digest);
      return failure(request);
    }
    KeyStatus status = key.statusAt(now);
    if (status != KeyStatus.ACTIVE) {
      Refusal reason = status == KeyStatus.REVOKED ? Refusal.REVOKED : Refusal.EXPIRED;
      audit(reason, key.id(), key.owner(), addresses.resolve(request));
      return refusal(reason, invalidKey.challenge());
    }
    if (!v.allowedIps().isEmpty()) {
      ClientAddress client = addresses.resolve(request);
      if (!allowed(v.allowedIps(), client)) {
        audit(Refusal.IP_NOT_ALLOWED, key.id(), key.owner(), client);
        return refusal(Refusal.IP_NOT_ALLOWED, "");
      }
    }
    RateLimit limit = key.rateLimit();
    if (limit != null) {
      long wait = keyLimits.tryAcquire(key.id(), limit);
      if (wait > 0) {
        return Refused.throttled(wait);
      }
    }
    usage.record(key.id(), now.toEpochMilli());
    return v.success();
  }

  private static boolean allowed(List<IpRange> ranges, ClientAddress client) {
    byte[] address = client.bytes();
    if (address == null) {
      return false;
    }
    for (IpRange r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private AuthenticationResult failure(AuthenticationRequest request) {
    return failure(addresses.resolve(request));
  }

  /** Counts a failure against the client address: 401, or 429 once it failed too often. */
  private AuthenticationResult failure(ClientAddress client) {
    return failure(client, invalidKey);
  }

  /** Counts a failure against the client address: {@code refusal}, or 429 once it failed too often. */
  private AuthenticationResult failure(ClientAddress client, Refused refusal) {
    long wait = failureThrottle.tryAcquire(client.throttleKey());
    return wait > 0 ? Refused.throttled(wait) : refusal;
  }


  private AuthenticationResult authenticateBearer(String token, AuthenticationRequest request) {
    ClientAddress client = addresses.resolve(request);
    long wait = failureThrottle.retryAfter(client.throttleKey());
    if (wait > 0) {
      return Refused.throttled(wait);
    }
    Optional<KeygatePrincipal> principal;
    try {
      principal = token.isEmpty() ? Optional.empty() : bearer.authenticate(token);
    } catch (RuntimeException e) {
      LOG.warn("bearer token authenticator failed; answering 503: {}", e.toString());
      return unavailable;
    }
    if (principal == null || principal.isEmpty()) {
      return failure(client, invalidBearer);
    }
    return new Authenticated(principal.get());
  }

  /** The token of the first {@code Authorization: Bearer} value, or null when there is none. */
  private static @Nullable String bearerToken(List<String> authorizations) {
    for (String value : authorizations) {
      // equivalent mutant (no length test): regionMatches is false for a shorter value anyway
      if (value.length() >= BEARER.length()
          && value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return trimOws(value.substring(BEARER.length()));
      }
    }
    return null;
  }

  /**
   * Trims HTTP optional whitespace (space and tab, RFC 9110) and nothing else: {@link
   * String#strip()} would also drop control characters U+001C to U+001F, letting a key or token
   * wrapped in them through (found by {@code EngineFuzzTest}).
   */
  static String trimOws(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    // equivalent mutants (always substring): substring(0, length()) is the string itself
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }

  /**
   * Checks an authenticated principal against an endpoint's scopes.
   *
   * @param principal who is calling
   * @param allOf scopes the caller must all hold (may be empty)
   * @param anyOf scopes of which the caller must hold at least one (empty: no such requirement)
   * @return empty when allowed, else the 403 refusal listing the scopes
   */
  public Optional<Refused> authorize(KeygatePrincipal principal, Set<String> allOf, Set<String> anyOf) {
    // equivalent mutant (no isEmpty test): hasAnyScope of an empty set is true, so it decides the same
    if (principal.hasAllScopes(allOf) && (anyOf.isEmpty() || principal.hasAnyScope(anyOf))) {
      return Optional.empty();
    }
    Set<String> required = new java.util.TreeSet<>(allOf);
    required.addAll(anyOf);
    return Optional.of(Refused.insufficientScope(required));
  }

  /**
   * The 401 for a request without credentials, with this engine's {@code WWW-Authenticate}
   * challenge: what an adapter answers when a protected resource is reached unauthenticated (a
   * deferred Bearer token nobody accepted, say).
   */
  public Refused missingCredentials() {
    return missingCredentials;
  }

  /**
   * The 401 for a Bearer token this engine cannot accept, with its {@code WWW-Authenticate}
   * challenge: what an adapter answers for {@link AuthenticationResult.Deferred} unless the
   * application explicitly opted in to handling Bearer tokens itself.
   */
  public Refused invalidBearerToken() {
    return invalidBearer;
  }

  /** The client address of a request, as the engine sees it (trusted proxies honoured). */
  public ClientAddress clientAddress(AuthenticationRequest request) {
    return addresses.resolve(request);
  }

  /** The API-key header names, in order of preference. */
  public List<String> apiKeyHeaders() {
    return apiKeyHeaders;
  }

  /** The key format this engine accepts. */
  public KeyFormat format() {
    return format;
  }

  /** Writes the usage counted so far to the store now (it is also flushed on a schedule). */
  public void flushUsage() {
    usage.flush();
  }

  /** Drops every cached verification of {@code keyId} (stores call this through the subscription). */
  public void invalidate(String keyId) {
    verifier.invalidate(keyId);
  }

  /** Counters for monitoring: cached keys, cached failures, verifications run, peak concurrent hashes. */
  public Map<String, Long> stats() {
    return verifier.stats();
  }

  /** Stops listening to the store and flushes the remaining usage. */
  @Override
  public void close() {
    subscription.close();
    usage.close();
  }

  private KeygatePrincipal principalFor(ApiKey key) {
    boolean full = key.scopes().isEmpty() && emptyScopePolicy == EmptyScopePolicy.FULL_ACCESS;
    return new KeygatePrincipal(AuthMethod.API_KEY, key.id(), key.id(), key.name(), key.owner(),
        key.scopes(), full, key.environment(), key.metadata());
  }

  private static Refused refusal(Refusal reason, String challenge) {
    return new Refused(reason, 0, Set.of(), challenge);
  }

  @Override
  public String toString() {
    return "AuthenticationEngine[" + format + ", headers=" + apiKeyHeaders + ", requireHttps="
        + requireHttps + ", " + addresses + "]";
  }

  /** Configuration for {@link AuthenticationEngine}; each setting is checked as it is given. */
  public static final class Builder {
    private @Nullable ApiKeyStore store;
    private @Nullable KeyFormat format;
    private @Nullable KeyHasher hasher;
    private Clock clock = Clock.systemUTC();
    private List<String> apiKeyHeaders = List.of("X-API-Key");
    private boolean requireHttps;
    private List<String> trustedProxies = List.of();
    private ClientAddressResolver.ForwardingHeader forwardingHeader = ClientAddressResolver.ForwardingHeader.X_FORWARDED_FOR;
    private RateLimit keyIdFailureLimit = new RateLimit(20, Duration.ofMinutes(1));
    private EmptyScopePolicy emptyScopePolicy = EmptyScopePolicy.FULL_ACCESS;
    static final long CACHE_SIZE = 10_000;
    static final Duration CACHE_DURATION = Duration.ofMinutes(5);
    static final long FAILED_CACHE_SIZE = 100_000;
    static final Duration FAILED_CACHE_DURATION = Duration.ofSeconds(30);
    static final Duration HASHING_WAIT = Duration.ofMillis(200);

    private long cacheMaximumSize = CACHE_SIZE;
    private Duration cacheTtl = CACHE_DURATION;
    private long negativeCacheMaximumSize = FAILED_CACHE_SIZE;
    private Duration negativeCacheTtl = FAILED_CACHE_DURATION;
    private int maxConcurrentHashes = Runtime.getRuntime().availableProcessors();
    private Duration hashingWait = HASHING_WAIT;
    private RateLimit failureLimit = new RateLimit(10, Duration.ofMinutes(1));
    private Duration usageFlushInterval = Duration.ofSeconds(10);
    private @Nullable BearerTokenAuthenticator bearerAuthenticator;
    private Executor cacheExecutor = ForkJoinPool.commonPool();
    private final List<KeyEventListener> listeners = new ArrayList<>();

    private Builder() {}

    /** Where keys are looked up (required). */
    public Builder store(ApiKeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The key format to accept (required); must match the {@link ApiKeyService}'s. */
    public Builder format(KeyFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * How stored hashes are verified; default Argon2id at OWASP parameters. Hashes made with other
     * parameters are upgraded on the next successful verification.
     */
    public Builder hasher(KeyHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /** The clock for expiry, grace periods, caches and rate limits; default the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The header(s) carrying the key, first preferred; default {@code X-API-Key}.
     *
     * @throws IllegalArgumentException if empty or a name is not an HTTP token
     */
    public Builder apiKeyHeaders(String... names) {
      checkHeaderNames(Arrays.asList(names));
      this.apiKeyHeaders = List.of(names);
      return this;
    }

    static void checkHeaderNames(List<String> names) {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("at least one API-key header name is required");
      }
      for (String n : names) {
        if (n == null || !n.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
          throw new IllegalArgumentException("not a valid header name: '" + n + "'");
        }
      }
    }

    /** Refuse plain-HTTP requests with 403 before looking at any key; default false. */
    public Builder requireHttps(boolean requireHttps) {
      this.requireHttps = requireHttps;
      return this;
    }

    /**
     * Reverse proxies whose {@code Forwarded} / {@code X-Forwarded-*} headers are believed;
     * default none.
     *
     * @param proxies IP addresses or CIDR ranges
     * @throws IllegalArgumentException if an entry is neither
     */
    public Builder trustedProxies(List<String> proxies) {
      ClientAddressResolver.trusting(proxies); // validates now, not at build time
      this.trustedProxies = List.copyOf(proxies);
      return this;
    }

    /**
     * Which header the trusted proxies write: {@code X-Forwarded-For} (with {@code
     * X-Forwarded-Proto}, the default) or {@code Forwarded}. Only that one is read; the other may
     * come from the client and is ignored.
     */
    public Builder forwardingHeader(ClientAddressResolver.ForwardingHeader header) {
      this.forwardingHeader = Objects.requireNonNull(header, "header");
      return this;
    }

    /**
     * Wrong secrets per key id, and per owner, after which that id's (or owner's) verifications
     * yield to everyone else's; default 20 per minute. Nothing is refused for it. Waiting
     * verifications get hashing slots first if their id and owner had no wrong secret in the last
     * hour, then in order of recent failures, fewest first, so a flood of wrong secrets over many
     * ids and owners, within their budgets or not, gets one clean attempt per id and owner an hour
     * and cannot keep a clean key's first use from a slot after that; an id over budget also runs only one
     * Argon2id verification at a time, so a flood for a known id (ids are not secret) costs at
     * most one hashing slot and cannot lock the holder of the right secret out. Attempts still
     * count against the sender's address ({@link #failureLimit}).
     */
    public Builder keyIdFailureLimit(RateLimit limit) {
      this.keyIdFailureLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** What a key with no scopes may do; default {@link EmptyScopePolicy#FULL_ACCESS}. */
    public Builder emptyScopePolicy(EmptyScopePolicy policy) {
      this.emptyScopePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Bounds of the verified-key cache; default 10,000 keys for 5 minutes. The time bounds how
     * long a key keeps working through a store outage, and (with a store that cannot notify)
     * how stale a revocation made elsewhere can be.
     */
    public Builder cache(long maximumSize, Duration ttl) {
      this.cacheMaximumSize = positive("cache maximumSize", maximumSize);
      this.cacheTtl = positive("cache ttl", ttl);
      return this;
    }

    /** Bounds of the failed-key cache; default 100,000 keys for 30 seconds. */
    public Builder negativeCache(long maximumSize, Duration ttl) {
      this.negativeCacheMaximumSize = positive("negative cache maximumSize", maximumSize);
      this.negativeCacheTtl = positive("negative cache ttl", ttl);
      return this;
    }

    /**
     * How many secret verifications run at once, and how long a request waits for a slot before
     * it is answered 503; default the number of cores and 200 ms.
     */
    public Builder hashing(int maxConcurrentHashes, Duration wait) {
      this.maxConcurrentHashes = (int) positive("maxConcurrentHashes", maxConcurrentHashes);
      if (wait.isNegative()) {
        throw new IllegalArgumentException("hashing wait must not be negative, got " + wait);
      }
      this.hashingWait = wait;
      return this;
    }

    /** Failed authentications allowed per client address before 429; default 10 per minute. */
    public Builder failureLimit(RateLimit limit) {
      this.failureLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** How often usage is written to the store; default 10 s; zero flushes only on demand and on close. */
    public Builder usageFlushInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("usageFlushInterval must not be negative, got " + interval);
      }
      this.usageFlushInterval = interval;
      return this;
    }

    /** Checks Bearer tokens when no API key is sent; default none (Bearer requests are deferred). */
    public Builder bearerAuthenticator(BearerTokenAuthenticator authenticator) {
      this.bearerAuthenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /** Receives {@link KeyEvent.Type#AUTHENTICATION_FAILED} events for failed verifications. */
    public Builder listener(KeyEventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Where cache maintenance runs; default the common pool. {@code Runnable::run} for tests. */
    public Builder cacheExecutor(Executor executor) {
      this.cacheExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the engine and subscribes it to the store.
     *
     * @throws NullPointerException if store or format is missing
     */
    public AuthenticationEngine build() {
      return new AuthenticationEngine(this);
    }

    private static long positive(String name, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static Duration positive(String name, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}

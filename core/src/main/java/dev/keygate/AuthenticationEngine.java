package dev.keygate;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import java.time.Clock;
import java.time.Duration;
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
 * matched the same stored hash before), then the key's environment against its prefix's (a format
 * of {@linkplain KeyFormat#withEnvironments several environments}: a mismatch is "Invalid API key."), revoked, expired, allowed IPs and the key's rate limit. Only a caller whose secret
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

  private final KeyFormat format;
  private final Clock clock;
  private final List<String> apiKeyHeaders;
  private final boolean requireHttps;
  private final ClientAddressResolver addresses;
  private final EmptyScopePolicy emptyScopePolicy;
  private final @Nullable BearerTokenAuthenticator bearer;
  private final Challenges challenges;
  private final RateLimiters limiters;
  private final Throttles throttles;
  private final KeyVerifier verifier;
  private final Admission admission;
  private final UsageRecorder usage;
  private final AuditTrail audit;
  private final ApiKeyStore.Subscription subscription;
  private final AuthenticationStatistics statistics;
  /** Counting outcomes and cache lookups; off only in the benchmark that measures what it costs. */
  private final boolean counting;
  private final AuthenticationListener[] outcomeListeners;

  private AuthenticationEngine(Builder b) {
    ApiKeyStore store = Objects.requireNonNull(b.store, "store is required");
    this.format = Objects.requireNonNull(b.format, "format is required");
    this.clock = b.clock;
    this.apiKeyHeaders = List.copyOf(b.apiKeyHeaders);
    this.requireHttps = b.requireHttps;
    this.addresses = ClientAddressResolver.trusting(b.trustedProxies, b.forwardingHeader);
    this.emptyScopePolicy = b.emptyScopePolicy;
    this.bearer = b.bearerAuthenticator;
    this.challenges = new Challenges(apiKeyHeaders.get(0), bearer != null);
    this.limiters = b.limiters;
    this.throttles = new Throttles(b.failureLimit, clock, limiters);
    KeyHasher hasher = b.hasher != null ? b.hasher : Argon2idHasher.withDefaults();
    this.verifier = new KeyVerifier(store, hasher, clock, (k, previous) -> new Authenticated(principalFor(k, previous)),
        new KeyVerifier.CacheSettings(b.cacheMaximumSize, b.cacheTtl, b.negativeCacheMaximumSize,
            b.negativeCacheTtl, b.maxConcurrentHashes, b.hashingWait, b.keyIdFailureLimit, limiters,
            b.cacheExecutor));
    this.usage = new UsageRecorder(store, b.usageFlushInterval);
    this.audit = new AuditTrail(b.listeners);
    this.admission = new Admission(clock, verifier, throttles, usage, audit, challenges);
    this.statistics = new AuthenticationStatistics(verifier, usage, limiters);
    this.counting = b.counting;
    this.outcomeListeners = b.outcomeListeners.toArray(AuthenticationListener[]::new);
    this.subscription = store.subscribe(verifier::invalidate);
  }

  /**
   * A builder; {@code store} and {@code format} are required. Package-private: {@link
   * Keygate#builder()} is the way in, so the engine and the key service share one configuration.
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Decides a request. Never throws: an unexpected failure is logged and answered {@link
   * Refusal#UNAVAILABLE}. The outcome is counted in {@link #statistics()} and given to the
   * {@link AuthenticationListener}s.
   *
   * @param request what the request carried: headers, peer address, whether it was secure
   * @return authenticated, refused (with the response to write) or deferred
   */
  public AuthenticationResult authenticate(AuthenticationRequest request) {
    AuthenticationResult result = decide(request);
    if (counting) {
      statistics.count(result);
    }
    tell(result);
    return result;
  }

  private void tell(AuthenticationResult result) {
    for (AuthenticationListener l : outcomeListeners) { // an array: no iterator
      try {
        l.onAuthentication(result);
      } catch (RuntimeException | StackOverflowError e) { // authenticate never throws but for OutOfMemoryError
        LOG.warn("authentication listener {} failed; the answer stands", l.getClass().getName(), e);
      }
    }
  }

  private AuthenticationResult decide(AuthenticationRequest request) {
    try {
      Caller caller = new Caller(request, addresses); // its address is resolved once, when first needed
      if (requireHttps && !caller.secure()) {
        return challenges.httpsRequired();
      }
      Credentials.Presented credential = Credentials.of(request); // an API key over a Bearer token
      if (credential instanceof Credentials.Key key) {
        return authenticateKey(key.value(), caller);
      }
      if (credential instanceof Credentials.Token token) {
        return bearer == null ? new AuthenticationResult.Deferred() : authenticateBearer(token.value(), caller);
      }
      return challenges.missingCredentials();
    } catch (RuntimeException | Error e) {
      if (e instanceof OutOfMemoryError oom) {
        throw oom;
      }
      LOG.error("authentication failed unexpectedly; answering 503", e);
      return challenges.unavailable();
    }
  }

  private AuthenticationResult authenticateKey(String presented, Caller caller) {
    ParsedKey key = format.parse(presented); // format and checksum: offline, no store access
    if (key == null) {
      return throttles.failed(caller.address(), challenges.invalidKey());
    }
    KeyDigest digest = key.digest();
    KeyVerifier.Verified hit = verifier.cached(digest);
    if (hit != null) {
      if (counting) {
        statistics.countCacheHit();
      }
      return admission.admit(hit, digest, caller, key.environment());
    }
    if (counting) {
      statistics.countCacheMiss();
    }
    long wait = throttles.failuresRetryAfter(caller.address());
    if (wait > 0) {
      return Refused.throttled(wait);
    }
    if (verifier.recentlyFailed(digest)) {
      return throttles.failed(caller.address(), challenges.invalidKey());
    }
    KeyVerifier.Outcome outcome = verifier.verify(key, digest); // store lookup, then Argon2id in a slot
    if (outcome instanceof KeyVerifier.Verified v) {
      return admission.admit(v, digest, caller, key.environment()); // environment, revoked, expired, allowed IPs, the key's rate limit
    }
    Refusal reason = ((KeyVerifier.Failed) outcome).reason();
    if (reason == Refusal.UNAVAILABLE) {
      if (outcome == KeyVerifier.NO_HASHING_SLOT && counting) {
        statistics.countHashingRefused();
      }
      return challenges.unavailable();
    }
    audit.authenticationFailed(reason, key.id(), null, clock.instant(), caller.address());
    return throttles.failed(caller.address(), challenges.invalidKey());
  }

  private AuthenticationResult authenticateBearer(String token, Caller caller) {
    long wait = throttles.failuresRetryAfterLocally(caller.address());
    if (wait > 0) {
      return Refused.throttled(wait);
    }
    Optional<KeygatePrincipal> principal;
    try {
      principal = token.isEmpty() ? Optional.empty() : bearer.authenticate(token);
    } catch (RuntimeException e) {
      LOG.warn("bearer token authenticator failed; answering 503: {}", e.toString());
      return challenges.unavailable();
    }
    if (principal == null || principal.isEmpty()) {
      return throttles.failed(caller.address(), challenges.invalidBearer());
    }
    return new Authenticated(principal.get());
  }

  /**
   * Checks an authenticated principal against an endpoint's scopes.
   *
   * @param principal who is calling
   * @param allOf scopes the caller must all hold (may be empty)
   * @param anyOf scopes of which the caller must hold at least one (empty: no such requirement)
   * @return empty when allowed, else the 403 refusal listing the scopes, which is counted in
   *     {@link #statistics()} and given to the {@link AuthenticationListener}s
   */
  public Optional<Refused> authorize(KeygatePrincipal principal, Set<String> allOf, Set<String> anyOf) {
    // equivalent mutant (no isEmpty test): hasAnyScope of an empty set is true, so it decides the same
    if (principal.hasAllScopes(allOf) && (anyOf.isEmpty() || principal.hasAnyScope(anyOf))) {
      return Optional.empty();
    }
    Set<String> required = new java.util.TreeSet<>(allOf);
    required.addAll(anyOf);
    Refused refused = Refused.insufficientScope(required);
    recordRefusal(refused.reason());
    tell(refused);
    return Optional.of(refused);
  }

  /**
   * Checks an authenticated principal against the environment an endpoint accepts (a live-only
   * route refusing test keys, say). A principal without an environment (a Bearer token's, a key
   * created without one) is of no environment and is refused.
   *
   * @param principal who is calling
   * @param environment the one environment the endpoint accepts
   * @return empty when allowed, else the 403 naming {@code required_environment}, which is counted
   *     in {@link #statistics()} and given to the {@link AuthenticationListener}s
   */
  public Optional<Refused> authorizeEnvironment(KeygatePrincipal principal, String environment) {
    Objects.requireNonNull(environment, "environment");
    if (environment.equals(principal.environment())) {
      return Optional.empty();
    }
    Refused refused = Refused.environmentNotAllowed(environment);
    recordRefusal(refused.reason());
    tell(refused);
    return Optional.of(refused);
  }

  /**
   * Counts a refusal an adapter decided outside {@link #authenticate} and {@link #authorize} (an
   * access-denied handler of a security framework, say) in {@link #statistics()}. The {@link
   * AuthenticationListener}s are not called for it.
   *
   * @param refusal the row of the response table the adapter answered
   */
  public void recordRefusal(Refusal refusal) {
    Objects.requireNonNull(refusal, "refusal");
    if (counting) {
      statistics.countRefusal(refusal);
    }
  }

  /**
   * What this engine has decided and how its caches and hashing slots stand, read live (each call
   * returns the same object; reading a figure allocates nothing). What a metrics binder reads.
   *
   * @return this engine's statistics
   */
  public AuthenticationStatistics statistics() {
    return statistics;
  }

  /**
   * The 401 for a request without credentials, with this engine's {@code WWW-Authenticate}
   * challenge: what an adapter answers when a protected resource is reached unauthenticated (a
   * deferred Bearer token nobody accepted, say).
   *
   * @return the 401 for a request without credentials, with this engine's {@code WWW-Authenticate}
   *     challenge
   */
  public Refused missingCredentials() {
    return challenges.missingCredentials();
  }

  /**
   * The 401 for a Bearer token this engine cannot accept, with its {@code WWW-Authenticate}
   * challenge: what an adapter answers for {@link AuthenticationResult.Deferred} unless the
   * application explicitly opted in to handling Bearer tokens itself.
   *
   * @return the 401 for a Bearer token this engine cannot accept, with its {@code WWW-Authenticate}
   *     challenge
   */
  public Refused invalidBearerToken() {
    return challenges.invalidBearer();
  }

  /**
   * The client address of a request, as the engine sees it (trusted proxies honoured).
   *
   * @param request what the request carried
   * @return the client's address, or {@link ClientAddress#UNKNOWN} behind a proxy that did not say
   */
  public ClientAddress clientAddress(AuthenticationRequest request) {
    return addresses.resolve(request);
  }

  /**
   * The API-key header names, in order of preference.
   *
   * @return the API-key header names, in order of preference
   */
  public List<String> apiKeyHeaders() {
    return apiKeyHeaders;
  }

  /**
   * The key format this engine accepts.
   *
   * @return the key format this engine accepts
   */
  public KeyFormat format() {
    return format;
  }

  /** Writes the usage counted so far to the store now (it is also flushed on a schedule). */
  public void flushUsage() {
    usage.flush();
  }

  /**
   * Drops every cached verification of {@code keyId} (stores call this through the subscription).
   *
   * @param keyId the public key id
   */
  public void invalidate(String keyId) {
    verifier.invalidate(keyId);
  }

  /**
   * Counters for monitoring: cached keys ({@code cachedKeys}), cached failures ({@code failedKeys}),
   * hasher runs ({@code verifications}), peak concurrent hashes ({@code peakConcurrentHashes}) and
   * verifications waiting for a slot ({@code waitingForHashing}).
   *
   * @return a snapshot of the counters, by name
   * @deprecated use {@link #statistics()}: typed, live, and with outcomes; its {@link
   *     AuthenticationStatistics#hashes()} is this map's {@code verifications}
   */
  @Deprecated
  public Map<String, Long> stats() {
    return verifier.stats();
  }

  /** Stops listening to the store and flushes the remaining usage. */
  @Override
  public void close() {
    subscription.close();
    usage.close();
  }

  /**
   * Whether {@code key} has full access under this engine's {@link EmptyScopePolicy}: it has no
   * scopes and the policy is {@link EmptyScopePolicy#FULL_ACCESS}. What a management page shows as
   * "All permissions".
   *
   * @param key a key
   * @return whether a request with it may do everything a scope can allow
   */
  public boolean hasFullAccess(ApiKey key) {
    return key.scopes().isEmpty() && emptyScopePolicy == EmptyScopePolicy.FULL_ACCESS;
  }

  private KeygatePrincipal principalFor(ApiKey key, boolean previousSecret) {
    return new KeygatePrincipal(AuthMethod.API_KEY, key.id(), key.id(), key.name(), key.owner(),
        key.scopes(), hasFullAccess(key), key.environment(), key.metadata(), previousSecret);
  }

  @Override
  public String toString() {
    return "AuthenticationEngine[" + format + ", headers=" + apiKeyHeaders + ", requireHttps="
        + requireHttps + ", " + addresses + "]";
  }

  /** Configuration for {@link AuthenticationEngine}, given by {@link Keygate.Builder}; checked as given. */
  static final class Builder {
    private @Nullable ApiKeyStore store;
    private @Nullable KeyFormat format;
    private @Nullable KeyHasher hasher;
    private Clock clock = Clock.systemUTC();
    private List<String> apiKeyHeaders = List.of("X-API-Key");
    private boolean requireHttps;
    private List<String> trustedProxies = List.of();
    private ForwardingHeader forwardingHeader = ForwardingHeader.X_FORWARDED_FOR;
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
    private RateLimiters limiters = RateLimiters.local();
    private final List<KeyEventListener> listeners = new ArrayList<>();
    private final List<AuthenticationListener> outcomeListeners = new ArrayList<>();
    private boolean counting = true;

    private Builder() {}

    /** Where the rate-limit buckets live. */
    Builder rateLimiters(RateLimiters limiters) {
      this.limiters = Objects.requireNonNull(limiters, "limiters");
      return this;
    }

    /** Where keys are looked up (required). */
    Builder store(ApiKeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The key format to accept (required); must match the {@link ApiKeyService}'s. */
    Builder format(KeyFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * How stored hashes are verified; default Argon2id at OWASP parameters. Hashes made with other
     * parameters are upgraded on the next successful verification.
     */
    Builder hasher(KeyHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /** The clock for expiry, grace periods, caches and rate limits; default the UTC system clock. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The header(s) carrying the key, first preferred; default {@code X-API-Key}.
     *
     * @throws IllegalArgumentException if empty or a name is not an HTTP token
     */
    Builder apiKeyHeaders(String... names) {
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
    Builder requireHttps(boolean requireHttps) {
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
    Builder trustedProxies(List<String> proxies) {
      ClientAddressResolver.trusting(proxies); // validates now, not at build time
      this.trustedProxies = List.copyOf(proxies);
      return this;
    }

    /**
     * Which header the trusted proxies write: {@code X-Forwarded-For} (with {@code
     * X-Forwarded-Proto}, the default) or {@code Forwarded}. Only that one is read; the other may
     * come from the client and is ignored.
     */
    Builder forwardingHeader(ForwardingHeader header) {
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
    Builder keyIdFailureLimit(RateLimit limit) {
      this.keyIdFailureLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** What a key with no scopes may do; default {@link EmptyScopePolicy#FULL_ACCESS}. */
    Builder emptyScopePolicy(EmptyScopePolicy policy) {
      this.emptyScopePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Bounds of the verified-key cache; default 10,000 keys for 5 minutes. The time bounds how
     * long a key keeps working through a store outage, and (with a store that cannot notify)
     * how stale a revocation made elsewhere can be.
     */
    Builder cache(long maximumSize, Duration ttl) {
      this.cacheMaximumSize = positive("cache maximumSize", maximumSize);
      this.cacheTtl = positive("cache ttl", ttl);
      return this;
    }

    /** Bounds of the failed-key cache; default 100,000 keys for 30 seconds. */
    Builder negativeCache(long maximumSize, Duration ttl) {
      this.negativeCacheMaximumSize = positive("negative cache maximumSize", maximumSize);
      this.negativeCacheTtl = positive("negative cache ttl", ttl);
      return this;
    }

    /**
     * How many secret verifications run at once, and how long a request waits for a slot before
     * it is answered 503; default the number of cores and 200 ms.
     */
    Builder hashing(int maxConcurrentHashes, Duration wait) {
      this.maxConcurrentHashes = (int) positive("maxConcurrentHashes", maxConcurrentHashes);
      if (wait.isNegative()) {
        throw new IllegalArgumentException("hashing wait must not be negative, got " + wait);
      }
      this.hashingWait = wait;
      return this;
    }

    /** Failed authentications allowed per client address before 429; default 10 per minute. */
    Builder failureLimit(RateLimit limit) {
      this.failureLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** How often usage is written to the store; default 10 s; zero flushes only on demand and on close. */
    Builder usageFlushInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("usageFlushInterval must not be negative, got " + interval);
      }
      this.usageFlushInterval = interval;
      return this;
    }

    /** Checks Bearer tokens when no API key is sent; default none (Bearer requests are deferred). */
    Builder bearerAuthenticator(BearerTokenAuthenticator authenticator) {
      this.bearerAuthenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /** Receives {@link KeyEvent.Type#AUTHENTICATION_FAILED} events for failed verifications. */
    Builder listener(KeyEventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Receives every outcome of {@code authenticate} and every refusal of {@code authorize}. */
    Builder authenticationListener(AuthenticationListener listener) {
      outcomeListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Whether outcomes and cache lookups are counted; default true. Off only to measure what
     * counting costs (the benchmarks); not offered by {@link Keygate.Builder}.
     */
    Builder countOutcomes(boolean counting) {
      this.counting = counting;
      return this;
    }

    /** Where cache maintenance runs; default the common pool. {@code Runnable::run} for tests. */
    Builder cacheExecutor(Executor executor) {
      this.cacheExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the engine and subscribes it to the store.
     *
     * @throws NullPointerException if store or format is missing
     */
    AuthenticationEngine build() {
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

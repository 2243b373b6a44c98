package dev.keygate;

import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Keygate in one object: what verifies keys ({@link #engine()}) and what issues and manages them
 * ({@link #keys()}), built from one configuration so that they cannot disagree on the store, the
 * key format, the hasher or the clock.
 *
 * <pre>{@code
 * Keygate keygate = Keygate.builder()
 *     .store(new InMemoryApiKeyStore())
 *     .keyFormat(KeyFormat.withPrefix("acme_live"))
 *     .build();
 * IssuedKey issued = keygate.keys().create(NewKey.named("ci").withScopes("orders.read"));
 * AuthenticationResult result = keygate.engine().authenticate(
 *     AuthenticationRequest.from("203.0.113.7").apiKey(issued.plaintext()).build());
 * }</pre>
 *
 * <p>Hand {@link #engine()} to the servlet filter or the JAX-RS feature. {@link #close()} flushes
 * the usage counted so far and stops listening to the store; the store itself stays open (it is
 * the application's). Thread-safe.
 */
public final class Keygate implements AutoCloseable {
  private static final Pattern LIMITER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final AuthenticationEngine engine;
  private final ApiKeyService keys;
  private final Clock clock;
  private final RateLimiters limiters;
  private final ConcurrentMap<String, RateLimiter> applicationLimiters =
      new ConcurrentHashMap<>();

  private Keygate(AuthenticationEngine engine, ApiKeyService keys, Clock clock, RateLimiters limiters) {
    this.engine = engine;
    this.keys = keys;
    this.clock = clock;
    this.limiters = limiters;
  }

  /**
   * A builder; {@code store} and {@code keyFormat} are required, everything else has a default.
   *
   * @return a builder with nothing set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies presented keys and Bearer tokens: what the adapters ask about each request.
   *
   * @return the engine, shared by every request
   */
  public AuthenticationEngine engine() {
    return engine;
  }

  /**
   * Creates, lists, rotates, revokes and deletes keys.
   *
   * @return the key service
   */
  public ApiKeyService keys() {
    return keys;
  }

  /**
   * The clock that decides creation, expiry and status, for code built on Keygate that must agree
   * with it (a key's status shown by a management page, for instance).
   *
   * @return the clock given to the builder, or the UTC system clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * A limiter for one of the application's own limits, with its buckets where the engine's are
   * (see {@link Builder#rateLimiters}): in this node's memory by default, shared by the fleet with
   * keygate-redis. Calls with one name return the same limiter.
   *
   * @param name the buckets' name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -},
   *     not starting with {@code keygate.} (the engine's own)
   * @param limit the limit for every key of it
   * @return the limiter of that name
   * @throws IllegalArgumentException for a name outside those rules, or one already given another limit
   */
  public RateLimiter rateLimiter(String name, RateLimit limit) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(limit, "limit");
    if (!LIMITER_NAME.matcher(name).matches() || name.startsWith("keygate.")) {
      throw new IllegalArgumentException("a rate limiter's name is 1 to 64 letters, digits, '.', '_' or '-', "
          + "not starting with 'keygate.'; got '" + name + "'");
    }
    RateLimiter limiter = applicationLimiters.computeIfAbsent(name, n -> limiters.limiter(n, limit, clock));
    if (!limiter.defaultLimit().equals(limit)) {
      throw new IllegalArgumentException("the rate limiter '" + name + "' has the limit " + limiter.defaultLimit()
          + ", not " + limit);
    }
    return limiter;
  }

  /** Writes the usage counted so far to the store, then stops listening to the store. */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "Keygate[" + engine + ", " + keys + "]";
  }

  /**
   * Configuration for {@link Keygate}. Each setting may be given once (a second call throws
   * {@link IllegalStateException} naming the setting and the value it already has) and is checked
   * when given (an {@link IllegalArgumentException} with the value); {@link #build()} throws
   * {@link IllegalStateException} naming a required setting that is missing.
   */
  public static final class Builder {
    private @Nullable ApiKeyStore store;
    private @Nullable KeyFormat keyFormat;
    private @Nullable KeyHasher hasher;
    private @Nullable Clock clock;
    private @Nullable List<KeyEventListener> listeners;
    private @Nullable List<AuthenticationListener> authenticationListeners;
    private @Nullable Duration maxKeyLifetime;
    private @Nullable List<String> apiKeyHeaders;
    private @Nullable Boolean requireHttps;
    private @Nullable List<String> trustedProxies;
    private @Nullable ForwardingHeader forwardingHeader;
    private @Nullable EmptyScopePolicy emptyScopePolicy;
    private @Nullable Long verifiedKeyCacheSize;
    private @Nullable Duration verifiedKeyCacheDuration;
    private @Nullable Long failedKeyCacheSize;
    private @Nullable Duration failedKeyCacheDuration;
    private @Nullable Integer maxConcurrentHashes;
    private @Nullable Duration hashingWait;
    private @Nullable RateLimit failuresPerAddress;
    private @Nullable RateLimit wrongSecretsPerKeyId;
    private @Nullable Duration usageFlushInterval;
    private @Nullable BearerTokenAuthenticator bearerAuthenticator;
    private @Nullable Executor cacheExecutor;
    private @Nullable RateLimiters rateLimiters;

    private Builder() {}

    private static <T> T once(String setting, @Nullable Object current, @Nullable T value) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
      return Objects.requireNonNull(value, setting);
    }

    /**
     * Where keys are kept and looked up (required).
     *
     * @param store the store, which stays the application's to close
     * @return this builder
     */
    public Builder store(ApiKeyStore store) {
      this.store = once("store", this.store, store);
      return this;
    }

    /**
     * The key format issued and accepted (required), e.g. {@code KeyFormat.withPrefix("acme_live")},
     * or one prefix per environment ({@link KeyFormat#withEnvironments}: keys then say their
     * environment by their prefix, and a key's environment must be one of the format's).
     *
     * @param keyFormat the format
     * @return this builder
     */
    public Builder keyFormat(KeyFormat keyFormat) {
      this.keyFormat = once("keyFormat", this.keyFormat, keyFormat);
      return this;
    }

    /**
     * How secrets are hashed when issued and verified; default Argon2id at OWASP parameters
     * ({@link Argon2idHasher#withDefaults()}). A pepper is part of the hasher ({@code
     * Argon2idHasher.builder().pepper(...)}). Hashes made with other parameters are upgraded on
     * the next successful verification.
     *
     * @param hasher the hasher, used both to issue and to verify
     * @return this builder
     */
    public Builder hasher(KeyHasher hasher) {
      this.hasher = once("hasher", this.hasher, hasher);
      return this;
    }

    /**
     * The clock for creation, expiry, grace periods, caches and limits; default the UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = once("clock", this.clock, clock);
      return this;
    }

    /**
     * Receivers of audit events: keys created, rotated, revoked and deleted, and failed
     * authentications; default none (the events are also logged to {@code dev.keygate.audit}).
     *
     * @param listeners the receivers, called in order on the thread that caused the event
     * @return this builder
     */
    public Builder listeners(KeyEventListener... listeners) {
      List<KeyEventListener> given = List.of(listeners); // null-hostile
      this.listeners = once("listeners", this.listeners, given);
      return this;
    }

    /**
     * Receivers of every outcome the engine decides: each answer of {@link
     * AuthenticationEngine#authenticate} and each refusal of {@link AuthenticationEngine#authorize};
     * default none. The figures are also counted in {@link AuthenticationEngine#statistics()}.
     *
     * @param listeners the receivers, called in order on the request's thread with the result the
     *     caller gets; they must be quick and must not throw (an exception is logged and does not
     *     change the answer)
     * @return this builder
     */
    public Builder authenticationListeners(AuthenticationListener... listeners) {
      List<AuthenticationListener> given = List.of(listeners); // null-hostile
      this.authenticationListeners = once("authenticationListeners", this.authenticationListeners, given);
      return this;
    }

    /**
     * The longest lifetime a key may have: keys created without an expiry get this one, a later
     * expiry is refused; default none (keys may live forever).
     *
     * @param maxKeyLifetime the longest lifetime
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxKeyLifetime(Duration maxKeyLifetime) {
      Duration checked = positive("maxKeyLifetime", once("maxKeyLifetime", this.maxKeyLifetime, maxKeyLifetime));
      this.maxKeyLifetime = checked;
      return this;
    }

    /**
     * The header(s) carrying the key, first preferred (it is named in {@code WWW-Authenticate});
     * default {@code X-API-Key}.
     *
     * @param names header names, first preferred
     * @return this builder
     * @throws IllegalArgumentException if none is given or a name is not an HTTP token
     */
    public Builder apiKeyHeaders(String... names) {
      List<String> given = once("apiKeyHeaders", this.apiKeyHeaders, Arrays.asList(names.clone()));
      AuthenticationEngine.Builder.checkHeaderNames(given);
      this.apiKeyHeaders = List.copyOf(given);
      return this;
    }

    /**
     * Refuse plain-HTTP requests with 403 before looking at any key; default false.
     *
     * @param requireHttps whether plain HTTP is refused
     * @return this builder
     */
    public Builder requireHttps(boolean requireHttps) {
      this.requireHttps = once("requireHttps", this.requireHttps, requireHttps);
      return this;
    }

    /**
     * Reverse proxies whose {@code Forwarded} / {@code X-Forwarded-*} headers are believed; default
     * none.
     *
     * @param proxies IP addresses or CIDR ranges
     * @return this builder
     * @throws IllegalArgumentException if an entry is neither
     */
    public Builder trustedProxies(List<String> proxies) {
      List<String> given = once("trustedProxies", this.trustedProxies, proxies);
      ClientAddressResolver.trusting(given); // checks them now, not at build time
      this.trustedProxies = List.copyOf(given);
      return this;
    }

    /**
     * Which header the trusted proxies write: {@code X-Forwarded-For} (with {@code
     * X-Forwarded-Proto}, the default) or RFC 7239 {@code Forwarded}; the other is ignored.
     *
     * @param header the header the proxies write
     * @return this builder
     */
    public Builder forwardingHeader(ForwardingHeader header) {
      this.forwardingHeader = once("forwardingHeader", this.forwardingHeader, header);
      return this;
    }

    /**
     * What a key with no scopes may do; default {@link EmptyScopePolicy#FULL_ACCESS}.
     *
     * @param policy full access or none
     * @return this builder
     */
    public Builder emptyScopePolicy(EmptyScopePolicy policy) {
      this.emptyScopePolicy = once("emptyScopePolicy", this.emptyScopePolicy, policy);
      return this;
    }

    /**
     * How many verified keys are cached; default 10,000.
     *
     * @param keys the most verified keys kept
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder verifiedKeyCacheSize(long keys) {
      this.verifiedKeyCacheSize = positive("verifiedKeyCacheSize", once("verifiedKeyCacheSize",
          this.verifiedKeyCacheSize, keys));
      return this;
    }

    /**
     * How long a verified key stays cached; default 5 minutes. It bounds how long a key keeps
     * working through a store outage and, with a store that cannot notify, how stale a revocation
     * made on another node can be.
     *
     * @param duration how long after verification an entry is dropped
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder verifiedKeyCacheDuration(Duration duration) {
      this.verifiedKeyCacheDuration = positive("verifiedKeyCacheDuration", once("verifiedKeyCacheDuration",
          this.verifiedKeyCacheDuration, duration));
      return this;
    }

    /**
     * How many keys that failed verification are remembered (a repeated bad key costs no
     * Argon2id); default 100,000.
     *
     * @param keys the most failed keys kept
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder failedKeyCacheSize(long keys) {
      this.failedKeyCacheSize = positive("failedKeyCacheSize", once("failedKeyCacheSize",
          this.failedKeyCacheSize, keys));
      return this;
    }

    /**
     * How long a key that failed verification is remembered; default 30 seconds.
     *
     * @param duration how long a failed key is remembered
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder failedKeyCacheDuration(Duration duration) {
      this.failedKeyCacheDuration = positive("failedKeyCacheDuration", once("failedKeyCacheDuration",
          this.failedKeyCacheDuration, duration));
      return this;
    }

    /**
     * How many secret verifications (Argon2id) run at once; default the number of cores.
     *
     * @param hashes the number of hashing slots
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxConcurrentHashes(int hashes) {
      this.maxConcurrentHashes = (int) positive("maxConcurrentHashes", once("maxConcurrentHashes",
          this.maxConcurrentHashes, hashes));
      return this;
    }

    /**
     * How long a request waits for a hashing slot before it is answered 503; default 200 ms.
     * Slots go first to keys whose id and owner had no wrong secret in the last hour.
     *
     * @param wait the longest wait for a slot; zero answers 503 at once when all are busy
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder hashingWait(Duration wait) {
      Duration given = once("hashingWait", this.hashingWait, wait);
      if (given.isNegative()) {
        throw new IllegalArgumentException("hashingWait must not be negative, got " + given);
      }
      this.hashingWait = given;
      return this;
    }

    /**
     * Failed authentications allowed per client address (per /64 for IPv6) before it is answered
     * 429; default 10 a minute. Cache hits of valid keys are never throttled.
     *
     * @param limit failures allowed per address in the limit's period
     * @return this builder
     */
    public Builder failuresPerAddress(RateLimit limit) {
      this.failuresPerAddress = once("failuresPerAddress", this.failuresPerAddress, limit);
      return this;
    }

    /**
     * Wrong secrets per key id, and per owner, from all addresses together, after which that id's
     * (owner's) verifications yield to everyone else's and run one at a time per id; default 20 a
     * minute. Nothing is refused for it (key ids are not secret, so a refusal would lock the right
     * secret out).
     *
     * @param limit wrong secrets per key id (and per owner) in the limit's period
     * @return this builder
     */
    public Builder wrongSecretsPerKeyId(RateLimit limit) {
      this.wrongSecretsPerKeyId = once("wrongSecretsPerKeyId", this.wrongSecretsPerKeyId, limit);
      return this;
    }

    /**
     * How often usage counts are written to the store, in one batch; default 10 seconds; zero
     * writes them only on {@link Keygate#close()} and {@link AuthenticationEngine#flushUsage()}.
     *
     * @param interval the time between flushes, or zero
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder usageFlushInterval(Duration interval) {
      Duration given = once("usageFlushInterval", this.usageFlushInterval, interval);
      if (given.isNegative()) {
        throw new IllegalArgumentException("usageFlushInterval must not be negative, got " + given);
      }
      this.usageFlushInterval = given;
      return this;
    }

    /**
     * Checks Bearer tokens when no API key is sent; default none (the adapters refuse Bearer
     * tokens with 401 unless told to leave them to the application).
     *
     * @param authenticator turns a token into a principal, or empty for a token it refuses
     * @return this builder
     */
    public Builder bearerAuthenticator(BearerTokenAuthenticator authenticator) {
      this.bearerAuthenticator = once("bearerAuthenticator", this.bearerAuthenticator, authenticator);
      return this;
    }

    /**
     * Where cache maintenance runs; default the common pool ({@code Runnable::run} suits tests).
     *
     * @param executor runs cache maintenance
     * @return this builder
     */
    public Builder cacheExecutor(Executor executor) {
      this.cacheExecutor = once("cacheExecutor", this.cacheExecutor, executor);
      return this;
    }

    /**
     * Where rate-limit buckets live: each key's own limit, the failure throttles and the
     * application's limiters from {@link Keygate#rateLimiter}; default {@link
     * RateLimiters#local()}, each node's memory. A fleet behind a load balancer shares them with
     * keygate-redis. The limiters stay the application's to close, after this Keygate.
     *
     * @param limiters where the buckets live
     * @return this builder
     */
    public Builder rateLimiters(RateLimiters limiters) {
      this.rateLimiters = once("rateLimiters", this.rateLimiters, limiters);
      return this;
    }

    /**
     * Builds the engine and the key service on one configuration, and subscribes the engine to
     * the store.
     *
     * @return a Keygate whose engine listens to the store until {@link Keygate#close()}
     * @throws IllegalStateException if {@code store} or {@code keyFormat} was not given
     */
    public Keygate build() {
      if (store == null) {
        throw new IllegalStateException("store is required: Keygate.builder().store(...)");
      }
      if (keyFormat == null) {
        throw new IllegalStateException("keyFormat is required: Keygate.builder().keyFormat(...)");
      }
      KeyHasher h = hasher != null ? hasher : Argon2idHasher.withDefaults();
      Clock c = clock != null ? clock : Clock.systemUTC();
      List<KeyEventListener> ls = listeners != null ? listeners : List.of();
      ApiKeyService.Builder service = ApiKeyService.builder().store(store).format(keyFormat).hasher(h).clock(c);
      ls.forEach(service::listener);
      if (maxKeyLifetime != null) {
        service.maxLifetime(maxKeyLifetime);
      }
      AuthenticationEngine.Builder engine = AuthenticationEngine.builder().store(store).format(keyFormat).hasher(h)
          .clock(c);
      ls.forEach(engine::listener);
      if (authenticationListeners != null) {
        authenticationListeners.forEach(engine::authenticationListener);
      }
      if (apiKeyHeaders != null) {
        engine.apiKeyHeaders(apiKeyHeaders.toArray(String[]::new));
      }
      if (requireHttps != null) {
        engine.requireHttps(requireHttps);
      }
      if (trustedProxies != null) {
        engine.trustedProxies(trustedProxies);
      }
      if (forwardingHeader != null) {
        engine.forwardingHeader(forwardingHeader);
      }
      if (emptyScopePolicy != null) {
        engine.emptyScopePolicy(emptyScopePolicy);
      }
      engine.cache(verifiedKeyCacheSize != null ? verifiedKeyCacheSize : AuthenticationEngine.Builder.CACHE_SIZE,
          verifiedKeyCacheDuration != null ? verifiedKeyCacheDuration : AuthenticationEngine.Builder.CACHE_DURATION);
      engine.negativeCache(failedKeyCacheSize != null ? failedKeyCacheSize : AuthenticationEngine.Builder.FAILED_CACHE_SIZE,
          failedKeyCacheDuration != null ? failedKeyCacheDuration : AuthenticationEngine.Builder.FAILED_CACHE_DURATION);
      engine.hashing(maxConcurrentHashes != null ? maxConcurrentHashes : Runtime.getRuntime().availableProcessors(),
          hashingWait != null ? hashingWait : AuthenticationEngine.Builder.HASHING_WAIT);
      if (failuresPerAddress != null) {
        engine.failureLimit(failuresPerAddress);
      }
      if (wrongSecretsPerKeyId != null) {
        engine.keyIdFailureLimit(wrongSecretsPerKeyId);
      }
      if (usageFlushInterval != null) {
        engine.usageFlushInterval(usageFlushInterval);
      }
      if (bearerAuthenticator != null) {
        engine.bearerAuthenticator(bearerAuthenticator);
      }
      if (cacheExecutor != null) {
        engine.cacheExecutor(cacheExecutor);
      }
      RateLimiters limiters = rateLimiters != null ? rateLimiters : RateLimiters.local();
      engine.rateLimiters(limiters);
      return new Keygate(engine.build(), service.build(), c, limiters);
    }

    private static long positive(String setting, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(setting + " must be at least 1, got " + value);
      }
      return value;
    }

    private static Duration positive(String setting, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(setting + " must be positive, got " + value);
      }
      return value;
    }

    @Override
    public String toString() {
      return "Keygate.Builder[store=" + store + ", keyFormat=" + keyFormat + ", hasher=" + hasher + "]";
    }
  }
}

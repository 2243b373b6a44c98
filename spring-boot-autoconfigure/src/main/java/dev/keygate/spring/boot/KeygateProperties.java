package dev.keygate.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keygate's {@code keygate.*} configuration properties. Every setting has a safe default: only
 * {@code keygate.key-prefix} is needed, and the management API and page are off until enabled.
 */
@ConfigurationProperties("keygate")
public class KeygateProperties {
  /** Defaults, until the properties are bound. */
  public KeygateProperties() {}

  /** Prefix of the keys this application issues and accepts, e.g. {@code sk_live} (keys read {@code sk_live_...}). */
  private String keyPrefix = "kg";

  /** Headers that carry an API key, in order of preference. */
  private List<String> headerNames = new ArrayList<>(List.of("X-API-Key"));

  /** Whether requests must arrive over HTTPS (directly or through a trusted proxy); plain HTTP is refused 403. */
  private boolean requireHttps;

  /** Proxies whose forwarding header is believed: addresses or CIDR ranges. None by default. */
  private List<String> trustedProxies = new ArrayList<>();

  /** The forwarding header trusted proxies set: {@code X-Forwarded-For} or {@code Forwarded}. */
  private String forwardingHeader = "X-Forwarded-For";

  /**
   * Scopes this application defines, by name, with the description the API Keys page shows. A key
   * with full access or a wildcard scope ({@code orders.*}) gets a Spring authority for every scope
   * listed here that it covers.
   */
  private Map<String, String> scopes = new LinkedHashMap<>();

  /**
   * Paths Keygate leaves alone, as servlet path patterns ({@code /health}; {@code /docs/*}, everything under {@code /docs}; {@code *.css}):
   * no key is asked for or checked there.
   */
  private List<String> publicPaths = new ArrayList<>();

  /**
   * Without Spring Security: scope rules the servlet filter applies, in its rule syntax, e.g.
   * {@code GET /orders/*=orders.read} (give each rule its own index, {@code keygate.scope-rules[0]=...}, since a rule may hold commas). First match wins. With Spring Security, use its
   * {@code hasAuthority("SCOPE_orders.read")} instead.
   */
  private List<String> scopeRules = new ArrayList<>();

  /** Longest lifetime a new key may be given; unset for no limit. */
  private @Nullable Duration maxKeyLifetime;

  /** How often usage counts (last used, request counts) are written to the store. */
  private Duration usageFlushInterval = Duration.ofSeconds(10);

  private final Hasher hasher = new Hasher();
  private final Cache cache = new Cache();
  private final Throttle throttle = new Throttle();
  private final Store store = new Store();
  private final Management management = new Management();
  private final Redis redis = new Redis();

  /**
   * Prefix of the keys this application issues and accepts, e.g. {@code sk_live} (keys read {@code sk_live_...}).
   *
   * @return the current value
   */
  public String getKeyPrefix() {
    return keyPrefix;
  }

  /**
   * Sets: Prefix of the keys this application issues and accepts, e.g. {@code sk_live} (keys read {@code sk_live_...}).
   *
   * @param keyPrefix the new value
   */
  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  /**
   * Headers that carry an API key, in order of preference.
   *
   * @return the current value
   */
  public List<String> getHeaderNames() {
    return headerNames;
  }

  /**
   * Sets: Headers that carry an API key, in order of preference.
   *
   * @param headerNames the new value
   */
  public void setHeaderNames(List<String> headerNames) {
    this.headerNames = headerNames;
  }

  /**
   * Whether requests must arrive over HTTPS (directly or through a trusted proxy); plain HTTP is refused 403.
   *
   * @return the current value
   */
  public boolean isRequireHttps() {
    return requireHttps;
  }

  /**
   * Sets: Whether requests must arrive over HTTPS (directly or through a trusted proxy); plain HTTP is refused 403.
   *
   * @param requireHttps the new value
   */
  public void setRequireHttps(boolean requireHttps) {
    this.requireHttps = requireHttps;
  }

  /**
   * Proxies whose forwarding header is believed: addresses or CIDR ranges. None by default.
   *
   * @return the current value
   */
  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  /**
   * Sets: Proxies whose forwarding header is believed: addresses or CIDR ranges. None by default.
   *
   * @param trustedProxies the new value
   */
  public void setTrustedProxies(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  /**
   * The forwarding header trusted proxies set: {@code X-Forwarded-For} or {@code Forwarded}.
   *
   * @return the current value
   */
  public String getForwardingHeader() {
    return forwardingHeader;
  }

  /**
   * Sets: The forwarding header trusted proxies set: {@code X-Forwarded-For} or {@code Forwarded}.
   *
   * @param forwardingHeader the new value
   */
  public void setForwardingHeader(String forwardingHeader) {
    this.forwardingHeader = forwardingHeader;
  }

  /**
   * Scopes this application defines, by name, with the description the API Keys page shows. A key with full access or a wildcard scope ({@code orders.*}) gets a Spring authority for every scope listed here that it covers.
   *
   * @return the current value
   */
  public Map<String, String> getScopes() {
    return scopes;
  }

  /**
   * Sets: Scopes this application defines, by name, with the description the API Keys page shows. A key with full access or a wildcard scope ({@code orders.*}) gets a Spring authority for every scope listed here that it covers.
   *
   * @param scopes the new value
   */
  public void setScopes(Map<String, String> scopes) {
    this.scopes = scopes;
  }

  /**
   * Paths Keygate leaves alone, as servlet path patterns ({@code /health}; {@code /docs/*}, everything under {@code /docs}; {@code *.css}): no key is asked for or checked there.
   *
   * @return the current value
   */
  public List<String> getPublicPaths() {
    return publicPaths;
  }

  /**
   * Sets: Paths Keygate leaves alone, as servlet path patterns ({@code /health}; {@code /docs/*}, everything under {@code /docs}; {@code *.css}): no key is asked for or checked there.
   *
   * @param publicPaths the new value
   */
  public void setPublicPaths(List<String> publicPaths) {
    this.publicPaths = publicPaths;
  }

  /**
   * Without Spring Security: scope rules the servlet filter applies, in its rule syntax, e.g. {@code GET /orders/*=orders.read} (give each rule its own index, {@code keygate.scope-rules[0]=...}, since a rule may hold commas). First match wins. With Spring Security, use its {@code hasAuthority("SCOPE_orders.read")} instead.
   *
   * @return the current value
   */
  public List<String> getScopeRules() {
    return scopeRules;
  }

  /**
   * Sets: Without Spring Security: scope rules the servlet filter applies, in its rule syntax, e.g. {@code GET /orders/*=orders.read} (give each rule its own index, {@code keygate.scope-rules[0]=...}, since a rule may hold commas). First match wins. With Spring Security, use its {@code hasAuthority("SCOPE_orders.read")} instead.
   *
   * @param scopeRules the new value
   */
  public void setScopeRules(List<String> scopeRules) {
    this.scopeRules = scopeRules;
  }

  /**
   * Longest lifetime a new key may be given; unset for no limit.
   *
   * @return the current value
   */
  public @Nullable Duration getMaxKeyLifetime() {
    return maxKeyLifetime;
  }

  /**
   * Sets: Longest lifetime a new key may be given; unset for no limit.
   *
   * @param maxKeyLifetime the new value
   */
  public void setMaxKeyLifetime(@Nullable Duration maxKeyLifetime) {
    this.maxKeyLifetime = maxKeyLifetime;
  }

  /**
   * How often usage counts (last used, request counts) are written to the store.
   *
   * @return the current value
   */
  public Duration getUsageFlushInterval() {
    return usageFlushInterval;
  }

  /**
   * Sets: How often usage counts (last used, request counts) are written to the store.
   *
   * @param usageFlushInterval the new value
   */
  public void setUsageFlushInterval(Duration usageFlushInterval) {
    this.usageFlushInterval = usageFlushInterval;
  }

  /**
   * How secrets are hashed.
   *
   * @return the current value
   */
  public Hasher getHasher() {
    return hasher;
  }

  /**
   * The verified-key and failed-key caches.
   *
   * @return the current value
   */
  public Cache getCache() {
    return cache;
  }

  /**
   * The failure throttles.
   *
   * @return the current value
   */
  public Throttle getThrottle() {
    return throttle;
  }

  /**
   * Where keys are kept.
   *
   * @return the current value
   */
  public Store getStore() {
    return store;
  }

  /**
   * The key-management API and the API Keys page.
   *
   * @return the current value
   */
  public Management getManagement() {
    return management;
  }

  /**
   * A Redis shared by the application's nodes (needs keygate-redis on the class path).
   *
   * @return the current value
   */
  public Redis getRedis() {
    return redis;
  }

  @Override
  public String toString() {
    return "KeygateProperties[keyPrefix=" + keyPrefix + ", headerNames=" + headerNames + ", hasher=" + hasher
        + ", redis=" + redis + "]";
  }

  /** How secrets are hashed. */
  public static class Hasher {
    /** Defaults, until the properties are bound. */
    public Hasher() {}

    /** {@code argon2id} (the default: OWASP parameters) or {@code hmac-sha256} (needs a pepper). */
    private String algorithm = "argon2id";

    /**
     * A server-side secret of at least 16 bytes mixed into every hash, kept out of the database
     * (set it from the environment, e.g. {@code KEYGATE_HASHER_PEPPER}). Changing it invalidates
     * every key.
     */
    private @Nullable String pepper;

    /** Identifies the pepper inside {@code hmac-sha256} hashes, so it can be rotated later. */
    private String pepperId = "1";

    /** Argon2id memory in KiB. */
    private int memoryKib = 19456;

    /** Argon2id passes. */
    private int iterations = 2;

    /** Most verifications hashing at once (default: the number of processors); others wait up to {@code wait}. */
    private @Nullable Integer maxConcurrent;

    /** How long a verification waits for a free hashing slot before the request is answered 503; unset for Keygate's default. */
    private @Nullable Duration wait;

    /**
     * {@code argon2id} (the default: OWASP parameters) or {@code hmac-sha256} (needs a pepper).
     *
     * @return the current value
     */
    public String getAlgorithm() {
      return algorithm;
    }

    /**
     * Sets: {@code argon2id} (the default: OWASP parameters) or {@code hmac-sha256} (needs a pepper).
     *
     * @param algorithm the new value
     */
    public void setAlgorithm(String algorithm) {
      this.algorithm = algorithm;
    }

    /**
     * A server-side secret of at least 16 bytes mixed into every hash, kept out of the database (set it from the environment, e.g. {@code KEYGATE_HASHER_PEPPER}). Changing it invalidates every key.
     *
     * @return the current value
     */
    public @Nullable String getPepper() {
      return pepper;
    }

    /**
     * Sets: A server-side secret of at least 16 bytes mixed into every hash, kept out of the database (set it from the environment, e.g. {@code KEYGATE_HASHER_PEPPER}). Changing it invalidates every key.
     *
     * @param pepper the new value
     */
    public void setPepper(@Nullable String pepper) {
      this.pepper = pepper;
    }

    /**
     * Identifies the pepper inside {@code hmac-sha256} hashes, so it can be rotated later.
     *
     * @return the current value
     */
    public String getPepperId() {
      return pepperId;
    }

    /**
     * Sets: Identifies the pepper inside {@code hmac-sha256} hashes, so it can be rotated later.
     *
     * @param pepperId the new value
     */
    public void setPepperId(String pepperId) {
      this.pepperId = pepperId;
    }

    /**
     * Argon2id memory in KiB.
     *
     * @return the current value
     */
    public int getMemoryKib() {
      return memoryKib;
    }

    /**
     * Sets: Argon2id memory in KiB.
     *
     * @param memoryKib the new value
     */
    public void setMemoryKib(int memoryKib) {
      this.memoryKib = memoryKib;
    }

    /**
     * Argon2id passes.
     *
     * @return the current value
     */
    public int getIterations() {
      return iterations;
    }

    /**
     * Sets: Argon2id passes.
     *
     * @param iterations the new value
     */
    public void setIterations(int iterations) {
      this.iterations = iterations;
    }

    /**
     * Most verifications hashing at once (default: the number of processors); others wait up to {@code wait}.
     *
     * @return the current value
     */
    public @Nullable Integer getMaxConcurrent() {
      return maxConcurrent;
    }

    /**
     * Sets: Most verifications hashing at once (default: the number of processors); others wait up to {@code wait}.
     *
     * @param maxConcurrent the new value
     */
    public void setMaxConcurrent(@Nullable Integer maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
    }

    /**
     * How long a verification waits for a free hashing slot before the request is answered 503; unset for Keygate's default.
     *
     * @return the current value
     */
    public @Nullable Duration getWait() {
      return wait;
    }

    /**
     * Sets: How long a verification waits for a free hashing slot before the request is answered 503; unset for Keygate's default.
     *
     * @param wait the new value
     */
    public void setWait(@Nullable Duration wait) {
      this.wait = wait;
    }

    /** Never shows the pepper. */
    @Override
    public String toString() {
      return "Hasher[" + algorithm + (pepper == null ? "" : ", peppered") + "]";
    }
  }

  /** The verified-key cache and the failed-key cache. */
  public static class Cache {
    /** Defaults, until the properties are bound. */
    public Cache() {}

    /** Most verified keys kept; unset for Keygate's default. */
    private @Nullable Long size;

    /** How long a verified key is trusted without asking the store again; unset for Keygate's default. */
    private @Nullable Duration ttl;

    /** Most failed keys remembered (answered 401 without hashing again). */
    private @Nullable Long failedSize;

    /** How long a failed key is remembered. */
    private @Nullable Duration failedTtl;

    /**
     * Most verified keys kept; unset for Keygate's default.
     *
     * @return the current value
     */
    public @Nullable Long getSize() {
      return size;
    }

    /**
     * Sets: Most verified keys kept; unset for Keygate's default.
     *
     * @param size the new value
     */
    public void setSize(@Nullable Long size) {
      this.size = size;
    }

    /**
     * How long a verified key is trusted without asking the store again; unset for Keygate's default.
     *
     * @return the current value
     */
    public @Nullable Duration getTtl() {
      return ttl;
    }

    /**
     * Sets: How long a verified key is trusted without asking the store again; unset for Keygate's default.
     *
     * @param ttl the new value
     */
    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    /**
     * Most failed keys remembered (answered 401 without hashing again).
     *
     * @return the current value
     */
    public @Nullable Long getFailedSize() {
      return failedSize;
    }

    /**
     * Sets: Most failed keys remembered (answered 401 without hashing again).
     *
     * @param failedSize the new value
     */
    public void setFailedSize(@Nullable Long failedSize) {
      this.failedSize = failedSize;
    }

    /**
     * How long a failed key is remembered.
     *
     * @return the current value
     */
    public @Nullable Duration getFailedTtl() {
      return failedTtl;
    }

    /**
     * Sets: How long a failed key is remembered.
     *
     * @param failedTtl the new value
     */
    public void setFailedTtl(@Nullable Duration failedTtl) {
      this.failedTtl = failedTtl;
    }
  }

  /** Failure throttles (answered 429 with {@code Retry-After}). */
  public static class Throttle {
    /** Defaults, until the properties are bound. */
    public Throttle() {}

    /** Failed authentications a client address may make per {@code failures-period}; unset for Keygate's default. */
    private @Nullable Integer failuresPerAddress;

    /** Wrong secrets a key id may take per {@code failures-period}; unset for Keygate's default. */
    private @Nullable Integer wrongSecretsPerKeyId;

    /** The period of both failure budgets. */
    private Duration failuresPeriod = Duration.ofMinutes(1);

    /**
     * Failed authentications a client address may make per {@code failures-period}; unset for Keygate's default.
     *
     * @return the current value
     */
    public @Nullable Integer getFailuresPerAddress() {
      return failuresPerAddress;
    }

    /**
     * Sets: Failed authentications a client address may make per {@code failures-period}; unset for Keygate's default.
     *
     * @param failuresPerAddress the new value
     */
    public void setFailuresPerAddress(@Nullable Integer failuresPerAddress) {
      this.failuresPerAddress = failuresPerAddress;
    }

    /**
     * Wrong secrets a key id may take per {@code failures-period}; unset for Keygate's default.
     *
     * @return the current value
     */
    public @Nullable Integer getWrongSecretsPerKeyId() {
      return wrongSecretsPerKeyId;
    }

    /**
     * Sets: Wrong secrets a key id may take per {@code failures-period}; unset for Keygate's default.
     *
     * @param wrongSecretsPerKeyId the new value
     */
    public void setWrongSecretsPerKeyId(@Nullable Integer wrongSecretsPerKeyId) {
      this.wrongSecretsPerKeyId = wrongSecretsPerKeyId;
    }

    /**
     * The period of both failure budgets.
     *
     * @return the current value
     */
    public Duration getFailuresPeriod() {
      return failuresPeriod;
    }

    /**
     * Sets: The period of both failure budgets.
     *
     * @param failuresPeriod the new value
     */
    public void setFailuresPeriod(Duration failuresPeriod) {
      this.failuresPeriod = failuresPeriod;
    }
  }

  /** Where keys are kept. */
  public static class Store {
    /** Defaults, until the properties are bound. */
    public Store() {}

    /**
     * {@code auto} (the JDBC store on the application's DataSource when there is one, else the
     * in-memory store with a warning), {@code jdbc} or {@code memory}.
     */
    private String type = "auto";

    /** Prefix of Keygate's table names. */
    private String tablePrefix = "keygate_";

    /**
     * Whether Keygate creates its tables at startup: through the application's Flyway (its own
     * history table {@code keygate_schema_history}) or Liquibase when present, else by its own
     * script. Turn off when the schema is managed elsewhere.
     */
    private boolean initializeSchema = true;

    /**
     * How Keygate's tables are created: {@code auto} (Flyway when the application has it, else
     * Liquibase when it has that, else Keygate's script), {@code flyway}, {@code liquibase} or
     * {@code script}.
     */
    private String migrations = "auto";

    /**
     * {@code auto} (the JDBC store on the application's DataSource when there is one, else the in-memory store with a warning), {@code jdbc} or {@code memory}.
     *
     * @return the current value
     */
    public String getType() {
      return type;
    }

    /**
     * Sets: {@code auto} (the JDBC store on the application's DataSource when there is one, else the in-memory store with a warning), {@code jdbc} or {@code memory}.
     *
     * @param type the new value
     */
    public void setType(String type) {
      this.type = type;
    }

    /**
     * How Keygate's tables are created.
     *
     * @return the current value
     */
    public String getMigrations() {
      return migrations;
    }

    /**
     * Sets: How Keygate's tables are created.
     *
     * @param migrations the new value
     */
    public void setMigrations(String migrations) {
      this.migrations = migrations;
    }

    /**
     * Prefix of Keygate's table names.
     *
     * @return the current value
     */
    public String getTablePrefix() {
      return tablePrefix;
    }

    /**
     * Sets: Prefix of Keygate's table names.
     *
     * @param tablePrefix the new value
     */
    public void setTablePrefix(String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    /**
     * Whether Keygate creates its tables at startup: through the application's Flyway (its own history table {@code keygate_schema_history}) or Liquibase when present, else by its own script. Turn off when the schema is managed elsewhere.
     *
     * @return the current value
     */
    public boolean isInitializeSchema() {
      return initializeSchema;
    }

    /**
     * Sets: Whether Keygate creates its tables at startup: through the application's Flyway (its own history table {@code keygate_schema_history}) or Liquibase when present, else by its own script. Turn off when the schema is managed elsewhere.
     *
     * @param initializeSchema the new value
     */
    public void setInitializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
    }
  }

  /** The key-management API and the API Keys page. Both off by default. */
  public static class Management {
    /** Defaults, until the properties are bound. */
    public Management() {}

    /** Whether the key-management API is served. */
    private boolean enabled;

    /** Base path of the key-management API. */
    private String path = "/keygate/api";

    /** Scope a key needs to manage its organization's keys (full-access keys may too). */
    private String adminScope = "keys.admin";

    /** Environments a key may be created in (the page offers them). */
    private List<String> environments = new ArrayList<>();

    private final Page page = new Page();

    /**
     * Whether the API Keys page is served (it calls the management API, which must be enabled too).
     *
     * @return the current value
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets: Whether the API Keys page is served (it calls the management API, which must be enabled too).
     *
     * @param enabled the new value
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Path of the page.
     *
     * @return the current value
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets: Path of the page.
     *
     * @param path the new value
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * Scope a key needs to manage its organization's keys (full-access keys may too).
     *
     * @return the current value
     */
    public String getAdminScope() {
      return adminScope;
    }

    /**
     * Sets: Scope a key needs to manage its organization's keys (full-access keys may too).
     *
     * @param adminScope the new value
     */
    public void setAdminScope(String adminScope) {
      this.adminScope = adminScope;
    }

    /**
     * Environments a key may be created in (the page offers them).
     *
     * @return the current value
     */
    public List<String> getEnvironments() {
      return environments;
    }

    /**
     * Sets: Environments a key may be created in (the page offers them).
     *
     * @param environments the new value
     */
    public void setEnvironments(List<String> environments) {
      this.environments = environments;
    }

    /**
     * The API Keys page.
     *
     * @return the current value
     */
    public Page getPage() {
      return page;
    }
  }

  /** The API Keys page. */
  public static class Page {
    /** Defaults, until the properties are bound. */
    public Page() {}

    /** Whether the API Keys page is served (it calls the management API, which must be enabled too). */
    private boolean enabled;

    /** Path of the page. */
    private String path = "/keygate/console";

    /** Product name the page shows. */
    private String productName = "API";

    /**
     * Whether the API Keys page is served (it calls the management API, which must be enabled too).
     *
     * @return the current value
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets: Whether the API Keys page is served (it calls the management API, which must be enabled too).
     *
     * @param enabled the new value
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Path of the page.
     *
     * @return the current value
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets: Path of the page.
     *
     * @param path the new value
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * Product name the page shows.
     *
     * @return the current value
     */
    public String getProductName() {
      return productName;
    }

    /**
     * Sets: Product name the page shows.
     *
     * @param productName the new value
     */
    public void setProductName(String productName) {
      this.productName = productName;
    }
  }
  /**
   * A Redis shared by the application's nodes: rate limits counted there for the whole fleet, and
   * key changes announced there. Needs keygate-redis on the class path; nothing of it applies
   * while {@code url} is unset.
   */
  public static class Redis {
    /** Defaults, until the properties are bound. */
    public Redis() {}

    /**
     * Where Redis is: {@code redis://[user:password@]host[:port][/database]}, or {@code rediss://}
     * for TLS. Unset (the default): each node keeps its rate limits in its own memory.
     */
    private @Nullable String url;

    /** The longest a request waits for Redis before its node decides alone (1 ms to 10 s). */
    private Duration timeout = Duration.ofMillis(50);

    /** While Redis does not answer, how often it is tried again (10 ms to 1 min). */
    private Duration retryInterval = Duration.ofSeconds(1);

    /** What every Redis key and channel of Keygate's starts with; nodes that share limits share it. */
    private String keyPrefix = "keygate:";

    /**
     * Whether key changes (revocations, rotations, updates) are announced to the other nodes over
     * Redis: {@code auto} (unless the store is Keygate's JDBC store on PostgreSQL, which pushes its
     * own by LISTEN/NOTIFY), {@code always} or {@code never}.
     */
    private KeyChanges keyChanges = KeyChanges.AUTO;

    /**
     * Where Redis is: {@code redis://[user:password@]host[:port][/database]}, or {@code rediss://} for TLS. Unset (the default): each node keeps its rate limits in its own memory.
     *
     * @return the current value
     */
    public @Nullable String getUrl() {
      return url;
    }

    /**
     * Sets: Where Redis is: {@code redis://[user:password@]host[:port][/database]}, or {@code rediss://} for TLS. Unset (the default): each node keeps its rate limits in its own memory.
     *
     * @param url the new value
     */
    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    /**
     * The longest a request waits for Redis before its node decides alone (1 ms to 10 s).
     *
     * @return the current value
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets: The longest a request waits for Redis before its node decides alone (1 ms to 10 s).
     *
     * @param timeout the new value
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * While Redis does not answer, how often it is tried again (10 ms to 1 min).
     *
     * @return the current value
     */
    public Duration getRetryInterval() {
      return retryInterval;
    }

    /**
     * Sets: While Redis does not answer, how often it is tried again (10 ms to 1 min).
     *
     * @param retryInterval the new value
     */
    public void setRetryInterval(Duration retryInterval) {
      this.retryInterval = retryInterval;
    }

    /**
     * What every Redis key and channel of Keygate's starts with; nodes that share limits share it.
     *
     * @return the current value
     */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /**
     * Sets: What every Redis key and channel of Keygate's starts with; nodes that share limits share it.
     *
     * @param keyPrefix the new value
     */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /**
     * Whether key changes (revocations, rotations, updates) are announced to the other nodes over Redis: {@code auto} (unless the store is Keygate's JDBC store on PostgreSQL, which pushes its own by LISTEN/NOTIFY), {@code always} or {@code never}.
     *
     * @return the current value
     */
    public KeyChanges getKeyChanges() {
      return keyChanges;
    }

    /**
     * Sets: Whether key changes (revocations, rotations, updates) are announced to the other nodes over Redis: {@code auto} (unless the store is Keygate's JDBC store on PostgreSQL, which pushes its own by LISTEN/NOTIFY), {@code always} or {@code never}.
     *
     * @param keyChanges the new value
     */
    public void setKeyChanges(KeyChanges keyChanges) {
      this.keyChanges = keyChanges;
    }

    /** Never shows the URL: it may hold a password. */
    @Override
    public String toString() {
      return "Redis[" + (url == null || url.isBlank() ? "off" : "url set, prefix=" + keyPrefix + ", keyChanges="
          + keyChanges.name().toLowerCase(java.util.Locale.ROOT)) + "]";
    }
  }

  /** Whether key changes are announced over Redis ({@code keygate.redis.key-changes}). */
  public enum KeyChanges {
    /** Announced unless the store is Keygate's JDBC store on PostgreSQL, which pushes its own changes. */
    AUTO,
    /** Always announced over Redis. */
    ALWAYS,
    /** Never announced over Redis: the store's own polling or push tells the other nodes. */
    NEVER
  }
}

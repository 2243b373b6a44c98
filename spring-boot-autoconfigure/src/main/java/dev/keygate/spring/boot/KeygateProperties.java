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
   * Paths Keygate leaves alone (Ant-style patterns such as {@code /health} or {@code /docs/**}):
   * no key is asked for or checked there.
   */
  private List<String> publicPaths = new ArrayList<>();

  /**
   * Without Spring Security: scope rules the servlet filter applies, in its rule syntax, e.g.
   * {@code GET /orders/** orders.read}. First match wins. With Spring Security, use its
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

  public String getKeyPrefix() {
    return keyPrefix;
  }

  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  public List<String> getHeaderNames() {
    return headerNames;
  }

  public void setHeaderNames(List<String> headerNames) {
    this.headerNames = headerNames;
  }

  public boolean isRequireHttps() {
    return requireHttps;
  }

  public void setRequireHttps(boolean requireHttps) {
    this.requireHttps = requireHttps;
  }

  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  public void setTrustedProxies(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  public String getForwardingHeader() {
    return forwardingHeader;
  }

  public void setForwardingHeader(String forwardingHeader) {
    this.forwardingHeader = forwardingHeader;
  }

  public Map<String, String> getScopes() {
    return scopes;
  }

  public void setScopes(Map<String, String> scopes) {
    this.scopes = scopes;
  }

  public List<String> getPublicPaths() {
    return publicPaths;
  }

  public void setPublicPaths(List<String> publicPaths) {
    this.publicPaths = publicPaths;
  }

  public List<String> getScopeRules() {
    return scopeRules;
  }

  public void setScopeRules(List<String> scopeRules) {
    this.scopeRules = scopeRules;
  }

  public @Nullable Duration getMaxKeyLifetime() {
    return maxKeyLifetime;
  }

  public void setMaxKeyLifetime(@Nullable Duration maxKeyLifetime) {
    this.maxKeyLifetime = maxKeyLifetime;
  }

  public Duration getUsageFlushInterval() {
    return usageFlushInterval;
  }

  public void setUsageFlushInterval(Duration usageFlushInterval) {
    this.usageFlushInterval = usageFlushInterval;
  }

  public Hasher getHasher() {
    return hasher;
  }

  public Cache getCache() {
    return cache;
  }

  public Throttle getThrottle() {
    return throttle;
  }

  public Store getStore() {
    return store;
  }

  public Management getManagement() {
    return management;
  }

  @Override
  public String toString() {
    return "KeygateProperties[keyPrefix=" + keyPrefix + ", headerNames=" + headerNames + ", hasher=" + hasher + "]";
  }

  /** How secrets are hashed. */
  public static class Hasher {
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

    public String getAlgorithm() {
      return algorithm;
    }

    public void setAlgorithm(String algorithm) {
      this.algorithm = algorithm;
    }

    public @Nullable String getPepper() {
      return pepper;
    }

    public void setPepper(@Nullable String pepper) {
      this.pepper = pepper;
    }

    public String getPepperId() {
      return pepperId;
    }

    public void setPepperId(String pepperId) {
      this.pepperId = pepperId;
    }

    public int getMemoryKib() {
      return memoryKib;
    }

    public void setMemoryKib(int memoryKib) {
      this.memoryKib = memoryKib;
    }

    public int getIterations() {
      return iterations;
    }

    public void setIterations(int iterations) {
      this.iterations = iterations;
    }

    public @Nullable Integer getMaxConcurrent() {
      return maxConcurrent;
    }

    public void setMaxConcurrent(@Nullable Integer maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
    }

    public @Nullable Duration getWait() {
      return wait;
    }

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
    /** Most verified keys kept; unset for Keygate's default. */
    private @Nullable Long size;

    /** How long a verified key is trusted without asking the store again; unset for Keygate's default. */
    private @Nullable Duration ttl;

    /** Most failed keys remembered (answered 401 without hashing again). */
    private @Nullable Long failedSize;

    /** How long a failed key is remembered. */
    private @Nullable Duration failedTtl;

    public @Nullable Long getSize() {
      return size;
    }

    public void setSize(@Nullable Long size) {
      this.size = size;
    }

    public @Nullable Duration getTtl() {
      return ttl;
    }

    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    public @Nullable Long getFailedSize() {
      return failedSize;
    }

    public void setFailedSize(@Nullable Long failedSize) {
      this.failedSize = failedSize;
    }

    public @Nullable Duration getFailedTtl() {
      return failedTtl;
    }

    public void setFailedTtl(@Nullable Duration failedTtl) {
      this.failedTtl = failedTtl;
    }
  }

  /** Failure throttles (answered 429 with {@code Retry-After}). */
  public static class Throttle {
    /** Failed authentications a client address may make per {@code failures-period}; unset for Keygate's default. */
    private @Nullable Integer failuresPerAddress;

    /** Wrong secrets a key id may take per {@code failures-period}; unset for Keygate's default. */
    private @Nullable Integer wrongSecretsPerKeyId;

    /** The period of both failure budgets. */
    private Duration failuresPeriod = Duration.ofMinutes(1);

    public @Nullable Integer getFailuresPerAddress() {
      return failuresPerAddress;
    }

    public void setFailuresPerAddress(@Nullable Integer failuresPerAddress) {
      this.failuresPerAddress = failuresPerAddress;
    }

    public @Nullable Integer getWrongSecretsPerKeyId() {
      return wrongSecretsPerKeyId;
    }

    public void setWrongSecretsPerKeyId(@Nullable Integer wrongSecretsPerKeyId) {
      this.wrongSecretsPerKeyId = wrongSecretsPerKeyId;
    }

    public Duration getFailuresPeriod() {
      return failuresPeriod;
    }

    public void setFailuresPeriod(Duration failuresPeriod) {
      this.failuresPeriod = failuresPeriod;
    }
  }

  /** Where keys are kept. */
  public static class Store {
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

    public String getType() {
      return type;
    }

    public void setType(String type) {
      this.type = type;
    }

    public String getTablePrefix() {
      return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    public boolean isInitializeSchema() {
      return initializeSchema;
    }

    public void setInitializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
    }
  }

  /** The key-management API and the API Keys page. Both off by default. */
  public static class Management {
    /** Whether the key-management API is served. */
    private boolean enabled;

    /** Base path of the key-management API. */
    private String path = "/keygate/api";

    /** Scope a key needs to manage its organization's keys (full-access keys may too). */
    private String adminScope = "keys.admin";

    /** Environments a key may be created in (the page offers them). */
    private List<String> environments = new ArrayList<>();

    private final Page page = new Page();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public String getAdminScope() {
      return adminScope;
    }

    public void setAdminScope(String adminScope) {
      this.adminScope = adminScope;
    }

    public List<String> getEnvironments() {
      return environments;
    }

    public void setEnvironments(List<String> environments) {
      this.environments = environments;
    }

    public Page getPage() {
      return page;
    }
  }

  /** The API Keys page. */
  public static class Page {
    /** Whether the API Keys page is served (it calls the management API, which must be enabled too). */
    private boolean enabled;

    /** Path of the page. */
    private String path = "/keygate/console";

    /** Product name the page shows. */
    private String productName = "API";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public String getProductName() {
      return productName;
    }

    public void setProductName(String productName) {
      this.productName = productName;
    }
  }
}

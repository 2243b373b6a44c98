package dev.keygate.spring.boot;

import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationEngine;
import dev.keygate.BearerTokenAuthenticator;
import dev.keygate.ForwardingHeader;
import dev.keygate.KeyEventListener;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiters;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.hash.KeyHasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Keygate's core beans: the hasher, the store (see {@link KeygateStoreConfiguration}) and the
 * {@link Keygate} root object with its {@link AuthenticationEngine}. Each is replaced by a bean of
 * the same type that the application defines.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
    "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@EnableConfigurationProperties(KeygateProperties.class)
@Import({KeygateStoreConfiguration.Jdbc.class, KeygateStoreConfiguration.Memory.class, KeygateRedisConfiguration.class})
public class KeygateAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(KeygateAutoConfiguration.class);

  /**
   * The hasher of {@code keygate.hasher.*}: Argon2id by default, HMAC-SHA-256 with a pepper.
   *
   * @param properties the {@code keygate.*} properties
   * @return the hasher
   */
  @Bean
  @ConditionalOnMissingBean
  public KeyHasher keygateKeyHasher(KeygateProperties properties) {
    KeygateProperties.Hasher h = properties.getHasher();
    String pepper = h.getPepper();
    byte[] pepperBytes = pepper == null || pepper.isEmpty() ? null : pepper.getBytes(StandardCharsets.UTF_8);
    switch (h.getAlgorithm().toLowerCase(Locale.ROOT)) {
      case "argon2id": {
        Argon2idHasher.Builder argon = Argon2idHasher.builder().memoryKib(h.getMemoryKib()).iterations(h.getIterations());
        if (pepperBytes != null) {
          argon.pepper(pepperBytes);
        }
        return argon.build();
      }
      case "hmac-sha256":
        if (pepperBytes == null) {
          throw new IllegalStateException("keygate.hasher.algorithm=hmac-sha256 needs keygate.hasher.pepper "
              + "(at least 16 bytes, kept out of the database)");
        }
        return HmacSha256Hasher.withPepper(pepperBytes, h.getPepperId());
      default:
        throw new IllegalStateException("keygate.hasher.algorithm must be argon2id or hmac-sha256, got '"
            + h.getAlgorithm() + "'");
    }
  }

  /**
   * The root object: engine and key service on one configuration, closed with the context.
   *
   * @param properties the {@code keygate.*} properties
   * @param store the store
   * @param schema the schema, created before the engine first reads the store
   * @param hasher the hasher
   * @param listeners the application's audit listeners
   * @param clock the application's clock, if it defines one
   * @param bearer the application's Bearer token check, if it defines one (the management API
   *     then accepts those tokens too)
   * @param rateLimiters where rate-limit buckets live: the application's, or those of a shared
   *     Redis ({@code keygate.redis.url}); each node's memory when there are none. Injected, not
   *     looked up, so that Spring closes this bean before them (and before the Redis they use)
   * @param storeDecorator how the store is read: announcing key changes over a shared Redis
   *     ({@code keygate.redis.key-changes}); as it is when there is none
   * @return the root object
   */
  @Bean
  @ConditionalOnMissingBean
  public Keygate keygate(KeygateProperties properties, ApiKeyStore store, KeygateSchema schema, KeyHasher hasher,
      ObjectProvider<KeyEventListener> listeners, ObjectProvider<Clock> clock,
      ObjectProvider<BearerTokenAuthenticator> bearer, @Nullable RateLimiters rateLimiters,
      @Nullable KeygateStoreDecorator storeDecorator) {
    schema.ensure();
    Keygate.Builder b = Keygate.builder().store(storeDecorator == null ? store : storeDecorator.decorate(store))
        .keyFormat(KeyFormat.withPrefix(properties.getKeyPrefix()))
        .hasher(hasher).apiKeyHeaders(properties.getHeaderNames().toArray(String[]::new))
        .requireHttps(properties.isRequireHttps()).trustedProxies(properties.getTrustedProxies())
        .forwardingHeader(forwardingHeader(properties.getForwardingHeader()))
        .usageFlushInterval(properties.getUsageFlushInterval());
    KeyEventListener[] ls = listeners.orderedStream().toArray(KeyEventListener[]::new);
    if (ls.length > 0) {
      b.listeners(ls);
    }
    clock.ifAvailable(b::clock);
    bearer.ifAvailable(b::bearerAuthenticator);
    if (rateLimiters != null) {
      b.rateLimiters(rateLimiters);
    }
    if (properties.getMaxKeyLifetime() != null) {
      b.maxKeyLifetime(properties.getMaxKeyLifetime());
    }
    KeygateProperties.Cache cache = properties.getCache();
    if (cache.getSize() != null) {
      b.verifiedKeyCacheSize(cache.getSize());
    }
    if (cache.getTtl() != null) {
      b.verifiedKeyCacheDuration(cache.getTtl());
    }
    if (cache.getFailedSize() != null) {
      b.failedKeyCacheSize(cache.getFailedSize());
    }
    if (cache.getFailedTtl() != null) {
      b.failedKeyCacheDuration(cache.getFailedTtl());
    }
    KeygateProperties.Hasher hashing = properties.getHasher();
    if (hashing.getMaxConcurrent() != null) {
      b.maxConcurrentHashes(hashing.getMaxConcurrent());
    }
    if (hashing.getWait() != null) {
      b.hashingWait(hashing.getWait());
    }
    KeygateProperties.Throttle t = properties.getThrottle();
    if (t.getFailuresPerAddress() != null) {
      b.failuresPerAddress(new RateLimit(t.getFailuresPerAddress(), t.getFailuresPeriod()));
    }
    if (t.getWrongSecretsPerKeyId() != null) {
      b.wrongSecretsPerKeyId(new RateLimit(t.getWrongSecretsPerKeyId(), t.getFailuresPeriod()));
    }
    Keygate keygate = b.build();
    LOG.info("Keygate started: keys {}_..., headers {}, store {}, rate limits {}", properties.getKeyPrefix(),
        properties.getHeaderNames(), store.getClass().getSimpleName(),
        rateLimiters == null ? "in this node's memory" : "in " + rateLimiters);
    return keygate;
  }

  /**
   * The engine of the {@link Keygate} bean (closed with it).
   *
   * @param keygate the root object
   * @return its engine
   */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  public AuthenticationEngine keygateAuthenticationEngine(Keygate keygate) {
    return keygate.engine();
  }

  private static ForwardingHeader forwardingHeader(String value) {
    if (value.equalsIgnoreCase("X-Forwarded-For")) {
      return ForwardingHeader.X_FORWARDED_FOR;
    }
    if (value.equalsIgnoreCase("Forwarded")) {
      return ForwardingHeader.FORWARDED;
    }
    throw new IllegalStateException("keygate.forwarding-header must be X-Forwarded-For or Forwarded, got '" + value + "'");
  }

  /** The in-memory store, for applications without a database. */
  static ApiKeyStore inMemory() {
    LOG.warn("Keygate keeps its keys in memory: they are lost when the application stops, and each "
        + "instance has its own. Give the application a DataSource (and keygate-jdbc) to keep them.");
    return new InMemoryApiKeyStore();
  }
}

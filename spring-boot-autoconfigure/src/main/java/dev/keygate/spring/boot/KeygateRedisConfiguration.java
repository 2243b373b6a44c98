package dev.keygate.spring.boot;

import dev.keygate.ApiKeyStore;
import dev.keygate.RateLimiters;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.redis.KeygateRedis;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * A Redis shared by the application's nodes ({@code keygate.redis.*}, with keygate-redis on the
 * class path): the {@link KeygateRedis} bean when {@code keygate.redis.url} is set, the rate
 * limiters it keeps in Redis, and the store Keygate reads through, which announces key changes
 * over Redis unless the database pushes its own. Each bean gives way to the application's.
 *
 * <p>The beans are declared in this order on purpose: the later ones are conditional on a {@code
 * KeygateRedis} bean, the application's or the first one here.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(KeygateRedis.class)
class KeygateRedisConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(KeygateRedisConfiguration.class);
  private static final String JDBC_STORE = "dev.keygate.jdbc.JdbcApiKeyStore";

  /**
   * Keygate's connection to Redis, from {@code keygate.redis.*}; closed by Spring after the
   * {@code Keygate} bean, which depends on it. A Redis that does not answer yet does not fail the
   * start (each node limits alone until it answers); a bad setting does, naming the property.
   *
   * @param properties the {@code keygate.*} properties
   * @return the connected (or connecting) Keygate Redis
   */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(RedisUrlSet.class)
  KeygateRedis keygateRedis(KeygateProperties properties) {
    KeygateProperties.Redis r = properties.getRedis();
    KeygateRedis.Builder b = KeygateRedis.builder();
    String url = r.getUrl();
    try {
      b.uri(url == null ? "" : url.strip());
    } catch (RuntimeException e) {
      // neither the value nor the parser's message (which may quote it): it may hold a password
      throw new IllegalStateException("keygate.redis.url is not a Redis URI "
          + "(redis://[user:password@]host[:port][/database], or rediss:// for TLS); the value is not repeated here");
    }
    set("keygate.redis.timeout", "1ms and 10s", r.getTimeout(), b::timeout);
    set("keygate.redis.retry-interval", "10ms and 1m", r.getRetryInterval(), b::retryInterval);
    try {
      b.keyPrefix(r.getKeyPrefix());
    } catch (RuntimeException e) {
      throw new IllegalStateException("keygate.redis.key-prefix must be 1 to 64 characters without white space, got '"
          + r.getKeyPrefix() + "'");
    }
    KeygateRedis redis = b.build();
    LOG.info("Keygate shares its rate limits in Redis: {}", redis);
    return redis;
  }

  private static void set(String property, String range, @Nullable Duration value, Consumer<Duration> setter) {
    try {
      setter.accept(value);
    } catch (RuntimeException e) {
      throw new IllegalStateException(property + " must be between " + range + ", got " + value);
    }
  }

  /**
   * The rate limiters of the {@code KeygateRedis} bean (buckets in Redis, shared by every node),
   * for the {@code Keygate} bean; an application's own {@code RateLimiters} bean wins.
   *
   * @param redis the Keygate Redis bean
   * @return its limiters (closed with it, not by Spring)
   */
  @Bean(destroyMethod = "")
  @ConditionalOnBean(KeygateRedis.class)
  @ConditionalOnMissingBean
  RateLimiters keygateRateLimiters(KeygateRedis redis) {
    return redis.rateLimiters();
  }

  /**
   * How the {@code Keygate} bean reads the store, per {@code keygate.redis.key-changes}: through
   * {@link KeygateRedis#invalidating}, which announces each change to the other nodes, or directly.
   *
   * @param redis the Keygate Redis bean
   * @param properties the {@code keygate.*} properties
   * @param dataSource the application's DataSource, if it has one: its database decides {@code auto}
   * @return the decorator the {@code Keygate} bean applies to the store
   */
  @Bean
  @ConditionalOnBean(KeygateRedis.class)
  KeygateStoreDecorator keygateRedisKeyChanges(KeygateRedis redis, KeygateProperties properties,
      ObjectProvider<DataSource> dataSource) {
    KeygateProperties.KeyChanges mode = properties.getRedis().getKeyChanges();
    return store -> {
      boolean announce = announces(mode, store, dataSource.getIfUnique());
      String setting = "keygate.redis.key-changes=" + mode.name().toLowerCase(Locale.ROOT);
      if (announce) {
        LOG.info("Keygate announces key changes to the other nodes over Redis ({})", setting);
        return redis.invalidating(store);
      }
      LOG.info("Keygate does not announce key changes over Redis ({}{})", setting,
          mode == KeygateProperties.KeyChanges.AUTO ? ": PostgreSQL pushes them by LISTEN/NOTIFY" : "");
      return store;
    };
  }

  /**
   * Whether key changes are announced over Redis: {@code auto} announces them unless the store is
   * Keygate's JDBC store on PostgreSQL (read from the DataSource; a database that cannot be asked
   * gets the announcements, which cost nothing but a message where they were not needed).
   */
  static boolean announces(KeygateProperties.KeyChanges mode, ApiKeyStore store, @Nullable DataSource dataSource) {
    switch (mode) {
      case ALWAYS:
        return true;
      case NEVER:
        return false;
      default:
        return !(dataSource != null && ClassUtils.isPresent(JDBC_STORE, KeygateRedisConfiguration.class.getClassLoader())
            && Jdbc.isJdbcStore(store) && isPostgres(dataSource));
    }
  }

  private static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql");
    } catch (SQLException | RuntimeException e) {
      // the driver's message may hold the connection string: its type only
      LOG.warn("Keygate could not tell which database its store is on ({}): key changes are announced over Redis",
          e.getClass().getSimpleName());
      return false;
    }
  }

  /** Kept apart, so that the JDBC store's class is loaded only when it is on the class path. */
  private static final class Jdbc {
    static boolean isJdbcStore(ApiKeyStore store) {
      return store instanceof JdbcApiKeyStore;
    }
  }

  /** {@code keygate.redis.url} is set and not blank; never shows the value (it may hold a password). */
  static final class RedisUrlSet extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("keygate.redis.url");
      return url != null && !url.isBlank() ? ConditionOutcome.match("keygate.redis.url is set")
          : ConditionOutcome.noMatch("keygate.redis.url is not set");
    }
  }
}

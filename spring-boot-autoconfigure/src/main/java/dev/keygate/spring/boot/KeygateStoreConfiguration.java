package dev.keygate.spring.boot;

import dev.keygate.ApiKeyStore;
import dev.keygate.jdbc.JdbcApiKeyStore;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/** The store: JDBC on the application's DataSource, or in memory when there is none. */
final class KeygateStoreConfiguration {
  private static final String FLYWAY = "org.flywaydb.core.Flyway";
  private static final String LIQUIBASE = "liquibase.command.CommandScope";

  private KeygateStoreConfiguration() {}

  /** The JDBC store on the application's one DataSource, unless {@code keygate.store.type=memory}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcApiKeyStore.class)
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnExpression("'${keygate.store.type:auto}' != 'memory'")
  static class Jdbc {
    @Bean
    @ConditionalOnMissingBean(ApiKeyStore.class)
    JdbcApiKeyStore keygateStore(DataSource dataSource, KeygateProperties properties) {
      return JdbcApiKeyStore.builder().dataSource(dataSource).tablePrefix(properties.getStore().getTablePrefix())
          .build();
    }

    // after the application's own migrations (Flyway, Liquibase, schema.sql): Keygate's tables in a
    // schema the application's Flyway found empty would make it refuse to migrate
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    KeygateSchema keygateSchema(ApiKeyStore store, DataSource dataSource, KeygateProperties properties) {
      if (!properties.getStore().isInitializeSchema() || !(store instanceof JdbcApiKeyStore jdbc)) {
        return KeygateSchema.NONE;
      }
      String prefix = properties.getStore().getTablePrefix();
      String tool = properties.getStore().getMigrations();
      ClassLoader loader = KeygateStoreConfiguration.class.getClassLoader();
      boolean auto = tool.equals("auto");
      if (tool.equals("flyway") || (auto && ClassUtils.isPresent(FLYWAY, loader))) {
        return new FlywaySchema(dataSource, jdbc, prefix);
      }
      if (tool.equals("liquibase") || (auto && ClassUtils.isPresent(LIQUIBASE, loader))) {
        return new LiquibaseSchema(dataSource, jdbc, prefix);
      }
      if (auto || tool.equals("script")) {
        return jdbc::createSchemaIfMissing;
      }
      throw new IllegalStateException("keygate.store.migrations must be auto, flyway, liquibase or script, got '"
          + tool + "'");
    }
  }

  /** The in-memory store when no other applies; {@code keygate.store.type=jdbc} without a DataSource fails the start. */
  @Configuration(proxyBeanMethods = false)
  static class Memory {
    @Bean
    @ConditionalOnMissingBean(ApiKeyStore.class)
    ApiKeyStore keygateStore(KeygateProperties properties) {
      String type = properties.getStore().getType();
      if (type.equals("jdbc")) {
        throw new IllegalStateException("keygate.store.type=jdbc needs a single DataSource bean and keygate-jdbc on the class path");
      }
      if (!type.equals("auto") && !type.equals("memory")) {
        throw new IllegalStateException("keygate.store.type must be auto, jdbc or memory, got '" + type + "'");
      }
      return KeygateAutoConfiguration.inMemory();
    }

    @Bean
    @ConditionalOnMissingBean
    KeygateSchema keygateSchema() {
      return KeygateSchema.NONE;
    }
  }
}

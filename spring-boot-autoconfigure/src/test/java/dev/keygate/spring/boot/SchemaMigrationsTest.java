package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKeyStore;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.jdbc.JdbcApiKeyStore;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each way Keygate creates its tables, on a real H2 database: through Liquibase and through its own
 * script (Flyway is the contract's, on H2 and PostgreSQL), each able to start again on the schema
 * it made; and none at all.
 */
class SchemaMigrationsTest {
  private ApplicationContextRunner runner(String database) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, KeygateAutoConfiguration.class))
        .withPropertyValues("keygate.hasher.memory-kib=1024",
            "spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
  }

  private static void keysWork(org.springframework.context.ApplicationContext context) {
    assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(JdbcApiKeyStore.class);
    Keygate keygate = context.getBean(Keygate.class);
    String id = keygate.keys().create(NewKey.named("after migration")).key().id();
    assertThat(keygate.keys().get(id)).isPresent();
  }

  @Test
  void liquibaseRecordsItsChangeSetInTablesOfItsOwnAndRunsItOnce() {
    String db = "lb" + UUID.randomUUID();
    for (int start = 0; start < 2; start++) {
      runner(db).withPropertyValues("keygate.store.migrations=liquibase").run(context -> {
        assertThat(context).hasNotFailed();
        keysWork(context);
        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
        assertThat(jdbc.queryForList("SELECT ID FROM KEYGATE_DATABASECHANGELOG", String.class)).containsExactly("keygate-1");
      });
    }
  }

  @Test
  void theScriptCreatesWhatIsMissingAndIsHarmlessTheSecondTime() {
    String db = "script" + UUID.randomUUID();
    for (int start = 0; start < 2; start++) {
      runner(db).withPropertyValues("keygate.store.migrations=script").run(context -> {
        assertThat(context).hasNotFailed();
        keysWork(context);
      });
    }
  }

  @Test
  void initializeSchemaOffLeavesTheDatabaseAlone() {
    runner("none" + UUID.randomUUID()).withPropertyValues("keygate.store.initialize-schema=false").run(context -> {
      assertThat(context).hasNotFailed();
      JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
      assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) LIKE 'keygate%'",
          Integer.class)).isZero();
    });
  }

  @Test
  void anUnknownMigrationToolFailsTheStart() {
    runner("bad" + UUID.randomUUID()).withPropertyValues("keygate.store.migrations=sqitch").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("keygate.store.migrations"));
  }
}

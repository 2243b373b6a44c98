package dev.keygate.spring.boot;

import dev.keygate.jdbc.JdbcApiKeyStore;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Keygate's schema as a Flyway migration with its own history table ({@code <prefix>schema_history}),
 * so its versions never mix with the application's migrations and the application's locations are
 * never scanned. A schema that already holds the application's tables is baselined at version 0,
 * below Keygate's version 1.
 */
final class FlywaySchema implements KeygateSchema {
  private final DataSource dataSource;
  private final JdbcApiKeyStore store;
  private final String historyTable;

  FlywaySchema(DataSource dataSource, JdbcApiKeyStore store, String tablePrefix) {
    this.dataSource = dataSource;
    this.store = store;
    this.historyTable = tablePrefix + "schema_history";
  }

  @Override
  public void ensure() {
    Flyway.configure(FlywaySchema.class.getClassLoader()).dataSource(dataSource).table(historyTable)
        .locations("classpath:dev/keygate/spring/boot/flyway").javaMigrations(new Version1(store))
        .baselineOnMigrate(true).baselineVersion("0").load().migrate();
  }

  /** Version 1: the tables and indexes of keygate-jdbc's schema script. */
  private static final class Version1 implements JavaMigration {
    private final JdbcApiKeyStore store;

    Version1(JdbcApiKeyStore store) {
      this.store = store;
    }

    @Override
    public MigrationVersion getVersion() {
      return MigrationVersion.fromVersion("1");
    }

    @Override
    public String getDescription() {
      return "keygate schema";
    }

    @Override
    public Integer getChecksum() {
      return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
      return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
      store.createSchemaIfMissing(context.getConnection());
    }
  }
}

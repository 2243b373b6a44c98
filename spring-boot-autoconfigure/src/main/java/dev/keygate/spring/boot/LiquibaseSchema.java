package dev.keygate.spring.boot;

import dev.keygate.jdbc.JdbcApiKeyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.change.custom.CustomTaskChange;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * Keygate's schema as a Liquibase change set ({@code keygate-changelog.xml}), recorded in
 * changelog tables of its own ({@code <prefix>databasechangelog}), so it neither reads nor locks
 * the application's.
 */
final class LiquibaseSchema implements KeygateSchema {
  static final String CHANGELOG = "dev/keygate/spring/boot/liquibase/keygate-changelog.xml";
  private static final String STORE = LiquibaseSchema.class.getName() + ".store";

  private final DataSource dataSource;
  private final JdbcApiKeyStore store;
  private final String tablePrefix;

  LiquibaseSchema(DataSource dataSource, JdbcApiKeyStore store, String tablePrefix) {
    this.dataSource = dataSource;
    this.store = store;
    this.tablePrefix = tablePrefix;
  }

  @Override
  public void ensure() {
    try (Connection c = dataSource.getConnection()) {
      Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      db.setDatabaseChangeLogTableName(tablePrefix + "databasechangelog");
      db.setDatabaseChangeLogLockTableName(tablePrefix + "databasechangeloglock");
      ResourceAccessor resources = new ClassLoaderResourceAccessor(LiquibaseSchema.class.getClassLoader());
      Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources, STORE, store), () ->
          new CommandScope(UpdateCommandStep.COMMAND_NAME)
              .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, db)
              .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
              .execute());
    } catch (SQLException e) {
      throw new IllegalStateException("Keygate's Liquibase change set could not reach the database", e);
    } catch (Exception e) {
      throw new IllegalStateException("Keygate's Liquibase change set failed: " + e.getMessage(), e);
    }
  }

  /** The change set's work: keygate-jdbc's schema script on Liquibase's connection. */
  public static final class Version1 implements CustomTaskChange {
    /** Liquibase instantiates it. */
    public Version1() {}

    @Override
    public void execute(Database database) throws CustomChangeException {
      JdbcApiKeyStore store = Scope.getCurrentScope().get(STORE, JdbcApiKeyStore.class);
      if (store == null) {
        throw new CustomChangeException("Keygate's change set runs only through Keygate's auto-configuration");
      }
      try {
        store.createSchemaIfMissing(((JdbcConnection) database.getConnection()).getUnderlyingConnection());
      } catch (SQLException e) {
        throw new CustomChangeException("Keygate's schema script failed", e);
      }
    }

    @Override
    public String getConfirmationMessage() {
      return "Keygate's tables and indexes created";
    }

    @Override
    public void setUp() {}

    @Override
    public void setFileOpener(ResourceAccessor resourceAccessor) {}

    @Override
    public ValidationErrors validate(Database database) {
      return new ValidationErrors();
    }
  }
}

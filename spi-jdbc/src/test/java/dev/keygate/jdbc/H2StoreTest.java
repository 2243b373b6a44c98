package dev.keygate.jdbc;

import dev.keygate.spi.ApiKeyStore;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The contract on an in-memory H2 database. */
class H2StoreTest extends JdbcStoreContractTest {
  private static int databases;
  private final String url = "jdbc:h2:mem:keygate" + (++databases) + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
  private final DataSource dataSource = openH2(url);

  static JdbcDataSource openH2(String url) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    ds.setUser("sa");
    return ds;
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }

  @Override
  protected DataSource openDataSource() {
    return openH2(url);
  }

  @Override
  protected void closeDataSource(DataSource ds) {}

  @Override
  protected void closeStore(ApiKeyStore store) throws Exception {
    super.closeStore(store);
    // an in-memory database with DB_CLOSE_DELAY=-1 lives as long as the JVM: mutation testing runs
    // these tests thousands of times in one JVM
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("SHUTDOWN");
    }
  }

  @Override
  protected SqlDialect expectedDialect() {
    return SqlDialect.H2;
  }
}

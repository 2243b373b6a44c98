package dev.keygate.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * H2's data source, opened only while the data directory takes a write. H2 2.4.240 can leave its
 * file locked when opening a database fails half-way on a full disk (its {@code Store} opens and
 * locks the file, then does not close it when setting up the transaction store fails); every later
 * connection in the process is then refused with 90020 ("The file is locked") until a restart.
 * So while the disk is full a new connection is refused here, before H2 touches the file, and the
 * pool tries again.
 */
final class GuardedH2DataSource implements DataSource {
  private final Path dataDir;
  private final JdbcDataSource h2 = new JdbcDataSource();

  GuardedH2DataSource(Path dataDir, String url) {
    this.dataDir = dataDir;
    h2.setURL(url);
    h2.setUser("sa");
    h2.setPassword("");
  }

  /**
   * A new connection to the database.
   *
   * @throws SQLException SQLState 08001 when the data directory does not take a write, or H2's own
   */
  @Override
  public Connection getConnection() throws SQLException {
    try {
      EmbeddedH2.probe(dataDir);
    } catch (IOException e) {
      throw new SQLException("the data directory " + dataDir + " does not take writes ("
          + EmbeddedH2.reason(e) + "); the database is not opened until it does", "08001", e);
    }
    return h2.getConnection();
  }

  /** Refused: the user is set once, here. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the user of the sample's database is fixed");
  }

  @Override
  public PrintWriter getLogWriter() {
    return h2.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    h2.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) {
    h2.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return h2.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}

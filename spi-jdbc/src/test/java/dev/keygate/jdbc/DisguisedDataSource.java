package dev.keygate.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransactionRollbackException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A real database seen through a driver that behaves as some others do, or through a database
 * that fails as real ones do under load: it reports another product name, it has no query
 * timeouts, its connections do not unwrap to the real driver's (as a pool's or tracing wrapper's
 * may not), it refuses auto-commit, or its commits lose serialization races. Everything else goes
 * to the real connection. These are the seams no embedded database offers on demand.
 */
final class DisguisedDataSource {
  /** Every statement prepared through this source. */
  final List<PreparedStatement> prepared = new CopyOnWriteArrayList<>();
  /** How many commits were asked for. */
  final AtomicInteger commits = new AtomicInteger();
  /** How many connections were borrowed, and how many of them given back. */
  final AtomicInteger borrowed = new AtomicInteger();
  final AtomicInteger givenBack = new AtomicInteger();

  private final DataSource real;
  private String productName;
  private boolean refuseQueryTimeouts;
  private boolean opaque;
  private boolean refuseAutoCommit;
  private final AtomicInteger commitsToFail = new AtomicInteger();
  private SQLException updateFailure;
  private String failingQuery;
  private final AtomicInteger queriesToFail = new AtomicInteger();

  private DisguisedDataSource(DataSource real) {
    this.real = real;
  }

  /** {@code real}, whose connections report {@code productName} as their database. */
  static DataSource reportingProduct(DataSource real, String productName) {
    DisguisedDataSource d = new DisguisedDataSource(real);
    d.productName = productName;
    return d.dataSource();
  }

  /**
   * {@code real} through a driver whose statements refuse {@code setQueryTimeout} with SQLState
   * 0A000, as drivers without query timeouts do.
   */
  static DisguisedDataSource withoutQueryTimeouts(DataSource real) {
    DisguisedDataSource d = new DisguisedDataSource(real);
    d.refuseQueryTimeouts = true;
    return d;
  }

  /** {@code real}, whose connections wrap nothing: {@code isWrapperFor} is false for any type. */
  static DataSource opaque(DataSource real) {
    DisguisedDataSource d = new DisguisedDataSource(real);
    d.opaque = true;
    return d.dataSource();
  }

  /** {@code real}, whose connections refuse {@code setAutoCommit(true)} with SQLState HY000. */
  static DataSource refusingAutoCommit(DataSource real) {
    DisguisedDataSource d = new DisguisedDataSource(real);
    d.refuseAutoCommit = true;
    return d.dataSource();
  }

  /**
   * {@code real}, whose next {@code failures} commits fail with SQLState 40001 (a serialization
   * failure: the database rolled the transaction back) instead of committing.
   */
  static DisguisedDataSource losingRaces(DataSource real, int failures) {
    DisguisedDataSource d = new DisguisedDataSource(real);
    d.commitsToFail.set(failures);
    return d;
  }

  /** {@code real}, whose every {@code executeUpdate} of a prepared statement throws {@code e}. */
  static DataSource failingUpdates(DataSource real, SQLException e) {
    DisguisedDataSource d = new DisguisedDataSource(real);
    d.updateFailure = e;
    return d.dataSource();
  }

  /**
   * {@code real}, whose driver throws an IllegalStateException (as a driver's bug would) the first
   * {@code failures} times a prepared statement of {@code sql} is executed.
   */
  static DisguisedDataSource breakingOn(DataSource real, String sql, int failures) {
    DisguisedDataSource d = new DisguisedDataSource(real);
    d.failingQuery = sql;
    d.queriesToFail.set(failures);
    return d;
  }

  DataSource dataSource() {
    return proxy(DataSource.class, real, (method, args) -> {
      if (!method.getName().equals("getConnection")) {
        return NOT_HANDLED;
      }
      Connection c = connection((Connection) call(real, method, args));
      borrowed.incrementAndGet();
      return c;
    });
  }

  private Connection connection(Connection c) {
    return proxy(Connection.class, c, (method, args) -> switch (method.getName()) {
      case "getMetaData" -> metaData((DatabaseMetaData) call(c, method, args));
      case "prepareStatement" -> statement((String) args[0],
          (PreparedStatement) call(c, method, args));
      case "close" -> {
        givenBack.incrementAndGet();
        yield NOT_HANDLED;
      }
      case "isWrapperFor" -> opaque ? Boolean.FALSE : NOT_HANDLED;
      case "setAutoCommit" -> {
        if (refuseAutoCommit && (Boolean) args[0]) {
          throw new SQLException("auto-commit cannot be turned on", "HY000");
        }
        yield NOT_HANDLED;
      }
      case "commit" -> {
        commits.incrementAndGet();
        if (commitsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          c.rollback();
          throw new SQLTransactionRollbackException("could not serialize access", "40001");
        }
        yield NOT_HANDLED;
      }
      default -> NOT_HANDLED;
    });
  }

  private DatabaseMetaData metaData(DatabaseMetaData m) {
    return proxy(DatabaseMetaData.class, m, (method, args) ->
        productName != null && method.getName().equals("getDatabaseProductName")
            ? productName : NOT_HANDLED);
  }

  private PreparedStatement statement(String sql, PreparedStatement ps) {
    PreparedStatement p = proxy(PreparedStatement.class, ps, (method, args) -> {
      if (refuseQueryTimeouts && method.getName().equals("setQueryTimeout")) {
        throw new SQLFeatureNotSupportedException("query timeouts are not supported", "0A000");
      }
      if (updateFailure != null && method.getName().equals("executeUpdate")) {
        throw updateFailure;
      }
      if (sql.equals(failingQuery) && method.getName().equals("executeQuery")
          && queriesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("driver bug");
      }
      return NOT_HANDLED;
    });
    prepared.add(p);
    return p;
  }

  private static final Object NOT_HANDLED = new Object();

  @FunctionalInterface
  private interface Answer {
    /** The answer to {@code method}, or {@link #NOT_HANDLED} to pass it to the real object. */
    Object answer(Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, T target, Answer answer) {
    InvocationHandler h = (p, method, args) -> {
      Object a = answer.answer(method, args);
      return a != NOT_HANDLED ? a : call(target, method, args);
    };
    return type.cast(Proxy.newProxyInstance(DisguisedDataSource.class.getClassLoader(),
        new Class<?>[] {type}, h));
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}

package dev.keygate.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A real database seen through a driver that behaves as some others do: it reports another product
 * name, it has no query timeouts, or its connections do not unwrap to the real driver's (as a pool
 * or tracing wrapper's may not). Everything else goes to the real connection. These are the seams
 * no embedded database offers.
 */
final class DisguisedDataSource {
  /** Every statement prepared through a source made by {@link #withoutQueryTimeouts}. */
  final List<PreparedStatement> prepared = new CopyOnWriteArrayList<>();

  private final DataSource real;
  private final String productName;
  private final boolean refuseQueryTimeouts;
  private final boolean opaque;

  private DisguisedDataSource(DataSource real, String productName, boolean refuseQueryTimeouts,
      boolean opaque) {
    this.real = real;
    this.productName = productName;
    this.refuseQueryTimeouts = refuseQueryTimeouts;
    this.opaque = opaque;
  }

  /** {@code real}, whose connections report {@code productName} as their database. */
  static DataSource reportingProduct(DataSource real, String productName) {
    return new DisguisedDataSource(real, productName, false, false).dataSource();
  }

  /**
   * {@code real} through a driver whose statements refuse {@code setQueryTimeout} with SQLState
   * 0A000, as drivers without query timeouts do.
   */
  static DisguisedDataSource withoutQueryTimeouts(DataSource real) {
    return new DisguisedDataSource(real, null, true, false);
  }

  /** {@code real}, whose connections wrap nothing: {@code isWrapperFor} is false for any type. */
  static DataSource opaque(DataSource real) {
    return new DisguisedDataSource(real, null, false, true).dataSource();
  }

  DataSource dataSource() {
    return proxy(DataSource.class, real, (method, args) -> method.getName().equals("getConnection")
        ? connection((Connection) call(real, method, args)) : NOT_HANDLED);
  }

  private Connection connection(Connection c) {
    return proxy(Connection.class, c, (method, args) -> switch (method.getName()) {
      case "getMetaData" -> metaData((DatabaseMetaData) call(c, method, args));
      case "prepareStatement" -> statement((PreparedStatement) call(c, method, args));
      case "isWrapperFor" -> opaque ? Boolean.FALSE : NOT_HANDLED;
      default -> NOT_HANDLED;
    });
  }

  private DatabaseMetaData metaData(DatabaseMetaData m) {
    return proxy(DatabaseMetaData.class, m, (method, args) ->
        productName != null && method.getName().equals("getDatabaseProductName")
            ? productName : NOT_HANDLED);
  }

  private PreparedStatement statement(PreparedStatement ps) {
    PreparedStatement p = proxy(PreparedStatement.class, ps, (method, args) -> {
      if (refuseQueryTimeouts && method.getName().equals("setQueryTimeout")) {
        throw new SQLFeatureNotSupportedException("query timeouts are not supported", "0A000");
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

package dev.headway.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A DataSource whose next commits fail with a chosen SQLState instead of committing. */
final class FlakyDataSource implements DataSource {
  private final DataSource real;
  private final AtomicInteger failingCommits = new AtomicInteger();
  private volatile String sqlState = "08006";

  FlakyDataSource(DataSource real) {
    this.real = real;
  }

  /** The next {@code n} commits roll back and throw an SQLException with this SQLState. */
  void failNextCommits(int n, String state) {
    sqlState = state;
    failingCommits.set(n);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c = real.getConnection();
    Connection[] self = new Connection[1];
    self[0] = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "commit" -> {
              if (failingCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                c.rollback();
                throw new SQLException("simulated failure at commit", sqlState);
              }
            }
            // Keep callers on this proxy: unwrapping to the driver's connection would skip the failures.
            case "unwrap" -> {
              return proxy;
            }
            case "isWrapperFor" -> {
              return false;
            }
            case "prepareStatement" -> {
              PreparedStatement s = (PreparedStatement) invoke(c, method, args);
              return statement(c, s);
            }
            default -> { }
          }
          return invoke(c, method, args);
        });
    return self[0];
  }

  // An auto-committed statement commits as it executes, so that is where its failure goes.
  private PreparedStatement statement(Connection c, PreparedStatement s) {
    return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
        (proxy, method, args) -> {
          if ((method.getName().equals("executeUpdate") || method.getName().equals("execute")) && c.getAutoCommit()
              && failingCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SQLException("simulated failure at commit", sqlState);
          }
          return invoke(s, method, args);
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return real.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    real.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    real.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return real.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return real.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return real.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return real.isWrapperFor(iface);
  }
}

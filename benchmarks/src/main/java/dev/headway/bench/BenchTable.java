package dev.headway.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One table of a baseline sink, on its own pool, with a connection and prepared statements kept per
 * benchmark thread (the cheapest way to run a statement, so baselines are measured at their best).
 * Closing drops the table: a shared server keeps nothing of a finished run.
 */
final class BenchTable implements AutoCloseable {
  private final HikariDataSource pool;
  private final String name;
  private final Map<Thread, ThreadConnection> threads = new ConcurrentHashMap<>();

  private record ThreadConnection(Connection connection, Map<String, PreparedStatement> statements) {}

  /** Creates table {@code <kind><hash of runName>_jobs} with the given column list, dropping any old one. */
  BenchTable(BenchDb db, String runName, String kind, String columns) {
    this.pool = db.pool(runName, 10);
    this.name = kind + Math.abs(runName.hashCode() % 100000) + "_jobs";
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + name);
      s.execute("CREATE TABLE " + name + " (" + columns + ")");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  String name() {
    return name;
  }

  HikariDataSource pool() {
    return pool;
  }

  /** This thread's connection, created on first use with the given auto-commit mode. */
  Connection connection(boolean autoCommit) {
    return mine(autoCommit).connection();
  }

  /** A statement prepared once on this thread's connection. */
  PreparedStatement statement(boolean autoCommit, String sql) throws SQLException {
    ThreadConnection t = mine(autoCommit);
    PreparedStatement s = t.statements().get(sql);
    if (s == null) {
      s = t.connection().prepareStatement(sql);
      t.statements().put(sql, s);
    }
    return s;
  }

  private ThreadConnection mine(boolean autoCommit) {
    return threads.computeIfAbsent(Thread.currentThread(), t -> {
      try {
        Connection c = pool.getConnection();
        c.setAutoCommit(autoCommit);
        return new ThreadConnection(c, new HashMap<>());
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Override
  public void close() {
    threads.values().forEach(t -> {
      try {
        t.connection().close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    });
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + name);
    } catch (SQLException ignored) {
      // best effort
    }
    pool.close();
  }
}

package dev.headway.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The floor: one prepared {@code UPDATE ... SET processed = processed + ?, last_id = ?} per commit,
 * on a connection and statement each thread keeps. What any store must pay at least.
 */
final class RawSink implements ReportSink {
  private final HikariDataSource pool;
  private final String table;
  private final Map<Thread, PerThread> threads = new ConcurrentHashMap<>();

  private record PerThread(Connection c, PreparedStatement update) {}

  RawSink(BenchDb db, String name) {
    this.pool = db.pool(name, 10);
    this.table = "raw" + Math.abs(name.hashCode() % 100000) + "_jobs";
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute("CREATE TABLE " + table + " (job_id VARCHAR(200) PRIMARY KEY, processed BIGINT NOT NULL, "
          + "last_id VARCHAR(200))");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private PerThread mine() {
    return threads.computeIfAbsent(Thread.currentThread(), t -> {
      try {
        Connection c = pool.getConnection();
        c.setAutoCommit(true);
        return new PerThread(c, c.prepareStatement(
            "UPDATE " + table + " SET processed = processed + ?, last_id = ? WHERE job_id = ?"));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Override
  public void prepare(String jobId) {
    try (Connection c = pool.getConnection();
         PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (job_id, processed) VALUES (?, 0)")) {
      s.setString(1, jobId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void report(String jobId, Report r) {
    PerThread t = mine();
    try {
      t.update().setLong(1, r.issues());
      t.update().setString(2, r.lastProcessedId());
      t.update().setString(3, jobId);
      t.update().executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void reportBatch(String jobId, List<Report> reports) {
    PerThread t = mine();
    try {
      t.c().setAutoCommit(false);
      for (Report r : reports) {
        t.update().setLong(1, r.issues());
        t.update().setString(2, r.lastProcessedId());
        t.update().setString(3, jobId);
        t.update().addBatch();
      }
      t.update().executeBatch();
      t.c().commit();
      t.c().setAutoCommit(true);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public long countedReports(String jobId) {
    try (Connection c = pool.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT processed FROM " + table + " WHERE job_id = ?")) {
      s.setString(1, jobId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    threads.values().forEach(t -> {
      try {
        t.c().close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    });
    // H2 runs get a fresh file each; a shared server keeps nothing of a finished run.
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
    } catch (SQLException ignored) {
      // best effort
    }
    pool.close();
  }
}

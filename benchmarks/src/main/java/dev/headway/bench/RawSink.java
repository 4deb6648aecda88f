package dev.headway.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The floor: one prepared {@code UPDATE ... SET processed = processed + ?, last_id = ?} per commit,
 * on a connection and statement each thread keeps. What any store must pay at least.
 */
final class RawSink implements ReportSink {
  private final BenchTable table;
  private final String updateSql;

  RawSink(BenchDb db, String name) {
    this.table = new BenchTable(db, name, "raw",
        "job_id VARCHAR(200) PRIMARY KEY, processed BIGINT NOT NULL, last_id VARCHAR(200)");
    this.updateSql = "UPDATE " + table.name() + " SET processed = processed + ?, last_id = ? WHERE job_id = ?";
  }

  @Override
  public void prepare(String jobId) {
    try (Connection c = table.pool().getConnection();
         PreparedStatement s = c.prepareStatement("INSERT INTO " + table.name() + " (job_id, processed) VALUES (?, 0)")) {
      s.setString(1, jobId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void report(String jobId, Report r) {
    try {
      PreparedStatement update = table.statement(true, updateSql);
      bind(update, jobId, r);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void reportBatch(String jobId, List<Report> reports) {
    Connection c = table.connection(true);
    try {
      PreparedStatement update = table.statement(true, updateSql);
      c.setAutoCommit(false);
      for (Report r : reports) {
        bind(update, jobId, r);
        update.addBatch();
      }
      update.executeBatch();
      c.commit();
      c.setAutoCommit(true);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void bind(PreparedStatement update, String jobId, Report r) throws SQLException {
    update.setLong(1, r.issues());
    update.setString(2, r.lastProcessedId());
    update.setString(3, jobId);
  }

  @Override
  public long countedReports(String jobId) {
    try (Connection c = table.pool().getConnection();
         PreparedStatement s = c.prepareStatement("SELECT processed FROM " + table.name() + " WHERE job_id = ?")) {
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
    table.close();
  }
}

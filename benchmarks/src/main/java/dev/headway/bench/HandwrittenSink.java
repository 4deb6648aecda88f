package dev.headway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * What the seed authors write by hand: {@code SELECT ... FOR UPDATE} the job's JSON, parse it with
 * Jackson, merge (max processedItems, add itemsByType, set stage and lastProcessedId, append to a
 * timeline capped at 100 entries, as the Spring Batch baseline keeps), write it back, commit. Statements are reused per thread.
 */
final class HandwrittenSink implements ReportSink {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchTable table;
  private final BenchDb db;
  private final String selectSql;
  private final String updateSql;

  HandwrittenSink(BenchDb db, String name) {
    this.db = db;
    String json = db == BenchDb.PG ? "JSONB" : "CHARACTER VARYING(1000000)";
    this.table = new BenchTable(db, name, "hand", "job_id VARCHAR(200) PRIMARY KEY, progress " + json + " NOT NULL");
    this.selectSql = "SELECT progress FROM " + table.name() + " WHERE job_id = ? FOR UPDATE";
    this.updateSql = "UPDATE " + table.name() + " SET progress = " + (db == BenchDb.PG ? "CAST(? AS JSONB)" : "?")
        + " WHERE job_id = ?";
  }

  @Override
  public void prepare(String jobId) {
    try (Connection c = table.pool().getConnection();
         PreparedStatement s = c.prepareStatement("INSERT INTO " + table.name() + " (job_id, progress) VALUES (?, "
             + (db == BenchDb.PG ? "CAST(? AS JSONB)" : "?") + ")")) {
      s.setString(1, jobId);
      s.setString(2, "{\"status\":\"processing\",\"processedItems\":0,\"itemsByType\":{},\"timeline\":[]}");
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void report(String jobId, Report r) {
    reportBatch(jobId, List.of(r));
  }

  @Override
  public void reportBatch(String jobId, List<Report> reports) {
    Connection c = table.connection(false);
    try {
      PreparedStatement select = table.statement(false, selectSql);
      PreparedStatement update = table.statement(false, updateSql);
      for (Report r : reports) {
        select.setString(1, jobId);
        String stored;
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          stored = rs.getString(1);
        }
        ObjectNode doc = (ObjectNode) JSON.readTree(stored);
        merge(doc, r);
        update.setString(1, JSON.writeValueAsString(doc));
        update.setString(2, jobId);
        update.executeUpdate();
      }
      c.commit();
    } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the original failure is what matters
      }
      throw new IllegalStateException(e);
    }
  }

  static void merge(ObjectNode doc, Report r) {
    doc.put("processedItems", Math.max(doc.path("processedItems").asLong(), r.processedItems()));
    ObjectNode byType = doc.with("itemsByType");
    byType.put("groups", byType.path("groups").asLong() + r.groups());
    byType.put("issues", byType.path("issues").asLong() + r.issues());
    byType.put("commits", byType.path("commits").asLong() + r.commits());
    doc.put("stage", r.stage());
    doc.put("lastProcessedId", r.lastProcessedId());
    if (r.event()) {
      ArrayNode timeline = doc.withArray("timeline");
      ObjectNode e = timeline.addObject();
      e.put("event", "areas_discovered");
      e.putObject("details").put("seq", r.seq());
      if (timeline.size() > 100) {
        timeline.remove(0);
      }
    }
  }

  @Override
  public long countedReports(String jobId) {
    try (Connection c = table.pool().getConnection();
         PreparedStatement s = c.prepareStatement("SELECT progress FROM " + table.name() + " WHERE job_id = ?")) {
      s.setString(1, jobId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
        JsonNode doc = JSON.readTree(rs.getString(1));
        return doc.path("itemsByType").path("issues").asLong();
      }
    } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    table.close();
  }
}

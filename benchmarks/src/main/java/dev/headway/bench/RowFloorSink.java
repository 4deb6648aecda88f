package dev.headway.bench;

import dev.headway.ProgressUpdate;
import dev.headway.jdbc.JdbcProgressStore;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The row floor: what writing one Headway-sized row costs before any of Headway's work. Headway's
 * own tables and indexes, and per report one prepared UPDATE of the job's row with a progress
 * document and a stored state of the size Headway writes (the state is one a real job reached, sent
 * unchanged), on a connection each thread keeps. No merge, no dedupe, no timeline rows: the least a
 * store pays that persists this document and its exactly-once state with every report. Comparing
 * it with {@code raw} shows how much of the gap to the floor is the row itself.
 */
final class RowFloorSink implements ReportSink {
  private final HeadwayTables tables;
  private final String updateSql;
  private final Map<String, Long> startVersion = new ConcurrentHashMap<>();
  private String storedState;

  RowFloorSink(BenchDb db, String name) {
    this.tables = new HeadwayTables(db, name, "rf");
    this.updateSql = tables.rowUpdateSql("version = version + 1");
  }

  @Override
  public void prepare(String jobId) {
    // Headway creates the tables and the row; a few real reports give the state its usual size.
    try (JdbcProgressStore store = tables.openStore()) {
      store.apply(ProgressUpdate.builder(jobId).type("crawler").status("processing").build());
      for (long seq = 1; seq <= 50; seq++) {
        store.apply(Report.of("warm-up", seq).toUpdate(jobId));
      }
    }
    startVersion.put(jobId, Long.parseLong(tables.column("version", jobId)));
    storedState = tables.column("state", jobId);
  }

  @Override
  public void report(String jobId, Report r) {
    try {
      PreparedStatement update = tables.kept(updateSql);
      update.setLong(1, HeadwayTables.nowMicros());
      update.setString(2, "{\"processedItems\":" + r.processedItems() + ",\"itemsByType\":{\"groups\":" + r.groups()
          + ",\"issues\":" + r.seq() + ",\"commits\":" + r.commits() * r.seq() + "},\"stage\":\"" + r.stage()
          + "\",\"lastProcessedId\":\"" + r.lastProcessedId() + "\"}");
      update.setString(3, storedState);
      update.setString(4, jobId);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void reportBatch(String jobId, List<Report> reports) {
    throw new UnsupportedOperationException("the row floor is measured one report per commit");
  }

  @Override
  public long countedReports(String jobId) {
    String version = tables.column("version", jobId);
    return version == null ? 0 : Long.parseLong(version) - startVersion.get(jobId);
  }

  @Override
  public void close() {
    tables.close();
  }
}

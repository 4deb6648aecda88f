package dev.headway.bench;

import dev.headway.ProgressUpdate;
import dev.headway.jdbc.JdbcProgressStore;
import java.util.ArrayList;
import java.util.List;

/** Headway's JDBC store, used the way an application would. */
final class HeadwaySink implements ReportSink {
  private final HeadwayTables tables;
  private final JdbcProgressStore store;

  HeadwaySink(BenchDb db, String name) {
    this.tables = new HeadwayTables(db, name, "hw");
    this.store = tables.openStore();
  }

  JdbcProgressStore store() {
    return store;
  }

  @Override
  public void prepare(String jobId) {
    store.apply(ProgressUpdate.builder(jobId).type("crawler").status("processing").build());
  }

  @Override
  public void report(String jobId, Report report) {
    store.apply(report.toUpdate(jobId));
  }

  @Override
  public void reportBatch(String jobId, List<Report> reports) {
    List<ProgressUpdate> updates = new ArrayList<>(reports.size());
    for (Report r : reports) {
      updates.add(r.toUpdate(jobId));
    }
    store.applyAll(updates);
  }

  @Override
  public long countedReports(String jobId) {
    Object n = store.get(jobId).field("itemsByType.issues");
    return n == null ? 0 : ((Number) n).longValue();
  }

  @Override
  public void close() {
    store.close();
    tables.close();
  }
}

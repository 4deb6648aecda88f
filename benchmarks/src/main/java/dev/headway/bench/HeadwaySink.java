package dev.headway.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.headway.ProgressUpdate;
import dev.headway.jdbc.JdbcProgressStore;
import java.util.ArrayList;
import java.util.List;

/** Headway's JDBC store, used the way an application would. */
final class HeadwaySink implements ReportSink {
  private final HikariDataSource pool;
  private final JdbcProgressStore store;
  private final String prefix;

  HeadwaySink(BenchDb db, String name) {
    this.pool = db.pool(name, 10);
    this.prefix = "hw" + Math.abs(name.hashCode() % 100000) + "_";
    this.store = JdbcProgressStore.builder().dataSource(pool).tablePrefix(prefix).build();
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
    HeadwayTables.close(java.util.List.of(), pool, prefix);
  }
}

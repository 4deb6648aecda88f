package dev.headway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headway.ProgressUpdate;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.json.ProgressCodec;
import dev.headway.merge.JobState;
import dev.headway.merge.MergePolicy;
import dev.headway.merge.ProgressEngine;
import dev.headway.merge.Step;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The row floor plus Headway's model: per report Headway's engine merges it into the job's state
 * (held here, in memory), the codec writes the progress document and the stored state, and one
 * prepared UPDATE writes them, as {@code rowfloor} does, on a connection each thread keeps. What
 * the store adds on top of this (the version check, timeline rows, the cache, the pool, group
 * commit) is not here. So {@code rowfloor} to {@code enginerow} is the cost of merging and
 * encoding a report, and {@code enginerow} to {@code headway} the cost of the store around them.
 * One writer per job: it holds no lock.
 */
final class EngineRowSink implements ReportSink {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HeadwayTables tables;
  private final String updateSql;
  private final ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
  private final ProgressCodec codec = ProgressCodec.defaults();
  private final Map<String, JobState> states = new ConcurrentHashMap<>();

  EngineRowSink(BenchDb db, String name) {
    this.tables = new HeadwayTables(db, name, "er");
    this.updateSql = tables.rowUpdateSql("version = ?");
  }

  @Override
  public void prepare(String jobId) {
    ProgressUpdate start = ProgressUpdate.builder(jobId).type("crawler").status("processing").build();
    try (JdbcProgressStore store = tables.openStore()) {
      store.apply(start); // Headway's tables, indexes and row
    }
    states.put(jobId, engine.apply(null, start, now()).state());
  }

  @Override
  public void report(String jobId, Report r) {
    Step step = engine.apply(states.get(jobId), r.toUpdate(jobId), now());
    if (!step.changed()) {
      throw new IllegalStateException("report " + r.seq() + " of " + r.reporter() + " was not applied");
    }
    JobState state = step.state();
    states.put(jobId, state);
    try {
      PreparedStatement update = tables.kept(updateSql);
      update.setLong(1, state.snapshot().version());
      update.setLong(2, HeadwayTables.nowMicros());
      update.setString(3, codec.write(state.snapshot().progress()));
      update.setString(4, codec.writeStoredState(state));
      update.setString(5, jobId);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("no row for job " + jobId);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public void reportBatch(String jobId, List<Report> reports) {
    throw new UnsupportedOperationException("the engine row is measured one report per commit");
  }

  @Override
  public long countedReports(String jobId) {
    String progress = tables.column("progress", jobId);
    try {
      return progress == null ? 0 : JSON.readTree(progress).path("itemsByType").path("issues").asLong(0);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    tables.close();
  }
}

package dev.headway.examples.sync;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.Resumption;
import dev.headway.examples.LeaseWait;
import dev.headway.examples.Main;
import dev.headway.examples.cli.Console;
import dev.headway.examples.cli.ProgressDisplay;
import dev.headway.report.ProgressReporter;
import dev.headway.report.ProgressSink;
import dev.headway.store.ProgressStore;
import dev.headway.view.ProgressView;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of sync-all copying tables: each table's job is started (or resumed) under this run's
 * lease and reported through its own {@link ProgressReporter}; rows go over in key order, a chunk
 * per target transaction, and after each commit the last key copied becomes the job's checkpoint.
 *
 * <p>Why a resume is exact: a checkpoint is taken only after its rows are committed to the target,
 * and it covers exactly the counts made before it. A run that dies leaves the target holding at
 * least the rows up to the stored checkpoint; the resumed run starts after it with the counters as
 * they were at it, and re-copies the rest by key (an upsert, so a row copied twice is one row), so
 * every row is counted once. Not thread-safe: one run, one thread.
 */
final class SyncRun {
  static final String SYNCED = "synced";
  static final String SKIPPED = "skipped";
  /** How often the live bar is redrawn (and the flush interval, so the bar has fresh numbers). */
  private static final Duration SHOW_EVERY = Duration.ofMillis(200);

  private final ProgressStore store;
  private final LeaseRequest lease;
  private final Connection source;
  private final Connection target;
  private final Settings settings;
  private final Console console; // null: no live display (JSON output)
  private final PrintWriter err;
  private final Consumer<String> say;
  private long rowsThisRun;

  /**
   * How the run copies.
   *
   * @param chunk rows per target transaction and checkpoint
   * @param chunkDelayMillis pause after each chunk, so people can watch (and interrupt) a small demo
   * @param crashAfter halt the JVM after this many rows, or 0 for never
   * @param failTable the table to fail halfway, or null
   */
  record Settings(int chunk, int chunkDelayMillis, long crashAfter, String failTable) {}

  SyncRun(ProgressStore store, LeaseRequest lease, Connection source, Connection target, Settings settings,
      Console console, PrintWriter err, Consumer<String> say) {
    this.store = store;
    this.lease = lease;
    this.source = source;
    this.target = target;
    this.settings = settings;
    this.console = console;
    this.err = err;
    this.say = say;
  }

  /**
   * Syncs one table: starts its job when QUEUED, else resumes it (waiting out a crashed run's
   * lease) and carries on after its checkpoint. A failure of the table's SQL fails the table's job
   * and returns; the batch goes on with the next table.
   *
   * @return the table's job as it ended
   * @throws Main.CommandFailedException when another run took the job over meanwhile
   */
  JobSnapshot syncTable(SyncTable table, JobSnapshot job, long rows) throws SQLException, InterruptedException {
    String jobId = job.jobId();
    ProgressReporter reporter;
    long after = Long.MIN_VALUE; // keys are positive: from the first row
    if (job.status() == JobStatus.QUEUED) {
      JobSnapshot started = store.start(ProgressUpdate.builder(jobId).build(), lease);
      reporter = reporter(jobId).attempt(started.attempt()).build();
    } else {
      Resumption resumed = LeaseWait.resume(store, jobId, lease, say);
      reporter = reporter(jobId).resumeFrom(resumed).build();
      Map<String, Object> details = new LinkedHashMap<>();
      if (resumed.cursor() != null) {
        details.put("cursor", resumed.cursor());
      }
      details.put("processedItems", resumed.job().processedItems());
      reporter.event("resumed_after", details);
      if (resumed.cursor() instanceof Number n) {
        after = n.longValue();
        say.accept(String.format(Locale.ROOT, "%s: attempt %d resumes after id %d (%,d of %,d rows were done)",
            table.name(), resumed.attempt(), after, resumed.job().processedItems(), rows));
      } else {
        say.accept(table.name() + ": attempt " + resumed.attempt() + " starts from the first row (no checkpoint yet)");
      }
    }
    try (ProgressDisplay display = console == null ? null : new ProgressDisplay(console, table.name())) {
      try {
        reporter.total(rows);
        copy(table, reporter, after, rows, display);
        reporter.complete();
      } catch (SQLException e) {
        rollback();
        reporter.fail(oneLine(e));
      } finally {
        reporter.close(); // delivers the final status (or INTERRUPTED when something else went wrong)
      }
      if (reporter.isSuperseded()) {
        throw new Main.CommandFailedException("Job " + jobId + " was taken over by another run; this run stops.");
      }
      JobSnapshot done = store.get(jobId);
      if (display != null) {
        display.show(ProgressView.of(done, store.clock()));
      }
      return done;
    }
  }

  private ProgressReporter.Builder reporter(String jobId) {
    return ProgressReporter.builder(ProgressSink.of(store), jobId)
        .reporterId(lease.owner())
        .lease(lease.ttl())
        .flushEvery(ProgressReporter.DEFAULT_FLUSH_ITEMS, SHOW_EVERY);
  }

  private void copy(SyncTable table, ProgressReporter reporter, long after, long rows, ProgressDisplay display)
      throws SQLException, InterruptedException {
    int width = table.columns().size();
    long cursor = after;
    long copiedHere = 0;
    long shownAt = 0;
    try (PreparedStatement select = source.prepareStatement(table.selectChunkSql());
        PreparedStatement merge = target.prepareStatement(table.mergeSql())) {
      while (true) {
        select.setLong(1, cursor);
        select.setInt(2, settings.chunk());
        long last = cursor;
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            Object[] row = new Object[width];
            for (int i = 0; i < width; i++) {
              row[i] = rs.getObject(i + 1);
            }
            last = rs.getLong(1);
            if (table.isValid(row)) {
              bind(merge, table, row);
              merge.addBatch();
              reporter.increment(SYNCED);
            } else {
              reporter.increment(SKIPPED);
            }
            rowDone(reporter);
            if (table.name().equals(settings.failTable()) && ++copiedHere > rows / 2) {
              throw new SQLException("simulated failure of " + table.name() + " after " + copiedHere
                  + " rows (--fail-table): the connection to the target was lost", "08S01");
            }
          }
        }
        if (last == cursor) {
          return;
        }
        merge.executeBatch();
        target.commit();
        reporter.checkpoint(last); // only now: the rows up to `last` are in the target for good
        cursor = last;
        if (reporter.isSuperseded()) {
          return; // syncTable reports it
        }
        if (display != null && System.nanoTime() - shownAt >= SHOW_EVERY.toNanos()) {
          shownAt = System.nanoTime();
          display.show(ProgressView.of(store.get(reporter.jobId()), store.clock()));
        }
        if (settings.chunkDelayMillis() > 0) {
          Thread.sleep(settings.chunkDelayMillis());
        }
      }
    }
  }

  // --crash-after: the counts so far are delivered first, so where the resume starts does not
  // depend on thread timing; then the JVM stops dead, leases held and the open chunk uncommitted.
  private void rowDone(ProgressReporter reporter) {
    if (++rowsThisRun != settings.crashAfter()) {
      return;
    }
    err.println("Crashing on purpose after " + rowsThisRun + " rows (--crash-after): halting the JVM, "
        + "leases left held.");
    err.flush();
    reporter.flush(Duration.ofSeconds(10));
    Runtime.getRuntime().halt(3);
  }

  private static void bind(PreparedStatement merge, SyncTable table, Object[] row) throws SQLException {
    for (int i = 0; i < row.length; i++) {
      if (row[i] == null) {
        merge.setNull(i + 1, table.columns().get(i).jdbcType());
      } else {
        merge.setObject(i + 1, row[i]);
      }
    }
  }

  private void rollback() {
    try {
      target.rollback();
    } catch (SQLException e) {
      // the connection is gone: nothing uncommitted is left to undo
    }
  }

  static String oneLine(SQLException e) {
    String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}

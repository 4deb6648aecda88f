package dev.headway.examples.sync;

import dev.headway.ErrorRecord;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.examples.cli.Console;
import dev.headway.examples.cli.Formats;
import dev.headway.store.ProgressStore;
import dev.headway.view.BatchView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sync-all batch as sync-status (and the end of sync-all) shows it: the batch, one line per
 * table with status, records processed, synced and skipped, duration and errors, and the command
 * that resumes it when something is unfinished. A RUNNING job whose lease has expired is shown as
 * STALE: its run stopped without a word (a crash, a kill) and only a resume will finish it.
 */
final class BatchReport {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String ROW = "%-12s %-11s %15s %9s %9s %9s %8s  %s%n";

  private final JobSnapshot batch;
  private final List<Table> tables;
  private final BatchView view;
  private final Instant now;
  private final String db;

  /** One table's job. */
  record Table(String name, JobSnapshot job, boolean stale) {
    long synced() {
      return count(job, SyncRun.SYNCED);
    }

    long skipped() {
      return count(job, SyncRun.SKIPPED);
    }

    /** Failed, interrupted, cancelled, or stale: what {@code --failed} shows. */
    boolean failed() {
      return stale || job.status() == JobStatus.FAILED || job.status() == JobStatus.INTERRUPTED
          || job.status() == JobStatus.CANCELLED;
    }

    String statusWord() {
      return stale ? "STALE" : job.status().name();
    }
  }

  private BatchReport(JobSnapshot batch, List<Table> tables, List<JobSnapshot> children, Instant now, String db) {
    this.batch = batch;
    this.tables = tables;
    this.view = BatchView.of(batch, children);
    this.now = now;
    this.db = db;
  }

  /** The batch and its tables as they are now; {@code db} is the URL the resume command names. */
  static BatchReport load(ProgressStore store, JobSnapshot batch, String db) {
    Instant now = store.clock().instant();
    List<JobSnapshot> children = store.children(batch.jobId());
    List<Table> tables = new ArrayList<>();
    for (JobSnapshot c : children) {
      tables.add(new Table(tableName(c), c, isStale(c, now)));
    }
    // Copy order, whatever order the store created them in (creation times may tie).
    tables.sort(Comparator.comparingInt((Table t) -> SyncTable.position(t.name())));
    return new BatchReport(batch, tables, children, now, db);
  }

  String batchId() {
    return batch.jobId();
  }

  boolean stale() {
    return isStale(batch, now);
  }

  boolean hasFailedTables() {
    return tables.stream().anyMatch(Table::failed);
  }

  /**
   * What resumes the batch, or null when it is finished for good (completed, cancelled, skipped).
   * Given for a running batch too: from here a live run and a crashed one whose lease has not yet
   * expired look the same, and a resume tells them apart (it waits for the lease).
   */
  String resumeCommand() {
    boolean resumable = batch.status().isResumable() || batch.status() == JobStatus.RUNNING;
    return resumable ? SyncAllCommand.resumeCommand(batch.jobId(), db) : null;
  }

  /** The batch and its tables (only failed ones when {@code failedOnly}) as JSON-ready values. */
  Map<String, Object> json(boolean failedOnly) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batchId", batch.jobId());
    m.put("status", batch.status().name());
    m.put("stale", stale());
    m.put("aggregateStatus", view.status().name());
    m.put("attempt", batch.attempt());
    m.put("createdAt", text(batch.createdAt()));
    m.put("startedAt", text(batch.startedAt()));
    m.put("finishedAt", text(batch.finishedAt()));
    m.put("durationMillis", millis(duration(batch, stale())));
    m.put("source", batch.field("metadata.source"));
    m.put("target", batch.field("metadata.target"));
    m.put("seed", batch.field("metadata.seed"));
    if (batch.lease() != null) {
      m.put("lease", Map.of("owner", batch.lease().owner(), "expiresAt", batch.lease().expiresAt().toString()));
    }
    m.put("tableCount", tables.size());
    m.put("tablesCompleted", view.childrenByStatus().get(JobStatus.COMPLETED));
    m.put("tablesFailed", tables.stream().filter(Table::failed).count());
    m.put("processed", view.processedItems());
    m.put("synced", view.itemsByType().getOrDefault(SyncRun.SYNCED, 0L));
    m.put("skipped", view.itemsByType().getOrDefault(SyncRun.SKIPPED, 0L));
    m.put("resumeCommand", resumeCommand());
    List<Object> rows = new ArrayList<>();
    for (Table t : tables) {
      if (failedOnly && !t.failed()) {
        continue;
      }
      JobSnapshot j = t.job();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("table", t.name());
      row.put("jobId", j.jobId());
      row.put("status", j.status().name());
      row.put("stale", t.stale());
      row.put("attempt", j.attempt());
      row.put("processed", j.processedItems());
      row.put("total", j.totalItems());
      row.put("synced", t.synced());
      row.put("skipped", t.skipped());
      row.put("startedAt", text(j.startedAt()));
      row.put("finishedAt", text(j.finishedAt()));
      row.put("durationMillis", millis(duration(j, t.stale())));
      row.put("cursor", j.checkpoint() == null ? null : j.checkpoint().cursor());
      row.put("errorCount", j.errors().total());
      List<Object> errors = new ArrayList<>();
      for (ErrorRecord e : j.errors().recent()) {
        errors.add(Map.of("at", e.at().toString(), "category", e.category(), "message", e.message()));
      }
      row.put("errors", errors);
      rows.add(row);
    }
    m.put("tables", rows);
    return m;
  }

  /** The batch line, the table of tables (only failed ones when {@code failedOnly}) and what to do next. */
  void print(Console console, boolean failedOnly) {
    PrintWriter out = console.out();
    long failed = tables.stream().filter(Table::failed).count();
    out.printf(Locale.ROOT, "Batch %s: %s (attempt %d), %d of %d tables completed%s%n", batch.jobId(),
        console.status(stale() ? "STALE" : batch.status().name()), batch.attempt(),
        view.childrenByStatus().get(JobStatus.COMPLETED), tables.size(),
        failed == 0 ? "" : ", " + failed + " failed or interrupted");
    out.printf(Locale.ROOT, "  started %s, duration %s; %s records processed: %s synced, %s skipped%n",
        time(batch.startedAt()), Formats.duration(duration(batch, stale())), Formats.count(view.processedItems()),
        Formats.count(view.itemsByType().getOrDefault(SyncRun.SYNCED, 0L)),
        Formats.count(view.itemsByType().getOrDefault(SyncRun.SKIPPED, 0L)));
    if (batch.field("metadata.source") != null) {
      out.printf(Locale.ROOT, "  from %s to %s (seed %s)%n", batch.field("metadata.source"),
          batch.field("metadata.target"), batch.field("metadata.seed"));
    }
    List<Table> shown = tables.stream().filter(t -> !failedOnly || t.failed()).toList();
    if (shown.isEmpty()) {
      out.println(failedOnly ? "No failed or interrupted tables." : "No tables.");
    } else {
      out.printf(Locale.ROOT, ROW, "TABLE", "STATUS", "PROCESSED", "SYNCED", "SKIPPED", "DURATION", "ATTEMPT",
          "ERRORS");
      for (Table t : shown) {
        JobSnapshot j = t.job();
        String word = t.statusWord();
        out.printf(Locale.ROOT, ROW, t.name(), console.status(word) + " ".repeat(Math.max(0, 11 - word.length())),
            Formats.progress(j), Formats.count(t.synced()), Formats.count(t.skipped()),
            Formats.duration(duration(j, t.stale())), j.attempt(), errors(j));
      }
    }
    if (tables.stream().anyMatch(Table::stale) || stale()) {
      out.println("STALE: its run stopped without finishing (its lease expired); resume the batch to finish it.");
    }
    if (batch.status() == JobStatus.RUNNING && batch.lease() != null && !stale()) {
      out.println("Held by " + batch.lease().owner() + " until " + time(batch.lease().expiresAt())
          + ": a live run keeps renewing that; a run that stopped does not, and a resume waits for it to expire.");
    }
    String resume = resumeCommand();
    if (resume != null) {
      out.println("Resume with: " + resume);
    }
  }

  /** Header of {@link #printSummary}. */
  static void printSummaryHeader(PrintWriter out) {
    out.printf(Locale.ROOT, "%-36s %-11s %7s %7s %10s %10s %9s  %-20s %9s%n", "BATCH", "STATUS", "TABLES", "FAILED",
        "PROCESSED", "SYNCED", "SKIPPED", "STARTED", "DURATION");
  }

  /** One line for {@code sync-status --all}. */
  void printSummary(Console console) {
    String word = stale() ? "STALE" : batch.status().name();
    console.out().printf(Locale.ROOT, "%-36s %s %7s %7d %10s %10s %9s  %-20s %9s%n", batch.jobId(),
        console.status(word) + " ".repeat(Math.max(0, 11 - word.length())),
        view.childrenByStatus().get(JobStatus.COMPLETED) + "/" + tables.size(),
        tables.stream().filter(Table::failed).count(), Formats.count(view.processedItems()),
        Formats.count(view.itemsByType().getOrDefault(SyncRun.SYNCED, 0L)),
        Formats.count(view.itemsByType().getOrDefault(SyncRun.SKIPPED, 0L)), time(batch.startedAt()),
        Formats.duration(duration(batch, stale())));
  }

  /** The table a child job syncs: its metadata.table, else the last part of its id. */
  static String tableName(JobSnapshot child) {
    if (child.field("metadata.table") instanceof String name) {
      return name;
    }
    String id = child.jobId();
    return id.substring(id.lastIndexOf('/') + 1);
  }

  private static boolean isStale(JobSnapshot j, Instant now) {
    return j.status() == JobStatus.RUNNING && j.lease() != null && !j.lease().isLiveAt(now);
  }

  private static long count(JobSnapshot j, String type) {
    return j.field("itemsByType." + type) instanceof Number n ? n.longValue() : 0L;
  }

  // A stale job stopped at its last heartbeat, not now.
  private Duration duration(JobSnapshot j, boolean stale) {
    if (j.startedAt() == null) {
      return null;
    }
    Instant end = j.finishedAt() != null ? j.finishedAt()
        : stale && j.heartbeatAt() != null ? j.heartbeatAt() : now;
    return end.isBefore(j.startedAt()) ? Duration.ZERO : Duration.between(j.startedAt(), end);
  }

  private static String errors(JobSnapshot j) {
    long n = j.errors().total();
    if (n == 0) {
      return "0";
    }
    List<ErrorRecord> recent = j.errors().recent();
    String newest = recent.isEmpty() ? "" : recent.get(recent.size() - 1).message();
    return n + "  " + (newest.length() > 80 ? newest.substring(0, 80) + "..." : newest);
  }

  private static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }
}

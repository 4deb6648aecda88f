package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.TimelineEvent;
import dev.headway.examples.cli.Console;
import dev.headway.examples.cli.Formats;
import dev.headway.store.ProgressStore;
import dev.headway.view.BatchView;
import dev.headway.view.BatchView.AggregateStatus;
import dev.headway.view.ProgressView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shop-sync batch as the store has it, rolled up for people (a table) and programs (JSON): per
 * marketplace the synced and failed products, success rate, retries and errors by category, and
 * for the batch the same summed plus an aggregate status. Everything comes from the store (the
 * batch, its children, {@link BatchView}, their {@value ShopSync#SUMMARY_EVENT} events), so a
 * summary can be made of any batch, later or from another process.
 *
 * <p><b>Aggregate status</b>, seed 000's rule applied to product syncs: COMPLETED when every
 * product synced to every marketplace, FAILED when none did, MIXED otherwise (RUNNING while it
 * runs or after a crash). That is {@link BatchView#status()} over the marketplace jobs, except
 * that a batch in which every marketplace had some failure but products did sync is MIXED, not
 * FAILED.
 *
 * <p>Immutable.
 *
 * <p><b>Errors by category</b> are the products that failed for good, by their final category; a
 * marketplace job's own failure reason (category {@code FAILED}) is not one of them. Retried calls
 * are counted apart ({@code retries}, {@code retriesByCategory}).
 *
 * @param batch the batch job
 * @param view the roll-up of its children
 * @param status the aggregate status (see above)
 * @param marketplaces one row per marketplace job, by name
 * @param synced products synced, over all marketplaces
 * @param failed products failed for good, over all marketplaces
 * @param successRate synced / (synced + failed) in percent, or null before any product finished
 * @param attempts API calls made, or null when a marketplace did not finish
 * @param retries calls after a product's first, or null when a marketplace did not finish
 * @param retriesByCategory retried failures by category, summed over the marketplaces
 * @param errorsByCategory products failed for good by category, the five injected ones always present
 * @param progress the batch job's own view: rate, duration, ETA
 */
public record ShopSyncSummary(JobSnapshot batch, BatchView view, AggregateStatus status, List<Row> marketplaces,
    long synced, long failed, Double successRate, Long attempts, Long retries, Map<String, Long> retriesByCategory,
    Map<String, Long> errorsByCategory, ProgressView progress) {

  /**
   * One marketplace's job.
   *
   * @param job the job
   * @param name the marketplace
   * @param maxAttempts its attempt budget, or null when the job does not say
   * @param synced products synced
   * @param failed products failed for good
   * @param successRate synced / (synced + failed) in percent, or null
   * @param attempts API calls, or null until the marketplace finished
   * @param retries calls after a product's first, or null until the marketplace finished
   * @param retriesByCategory retried failures by category (empty until finished)
   * @param errorsByCategory products failed for good by final category
   * @param progress the job's view: rate, duration, ETA
   */
  public record Row(JobSnapshot job, String name, Integer maxAttempts, long synced, long failed, Double successRate,
      Long attempts, Long retries, Map<String, Long> retriesByCategory, Map<String, Long> errorsByCategory,
      ProgressView progress) {}

  /**
   * The summary of batch {@code batchId} now.
   *
   * @throws dev.headway.NoSuchJobException when there is no such batch
   */
  public static ShopSyncSummary of(ProgressStore store, String batchId) {
    requireNonNull(store, "store");
    JobSnapshot batch = store.get(batchId);
    List<JobSnapshot> children = new ArrayList<>(store.children(batchId));
    children.sort(Comparator.comparing(JobSnapshot::jobId));
    BatchView view = BatchView.of(batch, children);
    List<Row> rows = new ArrayList<>();
    Map<String, Long> errors = categories();
    Map<String, Long> retriesByCategory = new LinkedHashMap<>();
    Long attempts = 0L;
    Long retries = 0L;
    for (JobSnapshot child : children) {
      Row row = row(child, store);
      rows.add(row);
      row.errorsByCategory().forEach((k, v) -> errors.merge(k, v, Long::sum));
      row.retriesByCategory().forEach((k, v) -> retriesByCategory.merge(k, v, Long::sum));
      attempts = attempts == null || row.attempts() == null ? null : attempts + row.attempts();
      retries = retries == null || row.retries() == null ? null : retries + row.retries();
    }
    long synced = view.itemsByType().getOrDefault(ShopSync.SYNCED, 0L);
    long failed = view.itemsByType().getOrDefault(ShopSync.FAILED, 0L);
    AggregateStatus status = view.status() == AggregateStatus.FAILED && synced > 0 ? AggregateStatus.MIXED
        : view.status();
    return new ShopSyncSummary(batch, view, status, List.copyOf(rows), synced, failed, rate(synced, failed),
        attempts, retries, Collections.unmodifiableMap(retriesByCategory), Collections.unmodifiableMap(errors),
        ProgressView.of(batch, store.clock()));
  }

  private static Row row(JobSnapshot job, ProgressStore store) {
    Object name = job.field("metadata.marketplace");
    Object max = job.field("metadata.maxAttempts");
    long synced = count(job.field("itemsByType." + ShopSync.SYNCED));
    long failed = count(job.field("itemsByType." + ShopSync.FAILED));
    Map<String, Long> errors = categories();
    job.errors().countsByCategory().forEach((k, v) -> {
      if (!"FAILED".equals(k)) {  // the job's own failure reason, not a product's error
        errors.merge(k, v, Long::sum);
      }
    });
    Long attempts = null;
    Long retries = null;
    Map<String, Long> retriesByCategory = new LinkedHashMap<>();
    TimelineEvent summary = lastSummary(job);
    if (summary != null) {
      attempts = count(summary.details().get("attempts"));
      retries = count(summary.details().get("retries"));
      if (summary.details().get("retriesByCategory") instanceof Map<?, ?> m) {
        m.forEach((k, v) -> retriesByCategory.put((String) k, count(v)));
      }
    }
    return new Row(job, name instanceof String s ? s : job.jobId().substring(job.jobId().lastIndexOf('/') + 1),
        max instanceof Number n ? n.intValue() : null, synced, failed, rate(synced, failed), attempts, retries,
        Collections.unmodifiableMap(retriesByCategory), Collections.unmodifiableMap(errors),
        ProgressView.of(job, store.clock()));
  }

  private static TimelineEvent lastSummary(JobSnapshot job) {
    List<TimelineEvent> events = job.timeline().events();
    for (int i = events.size() - 1; i >= 0; i--) {
      if (ShopSync.SUMMARY_EVENT.equals(events.get(i).type())) {
        return events.get(i);
      }
    }
    return null;
  }

  private static Map<String, Long> categories() {
    Map<String, Long> m = new LinkedHashMap<>();
    Marketplace.CATEGORIES.forEach(c -> m.put(c, 0L));
    return m;
  }

  private static long count(Object v) {
    return v instanceof Number n ? n.longValue() : 0L;
  }

  private static Double rate(long synced, long failed) {
    return synced + failed == 0 ? null : 100.0 * synced / (synced + failed);
  }

  /** The summary as JSON-ready maps and lists (what {@code shop-sync --json} prints). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", batch.jobId());
    m.put("type", batch.type());
    m.put("status", batch.status().name());
    m.put("aggregateStatus", status.name());
    m.put("metadata", batch.progress().get("metadata"));
    m.put("synced", synced);
    m.put("failed", failed);
    m.put("successRate", successRate);
    m.put("attempts", attempts);
    m.put("retries", retries);
    m.put("retriesByCategory", retriesByCategory);
    m.put("errorsByCategory", errorsByCategory);
    Map<String, Integer> byStatus = new TreeMap<>();
    view.childrenByStatus().forEach((s, n) -> {
      if (n > 0) {
        byStatus.put(s.name(), n);
      }
    });
    m.put("marketplacesByStatus", byStatus);
    m.put("derived", progress.derivedFields());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Row r : marketplaces) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", r.name());
      row.put("jobId", r.job().jobId());
      row.put("status", r.job().status().name());
      row.put("maxAttempts", r.maxAttempts());
      row.put("synced", r.synced());
      row.put("failed", r.failed());
      row.put("successRate", r.successRate());
      row.put("attempts", r.attempts());
      row.put("retries", r.retries());
      row.put("retriesByCategory", r.retriesByCategory());
      row.put("errorsByCategory", r.errorsByCategory());
      row.put("derived", r.progress().derivedFields());
      rows.add(row);
    }
    m.put("marketplaces", rows);
    return m;
  }

  /** Prints the summary as a table. */
  public void print(Console console) {
    PrintWriter out = console.out();
    out.printf(Locale.ROOT, "Batch %s: %s, %s of %s product syncs succeeded (%s), %s retries, %s, %s%n",
        batch.jobId(), console.status(status.name()), Formats.count(synced), Formats.count(synced + failed),
        Formats.percent(successRate), retries == null ? "-" : Formats.count(retries),
        Formats.duration(progress.duration()), Formats.rate(progress.ratePerSecond()));
    out.printf(Locale.ROOT, "%-16s %5s  %-11s %8s %8s %8s %8s %9s %8s%n",
        "marketplace", "tries", "status", "synced", "failed", "success", "retries", "speed", "time");
    for (Row r : marketplaces) {
      out.printf(Locale.ROOT, "%-16s %5s  %s %8s %8s %8s %8s %9s %8s%n", r.name(),
          r.maxAttempts() == null ? "-" : r.maxAttempts(), padded(console, r.job().status().name(), 11),
          Formats.count(r.synced()), Formats.count(r.failed()), Formats.percent(r.successRate()),
          r.retries() == null ? "-" : Formats.count(r.retries()), Formats.rate(r.progress().ratePerSecond()),
          Formats.duration(r.progress().duration()));
    }
    out.printf(Locale.ROOT, "%-16s %5s  %s %8s %8s %8s %8s %9s %8s%n", "all", "",
        padded(console, status.name(), 11), Formats.count(synced), Formats.count(failed), Formats.percent(successRate),
        retries == null ? "-" : Formats.count(retries), Formats.rate(progress.ratePerSecond()),
        Formats.duration(progress.duration()));
    out.println();
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s", "failed products by error"));
    marketplaces.forEach(r -> header.append(String.format(Locale.ROOT, " %14s", r.name())));
    out.println(header.append(String.format(Locale.ROOT, " %8s", "all")));
    for (Map.Entry<String, Long> e : errorsByCategory.entrySet()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", e.getKey()));
      marketplaces.forEach(r -> line.append(String.format(Locale.ROOT, " %14s",
          Formats.count(r.errorsByCategory().getOrDefault(e.getKey(), 0L)))));
      out.println(line.append(String.format(Locale.ROOT, " %8s", Formats.count(e.getValue()))));
    }
    if (batch.status() == JobStatus.RUNNING) {
      out.println("The batch is still RUNNING (or its run stopped without a word): `sweep` marks it INTERRUPTED once "
          + "its lease expires.");
    }
  }

  private static String padded(Console console, String word, int width) {
    return console.status(word) + " ".repeat(Math.max(0, width - word.length()));
  }
}

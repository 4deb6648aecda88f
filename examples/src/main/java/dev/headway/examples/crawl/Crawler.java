package dev.headway.examples.crawl;

import dev.headway.examples.Main.CommandFailedException;
import dev.headway.examples.crawl.SimulatedGitLab.Item;
import dev.headway.examples.crawl.SimulatedGitLab.Stage;
import dev.headway.examples.crawl.SimulatedGitLab.TransientApiException;
import dev.headway.report.ProgressReporter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the crawl: fetches the source's items in crawl order from a position, stores each
 * one, and tells the reporter as it goes, then finalizes.
 *
 * <p>Per item, in this order: fetch (retrying transient failures, each reported as an error),
 * store in {@link CrawlItems} (committed), grow the total by what the item revealed, count it,
 * checkpoint {@code {position, lastProcessedId}}. A checkpoint therefore only ever covers stored
 * items, and the counts it carries are exactly the items before its position; a run resumed from
 * it fetches the rest, and storing an item twice changes nothing. So a crawl that stopped
 * anywhere and was resumed ends with the same counts and the same stored items as one that never
 * stopped.
 *
 * <p>Not thread-safe: one thread runs it.
 */
final class Crawler {
  /** Timeline event of each group found, with its project count. */
  static final String AREAS_DISCOVERED = "areas_discovered";
  /** Timeline event of a finished crawl, with its totals. */
  static final String COMPLETION = "completion";

  private static final int MAX_TRIES = 4;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(5);
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

  /** How a run ended, unless it crashed on purpose: completed, failed (with why), or taken over. */
  record Result(Outcome outcome, String failure, int fetched, int retried) {}

  enum Outcome { COMPLETED, FAILED, SUPERSEDED }

  private final SimulatedGitLab source;
  private final ProgressReporter reporter;
  private final CrawlItems items;
  private final long latencyNanos;
  private final Integer crashAfter;
  private final Runnable crash;

  /**
   * @param items where items are stored, or null to store none (a crawl reporting over HTTP has
   *     no database of its own); the final check that every item is stored is then skipped
   * @param crashAfter items after which {@code crash} runs, or null for never
   * @param crash what "crash" means (the command halts the JVM)
   */
  Crawler(SimulatedGitLab source, ProgressReporter reporter, CrawlItems items, Duration latency, Integer crashAfter,
      Runnable crash) {
    this.source = source;
    this.reporter = reporter;
    this.items = items;
    this.latencyNanos = latency.toNanos();
    this.crashAfter = crashAfter;
    this.crash = crash;
  }

  /**
   * Crawls the items from {@code from} (the cursor's position, 0 for a new crawl) to the end and
   * finalizes: completes the job when every item is stored, fails it otherwise.
   *
   * @throws CommandFailedException when an item cannot be stored, or fetched after {@value #MAX_TRIES} tries
   */
  Result run(int from) throws InterruptedException {
    String jobId = reporter.jobId();
    long total = source.knownTotal(from);
    reporter.total(total);
    Stage stage = null;
    int fetched = 0;
    int retried = 0;
    for (int position = from; position < source.size(); position++) {
      Item item = source.item(position);
      if (item.stage() != stage) {
        stage = item.stage();
        reporter.stage(stage.word());
        reporter.field("operationType", stage.word()); // seed 003's payload names the stage twice
        // Each stage goes out in an update of its own: of several stages set between two regular
        // updates only the newest is sent, and the timeline would miss a stage_change. It also
        // puts what discovery found on record before the long part of the crawl starts.
        reporter.flush(FLUSH_TIMEOUT);
      }
      retried += fetch(position);
      if (items != null) {
        items.store(jobId, item);
      }
      if (item.reveals() > 0) {
        total += item.reveals();
        reporter.total(total); // before the count, so processed never passes the total
      }
      if (SimulatedGitLab.GROUPS.equals(item.type())) {
        SimulatedGitLab.Group g = source.group(item.id());
        reporter.event(AREAS_DISCOVERED, Map.of("group", g.id(), "name", g.name(), "projects", g.projects().size()));
      }
      reporter.increment(item.type());
      reporter.checkpoint(CrawlCursor.of(position + 1, item.id()),
          Map.of("lastProcessedId", item.id(), "currentDataType", item.type()));
      fetched++;
      if (crashAfter != null && fetched == crashAfter) {
        crash.run();
      }
      if (reporter.isSuperseded()) {
        return new Result(Outcome.SUPERSEDED, null, fetched, retried);
      }
    }
    return finish(jobId, fetched, retried);
  }

  private Result finish(String jobId, int fetched, int retried) {
    reporter.stage(Stage.FINALIZATION.word());
    reporter.field("operationType", Stage.FINALIZATION.word());
    Long stored = items == null ? null : items.count(jobId);
    if (stored != null && stored != source.size()) {
      String why = CrawlItems.TABLE + " holds " + stored + " items of job " + jobId + ", not the " + source.size()
          + " the source has";
      reporter.fail(why);
      return new Result(Outcome.FAILED, why, fetched, retried);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("totalItems", source.size());
    details.put("itemsByType", source.countsByType());
    if (stored != null) {
      details.put("storedItems", stored);
    }
    details.put("attempt", reporter.attempt());
    reporter.event(COMPLETION, details);
    reporter.complete();
    return new Result(Outcome.COMPLETED, null, fetched, retried);
  }

  // One item from the API: latency, and retries with backoff for transient failures. Returns the retries.
  private int fetch(int position) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      if (latencyNanos > 0) {
        LockSupport.parkNanos(latencyNanos);
      }
      try {
        source.fetch(position, attempt);
        return attempt - 1;
      } catch (TransientApiException e) {
        if (attempt == MAX_TRIES) {
          throw new CommandFailedException("gave up on " + source.item(position).id() + " after " + MAX_TRIES
              + " tries: " + e.getMessage());
        }
        long backoff = FIRST_BACKOFF.toMillis() << (attempt - 1);
        reporter.error(e.category(), e.getMessage() + " (try " + attempt + "; retrying in " + backoff + " ms)");
        TimeUnit.MILLISECONDS.sleep(backoff);
      }
    }
  }
}

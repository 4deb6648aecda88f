package dev.headway.report;

import static dev.headway.report.TestSinks.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A worker crashes mid-job (its sink starts failing for good), the job is marked interrupted and
 * resumed by a second run from the last checkpoint: every item ends up counted exactly once,
 * because each checkpoint reached the store with exactly the counts its cursor covers.
 */
class CheckpointResumeTest {
  private static final int ITEMS = 1_000;

  /** Items are ids 0..ITEMS-1; even ids are "issues", odd ids "comments", every fifth weighs 2. */
  private static String typeOf(int id) {
    return id % 2 == 0 ? "issues" : "comments";
  }

  private static int weightOf(int id) {
    return id % 5 == 0 ? 2 : 1;
  }

  private static long expectedUpTo(int lastId, String type) {
    long n = 0;
    for (int id = 0; id <= lastId; id++) {
      if (type == null || typeOf(id).equals(type)) {
        n += weightOf(id);
      }
    }
    return n;
  }

  private static void process(ProgressReporter r, int id, Set<Integer> done) {
    done.add(id);
    r.add(typeOf(id), weightOf(id));
  }

  @Test
  void aCrashedRunIsResumedFromItsCheckpointAndEveryItemCountsOnce() throws Exception {
    crashAndResume(7, 37, 20, true, 800);
    crashAndResume(0, 10, 5, false, ITEMS); // nothing landed: the second run does everything
    crashAndResume(1_000_000, 50, 30, false, ITEMS); // no crash: closed, interrupted, resumed
  }

  @Property(tries = 40)
  void anyCrashPointResumesToExactCounts(
      @ForAll @IntRange(min = 0, max = 12) int crashAfter,
      @ForAll @IntRange(min = 1, max = 120) int checkpointEvery,
      @ForAll @IntRange(min = 1, max = 60) int flushItems,
      @ForAll boolean landLast,
      @ForAll @IntRange(min = 1, max = ITEMS) int firstRunStopsAt) throws Exception {
    crashAndResume(crashAfter, checkpointEvery, flushItems, landLast, firstRunStopsAt);
  }

  private static void crashAndResume(int crashAfter, int checkpointEvery, int flushItems, boolean landLast,
      int firstRunStopsAt) throws Exception {
    ProgressStore store = ProgressStore.inMemory();
    String job = "crawl";
    LeaseRequest lease1 = LeaseRequest.of("run-1", Duration.ofSeconds(30));
    JobSnapshot started = store.start(ProgressUpdate.builder(job).type("crawler").build(), lease1);
    TestSinks.Crash sink = new TestSinks.Crash(store, crashAfter, landLast);

    // Run 1: one worker goes through the items in order, checkpointing as it goes, until it stops.
    Set<Integer> run1 = new LinkedHashSet<>();
    ProgressReporter r1 = ProgressReporter.builder(sink, job).reporterId(lease1.owner())
        .attempt(started.attempt()).flushEvery(flushItems, Duration.ofMillis(1))
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).closeTimeout(Duration.ofMillis(100)).build();
    r1.total(ITEMS);
    for (int id = 0; id < firstRunStopsAt; id++) {
      process(r1, id, run1);
      if (id % 25 == 0) {
        LockSupport.parkNanos(100_000); // let the flusher interleave with the worker
      }
      if ((id + 1) % checkpointEvery == 0) {
        r1.checkpoint("item-" + id);
      }
    }
    r1.close(); // with a dead sink: times out, loses what was not delivered
    if (store.get(job).status() == JobStatus.RUNNING) {
      store.transition(job, JobStatus.INTERRUPTED, "the worker's process died");
    }

    // Run 2 resumes after the cursor the store kept, and finishes.
    Set<Integer> run2 = new TreeSet<>();
    int cursor;
    try (ProgressReporter r2 = ProgressReporter.resume(store, job, LeaseRequest.of("run-2", Duration.ofSeconds(30)))) {
      Object c = r2.resumption().cursor();
      cursor = c == null ? -1 : Integer.parseInt(((String) c).substring("item-".length()));
      // Atomicity: the counters the job resumes from are exactly those of the items up to the cursor.
      JobSnapshot resumed = r2.resumption().job();
      assertThat(resumed.processedItems()).isEqualTo(expectedUpTo(cursor, null));
      assertThat(number(resumed, "itemsByType.issues")).isEqualTo(expectedUpTo(cursor, "issues"));
      assertThat(number(resumed, "itemsByType.comments")).isEqualTo(expectedUpTo(cursor, "comments"));
      for (int id = cursor + 1; id < ITEMS; id++) {
        process(r2, id, run2);
      }
      r2.complete();
    }

    JobSnapshot done = store.get(job);
    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.processedItems()).isEqualTo(expectedUpTo(ITEMS - 1, null));
    assertThat(number(done, "itemsByType.issues")).isEqualTo(expectedUpTo(ITEMS - 1, "issues"));
    assertThat(number(done, "itemsByType.comments")).isEqualTo(expectedUpTo(ITEMS - 1, "comments"));
    // The items themselves: run 2 did exactly those after the cursor, and together they did all.
    assertThat(cursor).isLessThan(firstRunStopsAt);
    assertThat(run2).isEqualTo(range(cursor + 1, ITEMS));
    Set<Integer> all = new TreeSet<>(run1);
    all.addAll(run2);
    assertThat(all).isEqualTo(range(0, ITEMS));
  }

  private static Set<Integer> range(int from, int to) {
    Set<Integer> s = new TreeSet<>();
    for (int i = from; i < to; i++) {
      s.add(i);
    }
    return s;
  }
}

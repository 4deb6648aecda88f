package dev.headway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.ApplyResult;
import dev.headway.IllegalTransitionException;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.NoSuchJobException;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.TimelineEvent;
import dev.headway.merge.MergePolicy;
import dev.headway.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ProgressStore} must have. A store's test implements this interface
 * and {@link #newStore}; JUnit and jqwik run the default methods against it. Shipped in core's
 * test-jar so the JDBC store runs exactly these tests.
 */
public interface ProgressStoreContract extends JobRunContract {

  /** A new, empty store with this policy and clock. */
  @Override
  ProgressStore newStore(MergePolicy policy, Clock clock);

  /** Writer threads of the concurrency tests. */
  default int writerThreads() {
    return 8;
  }

  /** Increments each writer thread sends to the hot job. */
  default int incrementsPerThread() {
    return 10_000;
  }

  private static TestClock clock() {
    return TestClock.at("2026-01-01T00:00:00Z");
  }

  private ProgressStore store() {
    return newStore(MergePolicy.defaults(), clock());
  }

  private static ProgressUpdate.Builder crawl(String jobId) {
    return ProgressUpdate.builder(jobId).type("crawler");
  }

  @Test
  default void firstUpdateCreatesJobAtVersionOne() {
    try (ProgressStore store = store()) {
      ApplyResult r = store.apply(crawl("crawl-1").status("processing").processedItems(5).build());
      assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(r.snapshot().version()).isEqualTo(1);
      assertThat(r.snapshot().status()).isEqualTo(JobStatus.RUNNING);
      assertThat(store.get("crawl-1")).isEqualTo(r.snapshot());
    }
  }

  @Test
  default void versionIncreasesByOneWithEveryChange() {
    try (ProgressStore store = store()) {
      for (int i = 1; i <= 5; i++) {
        assertThat(store.apply(crawl("j").items("issues", 1).build()).snapshot().version()).isEqualTo(i);
      }
    }
  }

  @Test
  default void retriedUpdateIdIsANoOpThatSaysDuplicate() {
    try (ProgressStore store = store()) {
      ProgressUpdate u = crawl("j").updateId("u-1").items("issues", 50).build();
      JobSnapshot first = store.apply(u).snapshot();
      ApplyResult again = store.apply(u);
      assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(again.snapshot()).isEqualTo(first);
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(50L);
    }
  }

  @Test
  default void redeliveredReporterSeqCountsOnce() {
    try (ProgressStore store = store()) {
      store.apply(crawl("j").reporter("w1", 1).items("issues", 10).build());
      store.apply(crawl("j").reporter("w1", 3).items("issues", 30).build());
      store.apply(crawl("j").reporter("w1", 2).items("issues", 20).build()); // late, counts
      assertThat(store.apply(crawl("j").reporter("w1", 3).items("issues", 30).build()).outcome())
          .isEqualTo(Outcome.DUPLICATE);
      assertThat(store.apply(crawl("j").reporter("w1", 1).items("issues", 10).build()).outcome())
          .isEqualTo(Outcome.DUPLICATE);
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(60L);
      assertThat(store.get("j").version()).isEqualTo(3);
    }
  }

  @Test
  default void seqOlderThanTheWindowIsRefusedAsStaleAndChangesNothing() {
    MergePolicy policy = MergePolicy.defaults().toBuilder().reporterWindow(64).build();
    try (ProgressStore store = newStore(policy, clock())) {
      store.apply(crawl("j").reporter("w1", 100).items("issues", 1).build());
      JobSnapshot before = store.get("j");
      ApplyResult stale = store.apply(crawl("j").reporter("w1", 36).items("issues", 1).build());
      assertThat(stale.outcome()).isEqualTo(Outcome.STALE);
      assertThat(store.get("j")).isEqualTo(before);
      // 37 is the oldest seq the 64-wide window below 100 still covers.
      assertThat(store.apply(crawl("j").reporter("w1", 37).items("issues", 1).build()).outcome())
          .isEqualTo(Outcome.APPLIED);
    }
  }

  @Test
  default void updatesWithoutIdsAreAppliedEveryTime() {
    try (ProgressStore store = store()) {
      ProgressUpdate u = crawl("j").items("issues", 5).build();
      store.apply(u);
      store.apply(u);
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(10L);
    }
  }

  @Test
  default void applyAllAppliesInOrderAndRecognisesDuplicatesWithinTheBatch() {
    try (ProgressStore store = store()) {
      ProgressUpdate a = crawl("j").reporter("w1", 1).items("issues", 5).build();
      ProgressUpdate b = crawl("k").reporter("w1", 1).items("issues", 7).build();
      List<ApplyResult> results = store.applyAll(List.of(a, b, a));
      assertThat(results).extracting(ApplyResult::outcome)
          .containsExactly(Outcome.APPLIED, Outcome.APPLIED, Outcome.DUPLICATE);
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(5L);
      assertThat(store.get("k").field("itemsByType.issues")).isEqualTo(7L);
    }
  }

  @Test
  default void applyAllIsAllOrNothing() {
    try (ProgressStore store = store()) {
      store.apply(crawl("j").items("issues", 1).build());
      JobSnapshot before = store.get("j");
      List<ProgressUpdate> batch = List.of(
          crawl("j").items("issues", 5).build(),
          crawl("new-job").items("issues", 5).build(),
          crawl("j").field("processedItems", "many").build());
      assertThatThrownBy(() -> store.applyAll(batch))
          .isInstanceOf(InvalidUpdateException.class)
          .satisfies(e -> assertThat(((InvalidUpdateException) e).field()).isEqualTo("[2].processedItems"));
      assertThat(store.get("j")).isEqualTo(before);
      assertThat(store.find("new-job")).isEmpty();
    }
  }

  @Test
  default void aBatchOfOneJobAppliesInOrderAndRecognisesDuplicatesWithinIt() {
    try (ProgressStore store = store()) {
      store.apply(crawl("j").reporter("w1", 1).items("issues", 1).build()); // known (and cached) before the batch
      ProgressUpdate a = crawl("j").reporter("w1", 2).items("issues", 5).build();
      ProgressUpdate b = crawl("j").reporter("w1", 3).items("issues", 7).build();
      List<ApplyResult> results = store.applyAll(List.of(a, b, a, crawl("j").reporter("w1", 1).items("issues", 1).build()));
      assertThat(results).extracting(ApplyResult::outcome)
          .containsExactly(Outcome.APPLIED, Outcome.APPLIED, Outcome.DUPLICATE, Outcome.DUPLICATE);
      assertThat(results.get(1).snapshot().field("itemsByType.issues")).isEqualTo(13L);
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(13L);
      assertThat(store.applyAll(List.of(a, b))).extracting(ApplyResult::outcome)
          .containsExactly(Outcome.DUPLICATE, Outcome.DUPLICATE);
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(13L);
    }
  }

  @Test
  default void aBatchOfOneJobIsAllOrNothing() {
    try (ProgressStore store = store()) {
      store.apply(crawl("j").items("issues", 1).build());
      JobSnapshot before = store.get("j");
      List<ProgressUpdate> batch = List.of(
          crawl("j").items("issues", 5).event("page", Map.of()).build(),
          crawl("j").items("issues", 5).build(),
          crawl("j").field("processedItems", "many").build());
      assertThatThrownBy(() -> store.applyAll(batch))
          .isInstanceOf(InvalidUpdateException.class)
          .satisfies(e -> assertThat(((InvalidUpdateException) e).field()).isEqualTo("[2].processedItems"));
      assertThat(store.get("j")).isEqualTo(before);
    }
  }

  @Test
  default void rejectedUpdateChangesNothing() {
    try (ProgressStore store = store()) {
      store.apply(crawl("j").processedItems(10).items("issues", 2).build());
      JobSnapshot before = store.get("j");
      assertThatThrownBy(() -> store.apply(crawl("j").processedItems(20).items("issues", -1).build()))
          .isInstanceOf(InvalidUpdateException.class)
          .hasMessageContaining("itemsByType.issues");
      assertThat(store.get("j")).isEqualTo(before);
      assertThatThrownBy(() -> store.apply(crawl("fresh").field("totalItems", "lots").build()))
          .isInstanceOf(InvalidUpdateException.class);
      assertThat(store.find("fresh")).isEmpty();
    }
  }

  @Test
  default void queryFiltersByStatusTypeParentAndUpdatedSince() {
    TestClock clock = clock();
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.apply(ProgressUpdate.builder("batch-1").type("batch").status("running").build());
      clock.advance(Duration.ofSeconds(1));
      store.apply(ProgressUpdate.builder("a").type("sync").parentId("batch-1").status("completed").build());
      clock.advance(Duration.ofSeconds(1));
      Instant mark = clock.instant();
      store.apply(ProgressUpdate.builder("b").type("sync").parentId("batch-1").status("failed").build());
      clock.advance(Duration.ofSeconds(1));
      store.apply(ProgressUpdate.builder("c").type("crawler").status("running").build());

      assertThat(ids(store.query(JobQuery.all().withStatus(JobStatus.RUNNING)))).containsExactly("c", "batch-1");
      assertThat(ids(store.query(JobQuery.all().withType("sync")))).containsExactly("b", "a");
      assertThat(ids(store.query(JobQuery.all().withParentId("batch-1").withOrder(JobQuery.Order.CREATED_ASC))))
          .containsExactly("a", "b");
      assertThat(ids(store.query(JobQuery.all().withUpdatedSince(mark)))).containsExactly("c", "b");
      assertThat(ids(store.query(JobQuery.all().withStatuses(Set.of(JobStatus.COMPLETED, JobStatus.FAILED))
          .withOrder(JobQuery.Order.ID_ASC)))).containsExactly("a", "b");
      assertThat(ids(store.query(JobQuery.all().withLimit(2)))).containsExactly("c", "b");
      assertThat(ids(store.query(JobQuery.all().withOrder(JobQuery.Order.UPDATED_ASC)))).containsExactly("batch-1", "a", "b", "c");
      assertThat(ids(store.children("batch-1"))).containsExactly("a", "b");
    }
  }

  @Test
  default void purgeDeletesFinishedJobsOlderThanCutoffWithTheirChildren() {
    TestClock clock = clock();
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.apply(ProgressUpdate.builder("old-batch").status("running").build());
      store.apply(ProgressUpdate.builder("old-child").parentId("old-batch").status("completed").build());
      store.apply(ProgressUpdate.builder("old-batch").status("completed").build());
      store.apply(ProgressUpdate.builder("old-running").status("running").build());
      clock.advance(Duration.ofDays(31));
      store.apply(ProgressUpdate.builder("recent").status("completed").build());

      int purged = store.purgeFinishedOlderThan(Duration.ofDays(30));

      assertThat(purged).isEqualTo(2);
      assertThat(store.find("old-batch")).isEmpty();
      assertThat(store.find("old-child")).isEmpty();
      assertThat(store.find("old-running")).isPresent();
      assertThat(store.find("recent")).isPresent();
      // A purged job id can be used again, as a new job.
      assertThat(store.apply(ProgressUpdate.builder("old-batch").build()).snapshot().version()).isEqualTo(1);
    }
  }

  @Test
  default void listenersHearEveryChangeInVersionOrderAndNoDuplicates() throws Exception {
    try (ProgressStore store = store()) {
      List<Long> versions = Collections.synchronizedList(new ArrayList<>());
      List<String> events = Collections.synchronizedList(new ArrayList<>());
      AutoCloseable handle = store.addListener(new StoreListener() {
        @Override
        public void onChange(JobSnapshot snapshot, List<TimelineEvent> newEvents) {
          versions.add(snapshot.version());
          newEvents.forEach(e -> events.add(e.type()));
        }
      });
      store.addListener(new StoreListener() {
        @Override
        public void onChange(JobSnapshot snapshot, List<TimelineEvent> newEvents) {
          throw new IllegalStateException("a broken listener must not break writers");
        }
      });
      ProgressUpdate u = crawl("j").updateId("once").status("running").build();
      store.apply(u);
      store.apply(u);
      store.apply(crawl("j").stage("discovery").build());
      handle.close();
      store.apply(crawl("j").stage("done").build());
      assertThat(versions).containsExactly(1L, 2L);
      assertThat(events).containsExactly(TimelineEvent.STATUS_CHANGE, TimelineEvent.STAGE_CHANGE);
      assertThat(store.get("j").version()).isEqualTo(3);
    }
  }

  @Test
  default void lateProcessingAfterCompletedIsRecordedButNeverReopens() {
    try (ProgressStore store = store()) {
      store.apply(crawl("j").status("processing").build());
      store.apply(crawl("j").status("completed").build());
      ApplyResult late = store.apply(crawl("j").status("processing").processedItems(9).build());
      assertThat(late.snapshot().status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(late.snapshot().processedItems()).isEqualTo(9);
      assertThat(late.newEvents()).extracting(TimelineEvent::type).containsExactly(TimelineEvent.STATUS_IGNORED);
    }
  }

  @Test
  default void resumeStartsANewAttemptOnlyFromInterruptedOrFailed() {
    try (ProgressStore store = store()) {
      store.apply(crawl("j").status("running").lastProcessedId("row-50").build());
      store.apply(crawl("j").status("interrupted").build());
      JobSnapshot resumed = store.resume("j").job();
      assertThat(resumed.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(resumed.attempt()).isEqualTo(2);
      assertThat(resumed.finishedAt()).isNull();
      assertThat(resumed.field("lastProcessedId")).isEqualTo("row-50");
      assertThatThrownBy(() -> store.resume("j")).isInstanceOf(IllegalTransitionException.class);
      store.apply(crawl("j").status("completed").build());
      JobSnapshot done = store.get("j");
      assertThatThrownBy(() -> store.resume("j")).isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining("COMPLETED");
      assertThatThrownBy(() -> store.transition("j", JobStatus.RUNNING, "retry"))
          .isInstanceOf(IllegalTransitionException.class);
      assertThat(store.get("j")).isEqualTo(done);
      assertThatThrownBy(() -> store.resume("nope")).isInstanceOf(NoSuchJobException.class);
    }
  }

  @Test
  default void explicitTransitionRecordsItsReason() {
    try (ProgressStore store = store()) {
      store.apply(crawl("j").status("running").build());
      JobSnapshot cancelled = store.transition("j", JobStatus.CANCELLED, "user asked");
      assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
      assertThat(cancelled.finishedAt()).isNotNull();
      assertThat(cancelled.timeline().last().details()).containsEntry("reason", "user asked");
    }
  }

  /** Stores may group concurrent updates; an invalid one must fail alone and cost the others nothing. */
  @Test
  default void concurrentInvalidUpdatesFailAloneAndNoValidOneIsLost() throws Exception {
    int threads = writerThreads();
    int perThread = 200;
    try (ProgressStore store = store()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> rejected = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String reporter = "w" + t;
        rejected.add(pool.submit(() -> {
          start.await();
          int refused = 0;
          for (int i = 1; i <= perThread; i++) {
            ProgressUpdate.Builder u = crawl("mixed").reporter(reporter, i);
            if (i % 10 == 0) {
              u.field("itemsByType", java.util.Map.of("issues", "ten")); // refused: not a number
            } else {
              u.items("issues", 1);
            }
            try {
              store.apply(u.build());
            } catch (InvalidUpdateException e) {
              assertThat(e.field()).isEqualTo("itemsByType.issues");
              refused++;
            }
          }
          return refused;
        }));
      }
      start.countDown();
      int refused = 0;
      for (Future<Integer> f : rejected) {
        refused += f.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
      assertThat(refused).isEqualTo(threads * perThread / 10);
      JobSnapshot mixed = store.get("mixed");
      assertThat(mixed.field("itemsByType.issues")).isEqualTo((long) threads * perThread * 9 / 10);
      assertThat(mixed.version()).isEqualTo((long) threads * perThread * 9 / 10);
    }
  }

  @Test
  default void concurrentIncrementsOnOneJobAreNeitherLostNorDoubled() throws Exception {
    int threads = writerThreads();
    int perThread = incrementsPerThread();
    try (ProgressStore store = store()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String reporter = "w" + t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 1; i <= perThread; i++) {
            ProgressUpdate u = crawl("hot").reporter(reporter, i).items("issues", 1).processedItems(i).build();
            store.apply(u);
            if (i % 97 == 0) {
              store.apply(u); // a retry now and then must not count
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
      JobSnapshot hot = store.get("hot");
      assertThat(hot.field("itemsByType.issues")).isEqualTo((long) threads * perThread);
      assertThat(hot.processedItems()).isEqualTo(perThread);
      assertThat(hot.version()).isEqualTo((long) threads * perThread);
    }
  }

  @Test
  default void writersOnDistinctJobsEachGetExactTotals() throws Exception {
    int threads = Math.min(4, writerThreads());
    int perThread = Math.max(1, incrementsPerThread() / 4);
    try (ProgressStore store = store()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String job = "job-" + t;
        futures.add(pool.submit(() -> {
          for (int i = 1; i <= perThread; i++) {
            store.applyAll(List.of(crawl(job).updateId(job + "-" + i).items("rows", 2).build()));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
      for (int t = 0; t < threads; t++) {
        assertThat(store.get("job-" + t).field("itemsByType.rows")).isEqualTo(2L * perThread);
      }
    }
  }

  /** Any delivery of a history, with retries, sums to the history's distinct increments. */
  @Property(tries = 40)
  default void anyRedeliveryOfUpdatesCountsEachOnce(
      @ForAll("deliveries") List<Integer> deliveries, @ForAll @IntRange(min = 1, max = 4) int reporters) {
    try (ProgressStore store = store()) {
      long expected = 0;
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int d : deliveries) {
        String reporter = "w" + (d % reporters);
        long seq = d / reporters;
        long amount = 1 + (d % 7);
        store.apply(crawl("p").reporter(reporter, seq).items("issues", amount).build());
        if (seen.add(reporter + "#" + seq)) {
          expected += amount;
        }
      }
      assertThat(store.get("p").field("itemsByType.issues")).isEqualTo(expected);
      assertThat(store.get("p").version()).isEqualTo(seen.size());
    }
  }

  @Provide
  default Arbitrary<List<Integer>> deliveries() {
    // Small numbers, so the same (reporter, seq) recurs often; all within the default window.
    return Arbitraries.integers().between(0, 200).list().ofMinSize(1).ofMaxSize(80);
  }

  /** Random sends, retries, finishes, interrupts, resumes and purges against a model. */
  @Property(tries = 40)
  default void anySequenceOfOperationsKeepsTheStoreEqualToTheModel(
      @ForAll("operations") ActionChain<StoreModelChain> chain) {
    chain.withInvariant(StoreModelChain::checkInvariants).run();
  }

  @Provide
  default Arbitrary<ActionChain<StoreModelChain>> operations() {
    ActionChainArbitrary<StoreModelChain> chains = ActionChain.startWith(() -> {
      TestClock clock = clock();
      return new StoreModelChain(newStore(MergePolicy.defaults(), clock), clock);
    });
    for (var action : StoreModelChain.actions()) {
      chains = chains.withAction(action);
    }
    return chains.withMaxTransformations(40);
  }

  private static List<String> ids(List<JobSnapshot> jobs) {
    return jobs.stream().map(JobSnapshot::jobId).toList();
  }
}

package dev.headway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.IllegalTransitionException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.Lease;
import dev.headway.LeaseHeldException;
import dev.headway.LeaseLostException;
import dev.headway.LeaseRequest;
import dev.headway.NoSuchJobException;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.Resumption;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * How every store runs jobs: leases, the stale-job sweep, checkpoints and exact resume. Part of
 * {@link ProgressStoreContract}, so each store runs these against itself.
 */
public interface JobRunContract {

  ProgressStore newStore(MergePolicy policy, Clock clock);

  Duration TTL = Duration.ofSeconds(30);
  LeaseRequest RUN_A = LeaseRequest.of("host-a-1", TTL);
  LeaseRequest RUN_B = LeaseRequest.of("host-b-2", TTL);

  private static ProgressUpdate first(String jobId) {
    return ProgressUpdate.builder(jobId).type("sync").build();
  }

  private static long count(JobSnapshot s, String eventType) {
    return s.timeline().events().stream().filter(e -> e.type().equals(eventType)).count();
  }

  @Test
  default void startTakesTheLeaseAndASecondRunGetsAnErrorNamingOwnerAndExpiry() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      JobSnapshot started = store.start(first("sync-7"), RUN_A);
      assertThat(started.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(started.lease()).isEqualTo(new Lease("host-a-1", clock.instant().plus(TTL)));

      assertThatThrownBy(() -> store.start(first("sync-7"), RUN_B))
          .isInstanceOfSatisfying(LeaseHeldException.class, e -> {
            assertThat(e.owner()).isEqualTo("host-a-1");
            assertThat(e.expiresAt()).isEqualTo(clock.instant().plus(TTL));
            assertThat(e.expired()).isFalse();
          })
          .hasMessageContaining("host-a-1").hasMessageContaining("2026-01-01T00:00:30Z");
      assertThatThrownBy(() -> store.resume("sync-7", RUN_B.withTakeover()))
          .isInstanceOf(LeaseHeldException.class);
      assertThat(store.get("sync-7")).isEqualTo(started);
    }
  }

  @Test
  default void startingAgainWithTheSameOwnerRenewsInsteadOfFailing() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.start(first("sync-7"), RUN_A);
      clock.advance(Duration.ofSeconds(10));
      JobSnapshot again = store.start(first("sync-7"), RUN_A);
      assertThat(again.lease().expiresAt()).isEqualTo(clock.instant().plus(TTL));
      assertThat(again.attempt()).isEqualTo(1);
    }
  }

  @Test
  default void anExpiredLeaseIsTakenOnlyWithTakeoverAndThenAsANewAttempt() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.start(first("sync-7"), RUN_A);
      clock.advance(TTL.plusSeconds(1));

      assertThatThrownBy(() -> store.start(first("sync-7"), RUN_B))
          .isInstanceOfSatisfying(LeaseHeldException.class, e -> assertThat(e.expired()).isTrue())
          .hasMessageContaining("takeover");
      assertThatThrownBy(() -> store.resume("sync-7", RUN_B)).isInstanceOf(LeaseHeldException.class);

      Resumption r = store.resume("sync-7", RUN_B.withTakeover());
      assertThat(r.job().status()).isEqualTo(JobStatus.RUNNING);
      assertThat(r.attempt()).isEqualTo(2);
      assertThat(r.job().lease().owner()).isEqualTo("host-b-2");
      assertThat(r.job().timeline().events()).anySatisfy(e -> {
        assertThat(e.type()).isEqualTo(TimelineEvent.STATUS_CHANGE);
        assertThat(e.details()).containsEntry("to", "INTERRUPTED");
        assertThat((String) e.details().get("reason")).contains("taken over by host-b-2", "host-a-1");
      });
      // The old owner has lost the job: its heartbeat says so.
      assertThatThrownBy(() -> store.renew("sync-7", "host-a-1", TTL)).isInstanceOf(LeaseLostException.class)
          .hasMessageContaining("host-b-2");
    }
  }

  @Test
  default void aJobRunningWithoutALeaseIsTakenOnlyByResumeWithTakeover() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.apply(ProgressUpdate.builder("legacy").status("running").items("rows", 3).checkpoint(3).build());

      assertThatThrownBy(() -> store.start(first("legacy"), RUN_A)).isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining("takeover");
      assertThatThrownBy(() -> store.resume("legacy", RUN_A)).isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining("takeover");
      Resumption r = store.resume("legacy", RUN_A.withTakeover());

      assertThat(r.attempt()).isEqualTo(2);
      assertThat(r.job().lease().owner()).isEqualTo("host-a-1");
      assertThat(r.cursor()).isEqualTo(3L);
      // The same owner resuming its own running job is a mistake, not a takeover.
      assertThatThrownBy(() -> store.resume("legacy", RUN_A.withTakeover()))
          .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("already running");
    }
  }

  @Test
  default void aJobFinishedByItsFirstReportHoldsNoLease() {
    try (ProgressStore store = newStore(MergePolicy.defaults(), TestClock.at("2026-01-01T00:00:00Z"))) {
      JobSnapshot s = store.start(ProgressUpdate.builder("tiny").status("completed").build(), RUN_A);
      assertThat(s.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(s.lease()).isNull();
    }
  }

  @Test
  default void renewalExtendsTheLeaseFromTheStoresClock() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.start(first("sync-7"), RUN_A);
      clock.advance(Duration.ofSeconds(20));
      Lease renewed = store.renew("sync-7", "host-a-1", TTL);
      assertThat(renewed.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:00:50Z"));
      assertThat(store.get("sync-7").lease()).isEqualTo(renewed);
      assertThat(store.get("sync-7").heartbeatAt()).isEqualTo(clock.instant());
      clock.advance(Duration.ofSeconds(25)); // 15 s past the first expiry: renewed, so not stale
      assertThat(store.interruptStale(null)).isEmpty();
      assertThatThrownBy(() -> store.renew("sync-7", "host-b-2", TTL)).isInstanceOf(LeaseLostException.class);
      assertThatThrownBy(() -> store.renew("nope", "host-a-1", TTL)).isInstanceOf(LeaseLostException.class);
    }
  }

  @Test
  default void theSweeperInterruptsRunningJobsWhoseLeaseExpiredAndNothingElse() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.start(first("expired"), RUN_A);
      store.start(first("live"), LeaseRequest.of("host-c", Duration.ofMinutes(10)));
      store.apply(ProgressUpdate.builder("silent").status("running").build());
      store.apply(ProgressUpdate.builder("done").status("completed").build());
      clock.advance(Duration.ofMinutes(2));
      store.apply(ProgressUpdate.builder("chatty").status("running").build());

      List<JobSnapshot> swept = store.interruptStale(null);

      assertThat(swept).extracting(JobSnapshot::jobId).containsExactly("expired");
      JobSnapshot s = store.get("expired");
      assertThat(s.status()).isEqualTo(JobStatus.INTERRUPTED);
      assertThat(s.lease()).isNull();
      assertThat(count(s, TimelineEvent.LEASE_EXPIRED)).isEqualTo(1);
      assertThat(s.timeline().events()).anySatisfy(e -> {
        assertThat(e.type()).isEqualTo(TimelineEvent.LEASE_EXPIRED);
        assertThat(e.details()).containsEntry("owner", "host-a-1")
            .containsEntry("expiredAt", "2026-01-01T00:00:30Z");
      });
      assertThat(store.get("live").status()).isEqualTo(JobStatus.RUNNING);
      assertThat(store.get("silent").status()).isEqualTo(JobStatus.RUNNING);

      // Jobs that never took a lease are swept only when asked to, after their silence.
      assertThat(store.interruptStale(Duration.ofMinutes(1))).extracting(JobSnapshot::jobId)
          .containsExactly("silent");
      assertThat(store.get("chatty").status()).isEqualTo(JobStatus.RUNNING);
      assertThat(store.get("done").status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(store.interruptStale(Duration.ofMinutes(1))).isEmpty();
    }
  }

  @Test
  default void sweepersRunningAtOnceInterruptEachJobExactlyOnce() throws Exception {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      for (int i = 0; i < 20; i++) {
        store.start(first("job-" + i), RUN_A);
      }
      clock.advance(TTL.plusSeconds(1));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<JobSnapshot>>> sweeps = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          sweeps.add(pool.submit(() -> store.interruptStale(null)));
        }
        List<String> swept = new ArrayList<>();
        for (Future<List<JobSnapshot>> f : sweeps) {
          f.get().forEach(s -> swept.add(s.jobId()));
        }
        assertThat(swept).hasSize(20).doesNotHaveDuplicates();
      } finally {
        pool.shutdownNow();
      }
      for (int i = 0; i < 20; i++) {
        JobSnapshot s = store.get("job-" + i);
        assertThat(s.status()).isEqualTo(JobStatus.INTERRUPTED);
        assertThat(count(s, TimelineEvent.LEASE_EXPIRED)).isEqualTo(1);
      }
    }
  }

  @Test
  default void resumeReturnsTheCheckpointAndRollsCountersBackToIt() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.start(first("sync-7"), RUN_A);
      store.apply(ProgressUpdate.builder("sync-7").reporter("host-a-1", 1).items("orders", 40)
          .processedItems(40).totalItems(100).stage("orders").checkpoint(Map.of("table", "orders", "lastId", 40))
          .build());
      // Counted after the checkpoint, then the process died: these items are done again.
      store.apply(ProgressUpdate.builder("sync-7").reporter("host-a-1", 2).items("orders", 7)
          .processedItems(47).stage("orders-tail").build());
      clock.advance(TTL.plusSeconds(1));
      store.interruptStale(null);

      Resumption r = store.resume("sync-7", RUN_B);

      assertThat(r.cursor()).isEqualTo(Map.of("table", "orders", "lastId", 40L));
      assertThat(r.attempt()).isEqualTo(2);
      assertThat(r.job().field("itemsByType.orders")).isEqualTo(40L);
      assertThat(r.job().processedItems()).isEqualTo(40L);
      assertThat(r.job().totalItems()).isEqualTo(100L);
      assertThat(r.job().field("stage")).as("not a counter: keeps its newest value").isEqualTo("orders-tail");
      assertThat(r.progress()).isEqualTo(r.job().progress());
      assertThat(r.job().timeline().events()).anySatisfy(e -> {
        assertThat(e.type()).isEqualTo(TimelineEvent.ROLLED_BACK);
        assertThat(e.details().get("counters")).isEqualTo(Map.of(
            "itemsByType.orders", Map.of("from", 47L, "to", 40L),
            "processedItems", Map.of("from", 47L, "to", 40L)));
      });
      assertThat(store.get("sync-7")).isEqualTo(r.job());
    }
  }

  @Test
  default void resumeWithoutACheckpointStartsTheCountersOver() {
    try (ProgressStore store = newStore(MergePolicy.defaults(), TestClock.at("2026-01-01T00:00:00Z"))) {
      store.apply(ProgressUpdate.builder("j").status("running").items("orders", 5).processedItems(5)
          .lastProcessedId("o-5").build());
      store.transition("j", JobStatus.FAILED, "boom");

      Resumption r = store.resume("j");

      assertThat(r.checkpoint()).isNull();
      assertThat(r.cursor()).isNull();
      assertThat(r.job().field("itemsByType.orders")).isNull();
      assertThat(r.job().processedItems()).isZero();
      assertThat(r.job().field("lastProcessedId")).isEqualTo("o-5");
    }
  }

  @Test
  default void resumingAPausedJobKeepsItsCountersAndAttempt() {
    try (ProgressStore store = newStore(MergePolicy.defaults(), TestClock.at("2026-01-01T00:00:00Z"))) {
      store.apply(ProgressUpdate.builder("j").status("running").items("orders", 5).build());
      store.transition("j", JobStatus.PAUSED, "maintenance window");
      Resumption r = store.resume("j");
      assertThat(r.attempt()).isEqualTo(1);
      assertThat(r.job().field("itemsByType.orders")).isEqualTo(5L);
    }
  }

  @Test
  default void resumingABatchReturnsTheChildrenThatStillHaveWork() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.start(first("sync-all"), RUN_A);
      for (String table : List.of("customers", "orders", "invoices", "archive")) {
        clock.advance(Duration.ofSeconds(1));
        store.apply(ProgressUpdate.builder("sync-all/" + table).parentId("sync-all").status("queued").build());
      }
      store.apply(ProgressUpdate.builder("sync-all/customers").status("completed").build());
      store.apply(ProgressUpdate.builder("sync-all/orders").status("running").checkpoint("o-500").build());
      store.apply(ProgressUpdate.builder("sync-all/archive").status("skipped").build());
      clock.advance(TTL.plusSeconds(1));
      store.interruptStale(Duration.ofSeconds(10));

      Resumption r = store.resume("sync-all", RUN_B);

      assertThat(r.pendingChildren()).extracting(JobSnapshot::jobId)
          .containsExactly("sync-all/orders", "sync-all/invoices");
      JobSnapshot orders = r.pendingChildren().get(0);
      assertThat(orders.status()).isEqualTo(JobStatus.INTERRUPTED);
      assertThat(store.resume(orders.jobId(), RUN_B).cursor()).isEqualTo("o-500");
      assertThat(r.pendingChildren().get(1).status()).isEqualTo(JobStatus.QUEUED);
    }
  }

  @Test
  default void resumingAMissingOrCompletedJobIsAClearError() {
    try (ProgressStore store = newStore(MergePolicy.defaults(), TestClock.at("2026-01-01T00:00:00Z"))) {
      assertThatThrownBy(() -> store.resume("nope", RUN_A)).isInstanceOf(NoSuchJobException.class)
          .hasMessageContaining("nope");
      store.apply(ProgressUpdate.builder("done").status("completed").build());
      assertThatThrownBy(() -> store.resume("done", RUN_A)).isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining("COMPLETED");
      assertThatThrownBy(() -> store.start(first("done"), RUN_A)).isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining("terminal");
    }
  }

  @Test
  default void reportsOfAnEarlierAttemptAreStaleAndChangeNothing() {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      store.start(first("j"), RUN_A);
      store.apply(ProgressUpdate.builder("j").attempt(1).reporter("host-a-1", 1).items("rows", 10)
          .checkpoint(10).build());
      clock.advance(TTL.plusSeconds(1));
      store.resume("j", RUN_B.withTakeover());
      JobSnapshot before = store.get("j");

      // The first run was only slow, not dead: what it still sends must not count.
      assertThat(store.apply(ProgressUpdate.builder("j").attempt(1).reporter("host-a-1", 2).items("rows", 5)
          .build()).outcome()).isEqualTo(Outcome.STALE);
      assertThat(store.get("j")).isEqualTo(before);
      assertThat(store.apply(ProgressUpdate.builder("j").attempt(2).reporter("host-b-2", 1).items("rows", 5)
          .build()).outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(store.get("j").field("itemsByType.rows")).isEqualTo(15L);
    }
  }

  @Test
  default void finishingReleasesTheLeaseAndCompletingDropsTheCheckpoint() {
    try (ProgressStore store = newStore(MergePolicy.defaults(), TestClock.at("2026-01-01T00:00:00Z"))) {
      store.start(first("a"), RUN_A);
      store.apply(ProgressUpdate.builder("a").checkpoint("x").status("failed").build());
      assertThat(store.get("a").lease()).isNull();
      assertThat(store.get("a").checkpoint().cursor()).as("a failed job can be resumed").isEqualTo("x");
      store.start(first("b"), RUN_A);
      store.apply(ProgressUpdate.builder("b").checkpoint("y").status("completed").build());
      assertThat(store.get("b").lease()).isNull();
      assertThat(store.get("b").checkpoint()).isNull();
      assertThat(store.apply(ProgressUpdate.builder("b").checkpoint("z").build()).snapshot().checkpoint()).isNull();
    }
  }

  /**
   * Exact resume: runs process items 1..N in order, report counts in chunks, checkpoint now and
   * then, and die at any point (what they had not sent is lost; what they sent after their last
   * checkpoint was stored). Each next run resumes from the checkpoint. Every item ends up counted
   * exactly once.
   */
  @Property(tries = 25)
  default void crashedRunsResumedFromTheirCheckpointsCountEveryItemOnce(
      @ForAll("runs") List<List<Integer>> runs) {
    int items = 60;
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    try (ProgressStore store = newStore(MergePolicy.defaults(), clock)) {
      long next = 1; // the first item the current run processes
      int attempt = 1;
      store.start(ProgressUpdate.builder("crawl").build(), LeaseRequest.of("run-1", TTL));
      List<Long> done = Collections.synchronizedList(new ArrayList<>());
      for (int run = 0; run <= runs.size(); run++) {
        // Each entry of a run's plan: how many items in the next chunk; odd chunks checkpoint.
        List<Integer> plan = run < runs.size() ? runs.get(run) : List.of(items); // the last run finishes
        String reporter = "run-" + (run + 1);
        long seq = 0;
        for (int chunk = 0; chunk < plan.size() && next <= items; chunk++) {
          long n = Math.min(plan.get(chunk), items - next + 1);
          for (long i = next; i < next + n; i++) {
            done.add(i);
          }
          next += n;
          ProgressUpdate.Builder u = ProgressUpdate.builder("crawl").reporter(reporter, ++seq).attempt(attempt)
              .items("pages", n).processedItems(next - 1);
          if (chunk % 2 == 1) {
            u.checkpoint(next - 1);
          }
          store.apply(u.build());
        }
        if (next > items) {
          store.apply(ProgressUpdate.builder("crawl").reporter(reporter, ++seq).attempt(attempt)
              .status("completed").build());
          break;
        }
        // The run dies; its lease runs out; the sweeper and the next run take over.
        clock.advance(TTL.plusSeconds(1));
        assertThat(store.interruptStale(null)).hasSize(1);
        Resumption r = store.resume("crawl", LeaseRequest.of("run-" + (run + 2), TTL));
        attempt = r.attempt();
        long cursor = r.cursor() == null ? 0 : (Long) r.cursor();
        done.removeIf(i -> i > cursor); // those are processed again by the next run
        next = cursor + 1;
      }
      JobSnapshot s = store.get("crawl");
      assertThat(s.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(done).hasSize(items).doesNotHaveDuplicates();
      assertThat(s.field("itemsByType.pages")).isEqualTo((long) items);
      assertThat(s.processedItems()).isEqualTo(items);
    }
  }

  @Provide
  default Arbitrary<List<List<Integer>>> runs() {
    return Arbitraries.integers().between(1, 9).list().ofMinSize(0).ofMaxSize(6).list().ofMaxSize(4);
  }
}

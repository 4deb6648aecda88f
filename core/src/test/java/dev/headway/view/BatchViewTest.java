package dev.headway.view;

import dev.headway.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headway.JobStatus;
import dev.headway.ProgressUpdate;
import dev.headway.merge.MergePolicy;
import dev.headway.store.ProgressStore;
import dev.headway.view.BatchView.AggregateStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchViewTest {
  private static final String BATCH = "batch-7";

  private TestClock clock;
  private ProgressStore store;

  @BeforeEach
  void storeWithABatch() {
    clock = new TestClock(Instant.parse("2025-01-06T10:00:00Z"));
    store = ProgressStore.inMemory(MergePolicy.defaults(), clock);
    store.apply(ProgressUpdate.builder(BATCH).type("sync-all").status("processing").build());
  }

  /** Creates children c0, c1, ... with the given status words. */
  private void children(String... statuses) {
    for (int i = 0; i < statuses.length; i++) {
      clock.advance(Duration.ofSeconds(1));
      ProgressUpdate.Builder b = ProgressUpdate.builder("c" + i).type("sync").parentId(BATCH);
      if (JobStatus.parse(statuses[i]) != JobStatus.QUEUED) {
        b.status("processing");
        store.apply(b.build());
        b = ProgressUpdate.builder("c" + i);
      }
      store.apply(b.status(statuses[i]).build());
    }
  }

  private BatchView view() {
    return BatchView.of(store.get(BATCH), store.children(BATCH));
  }

  @Test
  void childrenAreCountedByStatusWithEveryStatusPresent() {
    children("queued", "queued", "processing", "completed", "completed", "completed", "failed");

    BatchView v = view();

    assertThat(v.childCount()).isEqualTo(7);
    assertThat(v.childrenByStatus()).containsOnlyKeys(JobStatus.values());
    assertThat(v.childrenByStatus())
        .containsEntry(JobStatus.QUEUED, 2)
        .containsEntry(JobStatus.RUNNING, 1)
        .containsEntry(JobStatus.COMPLETED, 3)
        .containsEntry(JobStatus.FAILED, 1)
        .containsEntry(JobStatus.PAUSED, 0)
        .containsEntry(JobStatus.INTERRUPTED, 0);
    assertThat(v.childrenByStatus().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(7);
  }

  @Test
  void batchWhoseChildrenAllWaitIsQueued() {
    children("queued", "pending", "queued");

    BatchView v = view();

    assertThat(v.status()).isEqualTo(AggregateStatus.QUEUED);
    assertThat(v.percentDone()).isZero();
  }

  @Test
  void batchWithARunningChildIsRunning() {
    children("queued", "in_progress", "queued");

    assertThat(view().status()).isEqualTo(AggregateStatus.RUNNING);
  }

  @Test
  void batchWithSomeChildrenFinishedAndOthersWaitingIsRunning() {
    children("completed", "queued", "failed");

    assertThat(view().status()).isEqualTo(AggregateStatus.RUNNING);
  }

  @Test
  void batchWithAPausedChildIsRunning() {
    children("completed", "paused");

    assertThat(view().status()).isEqualTo(AggregateStatus.RUNNING);
  }

  @Test
  void batchWhoseChildrenAllCompletedIsCompleted() {
    children("completed", "completed", "skipped");

    BatchView v = view();

    assertThat(v.status()).isEqualTo(AggregateStatus.COMPLETED);
    assertThat(v.percentDone()).isEqualTo(100.0);
  }

  @Test
  void batchWhoseChildrenAllFailedIsFailed() {
    children("failed", "failed", "interrupted");

    assertThat(view().status()).isEqualTo(AggregateStatus.FAILED);
  }

  @Test
  void batchThatCompletedWithSomeFailedChildrenIsMixedAsInSeed000() {
    // Seed 000: 35 completed and 2 failed of a finished batch show as "mixed".
    String[] statuses = new String[37];
    Arrays.fill(statuses, 0, 35, "completed");
    Arrays.fill(statuses, 35, 37, "failed");
    children(statuses);

    BatchView v = view();

    assertThat(v.status()).isEqualTo(AggregateStatus.MIXED);
    assertThat(v.childrenByStatus()).containsEntry(JobStatus.COMPLETED, 35).containsEntry(JobStatus.FAILED, 2);
    assertThat(v.percentDone()).isEqualTo(100.0);
  }

  @Test
  void percentDoneCountsFinishedChildrenWhetherTheySucceededOrNot() {
    children("completed", "failed", "processing", "queued");

    assertThat(view().percentDone()).isCloseTo(50.0, within(1e-9));
  }

  @Test
  void countersOfChildrenAreSummed() {
    store.apply(ProgressUpdate.builder("c0").parentId(BATCH).processedItems(150).totalItems(1000)
        .items("issues", 50).items("prs", 10).build());
    store.apply(ProgressUpdate.builder("c1").parentId(BATCH).processedItems(30).totalItems(40)
        .items("issues", 5).build());
    store.apply(ProgressUpdate.builder("c2").parentId(BATCH).processedItems(7).items("commits", 7).build());
    store.apply(ProgressUpdate.builder("elsewhere").parentId("batch-8").processedItems(999).totalItems(999)
        .items("issues", 999).build());

    BatchView v = view();

    assertThat(v.childCount()).isEqualTo(3);
    assertThat(v.processedItems()).isEqualTo(187);
    assertThat(v.totalItems()).isEqualTo(1040L);
    assertThat(v.itemsByType()).containsOnly(
        Map.entry("issues", 55L), Map.entry("prs", 10L), Map.entry("commits", 7L));
  }

  @Test
  void totalIsUnknownWhenNoChildKnowsItsTotal() {
    store.apply(ProgressUpdate.builder("c0").parentId(BATCH).processedItems(5).build());
    store.apply(ProgressUpdate.builder("c1").parentId(BATCH).processedItems(6).build());

    BatchView v = view();

    assertThat(v.totalItems()).isNull();
    assertThat(v.processedItems()).isEqualTo(11);
  }

  @Test
  void batchWithoutChildrenFollowsItsOwnStatus() {
    BatchView running = view();
    store.apply(ProgressUpdate.builder(BATCH).status("completed").build());
    BatchView done = view();

    assertThat(running.childCount()).isZero();
    assertThat(running.status()).isEqualTo(AggregateStatus.RUNNING);
    assertThat(running.percentDone()).isZero();
    assertThat(done.status()).isEqualTo(AggregateStatus.COMPLETED);
  }
}

package dev.headway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.store.ProgressStore;
import dev.headway.view.ProgressView;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The README's quick start, line for line: if this breaks, the README is wrong. */
class QuickStartTest {
  @Test
  void quickStartCountsARetriedUpdateOnce() {
    // --- README quick start begins
    ProgressStore store = ProgressStore.inMemory();
    ProgressUpdate update = ProgressUpdate.builder("crawl-42")
        .reporter("worker-1", 1)          // reporter + seq: a retry is never counted twice
        .status("processing")
        .processedItems(150).totalItems(1000)
        .items("issues", 50)
        .stage("data_collection")
        .build();
    store.apply(update);
    store.apply(update);                  // a retry: recognised as a duplicate
    JobSnapshot job = store.get("crawl-42");
    ProgressView view = ProgressView.of(job, Clock.systemUTC());
    System.out.println(job.field("itemsByType.issues") + " issues, " + view.percent() + "%"); // 50 issues, 15.0%
    // --- README quick start ends

    assertThat(job.field("itemsByType.issues")).isEqualTo(50L);
    assertThat(view.percent()).isEqualTo(15.0);
    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.version()).isEqualTo(1);
  }
}

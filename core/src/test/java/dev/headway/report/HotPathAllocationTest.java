package dev.headway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.store.ProgressStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The counting methods allocate nothing: a worker's hot loop puts no load on the collector. */
class HotPathAllocationTest {

  @Test
  void aMillionCountingCallsAllocateNothingOnTheWorkersThread() throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    ProgressStore store = ProgressStore.inMemory();
    try (ProgressReporter r = ProgressReporter.start(store, ProgressUpdate.builder("crawl").build(),
        LeaseRequest.of("worker", Duration.ofSeconds(30)))) {
      for (int i = 0; i < 200_000; i++) { // every type seen and the code compiled before measuring
        r.increment("issues");
        r.add("commits", 2);
        r.processed(1);
      }
      long tid = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 1_000_000; i++) {
        r.increment("issues");
        r.add("commits", 2);
        r.processed(1);
      }
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      // 3,000,000 calls: even one 16-byte object per thousand calls would be 48 KB.
      assertThat(allocated).as("bytes allocated by 3,000,000 counting calls").isLessThan(16 * 1024);
      r.complete();
      assertThat(r.flush(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(store.get("crawl").field("itemsByType.issues")).isEqualTo(1_200_000L);
    assertThat(store.get("crawl").processedItems()).isEqualTo(1_200_000L * 4);
  }
}

package dev.headway.bench;

import dev.headway.ProgressUpdate;
import dev.headway.store.ProgressStore;
import java.lang.management.ManagementFactory;
import java.util.Map;

/** Retained heap of jobs in the in-memory store, measured as used heap after full collections. */
final class HeapMeasure {
  private HeapMeasure() {}

  /** Bytes retained per finished job with this many timeline events and itemsByType keys. */
  static double bytesPerJob(int jobs, int events, int types) {
    long before = usedAfterGc();
    ProgressStore store = ProgressStore.inMemory();
    for (int j = 0; j < jobs; j++) {
      fill(store, "job-" + j, events, types);
    }
    long after = usedAfterGc();
    if (store.find("job-0").isEmpty()) {
      throw new IllegalStateException("store lost its jobs");
    }
    return (after - before) / (double) jobs;
  }

  /** Heap, in bytes, of a store holding {@code jobs} finished typical jobs. */
  static long storeBytes(int jobs) {
    return Math.round(bytesPerJob(jobs, 10, 5) * jobs);
  }

  // A finished job as a crawler leaves it: status changes, stage changes, reporter events, counters.
  private static void fill(ProgressStore store, String jobId, int events, int types) {
    long seq = 0;
    store.apply(ProgressUpdate.builder(jobId).type("crawler").reporter("w1", ++seq).status("processing")
        .totalItems(1000).build());
    int eventsLeft = events - 2; // the two status changes
    int t = 0;
    while (eventsLeft > 0 || t < types) {
      ProgressUpdate.Builder b = ProgressUpdate.builder(jobId).reporter("w1", ++seq).processedItems(seq * 10)
          .lastProcessedId("item-" + seq).items("type" + (t % Math.max(1, types)), 10);
      t++;
      if (eventsLeft > 0) {
        b.event("areas_discovered", Map.of("seq", seq));
        eventsLeft--;
      }
      store.apply(b.build());
    }
    store.apply(ProgressUpdate.builder(jobId).reporter("w1", ++seq).status("completed").build());
  }

  static long usedAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 6; i++) {
      System.gc();
      try {
        Thread.sleep(60);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}

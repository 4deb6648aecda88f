package dev.headway.jdbc;

import dev.headway.ProgressUpdate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The updates one reporter of {@link MultiProcessPostgresTest} sends, generated from a seed so
 * that the child that sends them and the parent that checks the totals agree without talking.
 *
 * <p>Reporter {@code r} sends seqs 1..count; each goes to one of {@link #JOBS} and adds a random
 * amount to {@code itemsByType.issues} and {@code itemsByType.pulls}. The delivery order repeats
 * every update 1-3 times and shuffles the lot; with count at most the dedupe window (1024) every
 * redelivery is recognised, none is stale.
 */
final class InterleavedWorkload {
  static final List<String> JOBS = List.of("mp-job-1", "mp-job-2", "mp-job-3");
  static final int WINDOW = 1024;

  private InterleavedWorkload() {}

  /** The distinct updates of one reporter, seq 1..count. */
  static List<ProgressUpdate> updates(String reporter, long seed, int count) {
    if (count > WINDOW) {
      throw new IllegalArgumentException("count " + count + " would reorder beyond the dedupe window");
    }
    Random r = new Random(seed);
    List<ProgressUpdate> out = new ArrayList<>(count);
    for (long seq = 1; seq <= count; seq++) {
      out.add(ProgressUpdate.builder(JOBS.get(r.nextInt(JOBS.size())))
          .reporter(reporter, seq)
          .items("issues", 1 + r.nextInt(50))
          .items("pulls", r.nextInt(7))
          .build());
    }
    return out;
  }

  /** The delivery order: every update 1-3 times, shuffled. */
  static List<ProgressUpdate> deliveries(String reporter, long seed, int count) {
    Random r = new Random(seed * 31 + 7);
    List<ProgressUpdate> out = new ArrayList<>();
    for (ProgressUpdate u : updates(reporter, seed, count)) {
      for (int copies = 1 + r.nextInt(3); copies > 0; copies--) {
        out.add(u);
      }
    }
    Collections.shuffle(out, r);
    return out;
  }

  /** What the jobs must hold once every reporter's updates are in. */
  record Totals(long issues, long pulls, long updates) {
    Totals plus(ProgressUpdate u) {
      Map<?, ?> byType = (Map<?, ?>) u.fields().get("itemsByType");
      return new Totals(issues + ((Number) byType.get("issues")).longValue(),
          pulls + ((Number) byType.get("pulls")).longValue(), updates + 1);
    }
  }

  /** Per job, the sums and the number of distinct updates of all the given reporters. */
  static Map<String, Totals> expected(Map<String, Long> seedByReporter, int count) {
    Map<String, Totals> totals = new TreeMap<>();
    seedByReporter.forEach((reporter, seed) -> {
      for (ProgressUpdate u : updates(reporter, seed, count)) {
        totals.merge(u.jobId(), new Totals(0, 0, 0).plus(u), (a, b) -> a.plus(u));
      }
    });
    return totals;
  }
}

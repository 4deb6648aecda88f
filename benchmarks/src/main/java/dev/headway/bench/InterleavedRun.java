package dev.headway.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One report per commit, one thread, every sink in one JVM taking turns: each round sends
 * {@code perRound} reports through each sink in order, and the figure per sink is the median of its
 * rounds (the first round, the JIT's, is left out). Where JMH's separate trials see a database
 * move between them (durable H2 compacting its file, a shared disk under PostgreSQL), taking turns
 * lets every sink see the same moments, so the ratios hold still where the absolute figures do not.
 * Each sink's stored count must equal the reports sent, as in the JMH rows. Sharing a JVM, the
 * sinks share the JIT's profiles too (the call through {@link ReportSink} is megamorphic), a small
 * cost each pays alike.
 */
final class InterleavedRun {
  private InterleavedRun() {}

  /** Median microseconds per report of each sink, in the order given. */
  static Map<String, Double> run(BenchDb db, List<String> impls, int perRound, int rounds) {
    if (rounds < 2) {
      throw new IllegalArgumentException("rounds (" + rounds + ") must be at least 2: the first is left out");
    }
    Map<String, ReportSink> sinks = new LinkedHashMap<>();
    Map<String, List<Double>> micros = new LinkedHashMap<>();
    long sent = (long) perRound * rounds;
    try {
      for (String impl : impls) {
        if (!Sinks.supports(impl, "single")) {
          throw new IllegalArgumentException(impl + " cannot run one report per commit: " + Sinks.whyNot(impl, "single"));
        }
        ReportSink sink = Sinks.open(impl, db, "interleaved-" + impl + "-" + System.nanoTime());
        sinks.put(impl, sink);
        sink.prepare("single");
        micros.put(impl, new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, ReportSink> e : sinks.entrySet()) {
          long t0 = System.nanoTime();
          for (long seq = (long) round * perRound + 1, last = seq + perRound; seq < last; seq++) {
            e.getValue().report("single", Report.of("interleaved", seq));
          }
          if (round > 0) {
            micros.get(e.getKey()).add((System.nanoTime() - t0) / 1000.0 / perRound);
          }
        }
      }
      for (Map.Entry<String, ReportSink> e : sinks.entrySet()) {
        long stored = e.getValue().countedReports("single");
        if (stored != sent) {
          throw new IllegalStateException(e.getKey() + " on " + db.rowName() + " stored " + stored
              + " reports but " + sent + " were sent");
        }
      }
    } finally {
      sinks.values().forEach(ReportSink::close);
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    micros.forEach((impl, m) -> medians.put(impl, median(m)));
    return medians;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** {@code bash benchmarks/run.sh interleaved [h2|h2lazy|pg]}: prints each sink's median and its ratios. */
  static void main(BenchDb db) {
    boolean lazy = db == BenchDb.H2LAZY;
    List<String> impls = List.of("raw", "rowfloor", "enginerow", "headway", "handwritten", "springbatch");
    int rounds = 12;
    Map<String, Double> medians = run(db, impls, lazy ? 30_000 : db == BenchDb.PG ? 1_000 : 5_000, rounds);
    double headway = medians.get("headway");
    System.out.printf(Locale.ROOT, "%nOne report per commit, sinks taking turns on %s (median of %d rounds)%n",
        db.rowName(), rounds - 1);
    System.out.printf(Locale.ROOT, "%-12s %12s %14s  %s%n", "sink", "us/report", "reports/s", "headway/sink");
    medians.forEach((impl, us) -> System.out.printf(Locale.ROOT, "%-12s %12.1f %,14.0f  %.2fx%n",
        impl, us, 1e6 / us, us / headway));
  }
}

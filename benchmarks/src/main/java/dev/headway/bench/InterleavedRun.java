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
  /** Reports a batch sink sends per call (one commit), as in the {@code batch100} rows. */
  static final int BATCH = 100;

  private InterleavedRun() {}

  /**
   * One sink taking turns: {@code impl} with one report per commit ({@code batch == 1}, job
   * {@code single}), or {@code batch} reports per call ({@link ReportSink#reportBatch}, job
   * {@code batch}), sending {@code share} times the round's reports. Its label names it in the
   * results.
   */
  record Entry(String label, String impl, int batch, int share) {
    static Entry single(String impl) {
      return new Entry(impl, impl, 1, 1);
    }

    /**
     * Batches of {@link #BATCH}, ten times the round's reports: a batch costs a round about what a
     * single report costs, so without the share it would send too few for the JIT to settle.
     */
    static Entry batched(String impl) {
      return batched(impl, 10);
    }

    /** Batches of {@link #BATCH}, {@code share} times the round's reports. */
    static Entry batched(String impl, int share) {
      return new Entry(impl + ".batch" + BATCH, impl, BATCH, share);
    }

    String job() {
      return batch == 1 ? "single" : "batch";
    }

    String variant() {
      return batch == 1 ? "single" : "batch100";
    }
  }

  /**
   * Median microseconds per report of each entry, in the order given. A round sends
   * {@code perRound} reports times its share through each (whole batches for batch entries).
   */
  static Map<String, Double> runEntries(BenchDb db, List<Entry> entries, int perRound, int rounds) {
    if (rounds < 2) {
      throw new IllegalArgumentException("rounds (" + rounds + ") must be at least 2: the first is left out");
    }
    Map<Entry, ReportSink> sinks = new LinkedHashMap<>();
    Map<String, List<Double>> micros = new LinkedHashMap<>();
    try {
      for (Entry entry : entries) {
        if ((long) perRound * entry.share() % entry.batch() != 0) {
          throw new IllegalArgumentException(entry.label() + " sends " + (long) perRound * entry.share()
              + " reports a round, not whole batches of " + entry.batch());
        }
        if (!Sinks.supports(entry.impl(), entry.variant())) {
          throw new IllegalArgumentException(entry.impl() + " cannot run " + entry.variant() + ": "
              + Sinks.whyNot(entry.impl(), entry.variant()));
        }
        ReportSink sink = Sinks.open(entry.impl(), db, "interleaved-" + entry.impl() + "-" + System.nanoTime());
        sinks.put(entry, sink);
        sink.prepare(entry.job());
        micros.put(entry.label(), new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<Entry, ReportSink> e : sinks.entrySet()) {
          Entry entry = e.getKey();
          ReportSink sink = e.getValue();
          long reports = (long) perRound * entry.share();
          long t0 = System.nanoTime();
          for (long seq = round * reports + 1, last = seq + reports; seq < last; seq += entry.batch()) {
            if (entry.batch() == 1) {
              sink.report(entry.job(), Report.of("interleaved", seq));
            } else {
              List<Report> batch = new ArrayList<>(entry.batch());
              for (int i = 0; i < entry.batch(); i++) {
                batch.add(Report.of("interleaved", seq + i));
              }
              sink.reportBatch(entry.job(), batch);
            }
          }
          if (round > 0) {
            micros.get(entry.label()).add((System.nanoTime() - t0) / 1000.0 / reports);
          }
        }
      }
      for (Map.Entry<Entry, ReportSink> e : sinks.entrySet()) {
        long sent = (long) perRound * e.getKey().share() * rounds;
        long stored = e.getValue().countedReports(e.getKey().job());
        if (stored != sent) {
          throw new IllegalStateException(e.getKey().label() + " on " + db.rowName() + " stored " + stored
              + " reports but " + sent + " were sent");
        }
      }
    } finally {
      sinks.values().forEach(ReportSink::close);
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    micros.forEach((label, m) -> medians.put(label, median(m)));
    return medians;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Rounds of a measurement; the first, the JIT's, is left out of the medians. */
  static final int ROUNDS = 12;

  /**
   * Reports per round on a database: enough that a round takes each sink a few hundred
   * milliseconds (lazy H2 commits in microseconds, durable H2 and PostgreSQL in tenths of one).
   */
  static int perRound(BenchDb db) {
    return switch (db) {
      case H2LAZY -> 30_000;
      case H2 -> 5_000;
      case PG -> 1_000;
    };
  }

  /**
   * The sinks of the {@code single} and {@code batch100} rows: every one-report-per-commit sink,
   * then batches of 100 by Headway, by hand-written JSON (a share of one: it is slow enough to warm
   * up on a round's reports) and by the raw floor's UPDATE (for the table's note).
   */
  static List<Entry> suite() {
    List<Entry> entries = new ArrayList<>();
    for (String impl : List.of("raw", "rowfloor", "enginerow", "headway", "handwritten", "springbatch")) {
      entries.add(Entry.single(impl));
    }
    entries.add(Entry.batched("headway"));
    entries.add(Entry.batched("handwritten", 1));
    entries.add(Entry.batched("raw"));
    return entries;
  }

  /** The medians of {@link #suite()} on a database, us per report by label. */
  static Map<String, Double> measure(BenchDb db) {
    return runEntries(db, suite(), perRound(db), ROUNDS);
  }

  /**
   * {@code bash benchmarks/run.sh interleaved [h2|h2lazy|pg]}: prints each one-report-per-commit
   * sink's median and Headway's ratio to it, then the batches of 100 against the raw floor.
   */
  static void main(BenchDb db) {
    Map<String, Double> medians = measure(db);
    double headway = medians.get("headway");
    System.out.printf(Locale.ROOT, "%nSinks taking turns on %s (median of %d rounds)%n", db.rowName(), ROUNDS - 1);
    System.out.printf(Locale.ROOT, "%-24s %12s %14s  %s%n", "sink", "us/report", "reports/s", "headway/sink");
    medians.forEach((label, us) -> {
      if (!label.contains(".batch")) {
        System.out.printf(Locale.ROOT, "%-24s %12.1f %,14.0f  %.2fx%n", label, us, 1e6 / us, us / headway);
      }
    });
    double raw = medians.get("raw");
    medians.forEach((label, us) -> {
      if (label.contains(".batch")) {
        System.out.printf(Locale.ROOT, "%-24s %12.1f %,14.0f  %.1fx the raw floor's reports/s (%d reports per commit)%n",
            label, us, 1e6 / us, raw / us, BATCH);
      }
    });
  }
}

package dev.headway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the suite ({@code full} or {@code quick}), prints a table and writes
 * {@code benchmarks/target/bench-summary.json}: one row per workload with Headway's figure, each
 * baseline's figure measured in the same run, and their ratios. Exits non-zero when a workload's
 * correctness check fails.
 */
public final class BenchMain {
  /** One row of the summary; {@code fields} are extra figures of the row, written as they are. */
  record Row(String name, String unit, Double headway, Map<String, Double> baselines, String note,
      Map<String, Object> fields) {
    Row(String name, String unit, Double headway, Map<String, Double> baselines, String note) {
      this(name, unit, headway, baselines, note, Map.of());
    }
  }

  private final boolean quick;
  private final List<Row> rows = new ArrayList<>();
  private final Map<BenchDb, Double> rawSingle = new LinkedHashMap<>();
  private final Map<String, Object> extra = new LinkedHashMap<>();

  BenchMain(boolean quick) {
    this.quick = quick;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("interleaved")) {
      String name = args.length > 1 ? args[1] : "h2";
      BenchDb db = java.util.Arrays.stream(BenchDb.values()).filter(d -> d.rowName().equals(name)).findFirst().orElse(null);
      if (db == null) {
        System.err.println("unknown database " + name + ": use h2, h2lazy or pg");
        System.exit(2);
      }
      runOrFail(() -> InterleavedRun.main(db));
      return;
    }
    if (args.length > 0 && args[0].equals("split")) {
      runOrFail(() -> SplitTableProbe.main(Path.of(System.getProperty("headway.bench.dir", "benchmarks/target/db"))));
      return;
    }
    boolean quick = args.length > 0 && args[0].equals("quick");
    BenchMain main = new BenchMain(quick);
    long t0 = System.nanoTime();
    try {
      main.runAll();
    } catch (RunnerException | RuntimeException e) {
      System.err.println("BENCHMARK FAILED: " + e.getMessage());
      main.write(Path.of("benchmarks", "target", "bench-summary.json"), (System.nanoTime() - t0) / 1e9, false);
      System.exit(1);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    main.print(seconds);
    main.write(Path.of("benchmarks", "target", "bench-summary.json"), seconds, true);
  }

  /** Runs a single-purpose mode; a failed check ends the JVM with status 1 and one line, as the suite does. */
  private static void runOrFail(Runnable mode) {
    try {
      mode.run();
    } catch (RuntimeException e) {
      System.err.println("BENCHMARK FAILED: " + e.getMessage());
      System.exit(1);
    }
  }

  private void runAll() throws RunnerException {
    merge();
    inMemory();
    boolean pg = postgresReachable();
    List<BenchDb> dbs = new ArrayList<>(List.of(BenchDb.H2, BenchDb.H2LAZY));
    if (pg) {
      dbs.add(BenchDb.PG);
    } else {
      System.err.println("PostgreSQL is not reachable: jdbc.pg.* rows are skipped");
    }
    for (BenchDb db : quick ? List.of(BenchDb.H2, BenchDb.H2LAZY) : dbs) {
      if (quick) {
        jdbc(db, "single");
        jdbc(db, "batch100");
      } else {
        rows.addAll(takingTurns(db, InterleavedRun.measure(db)));
        jdbc(db, "distinct4");
        jdbc(db, "hot8");
      }
    }
    reporter();
    heap();
    if (!quick) {
      for (BenchDb db : dbs) {
        if (db != BenchDb.H2LAZY) {
          scale(db);
        }
      }
    }
  }

  // ---- workloads ----

  /**
   * JMH's include pattern (found anywhere in a benchmark's full name) for the merge trials at a
   * timeline length: Jackson's figure is compared at 100 events only, so the other lengths run
   * Headway alone, to show its allocation.
   */
  static String mergeInclude(String events) {
    return MergeBench.class.getSimpleName() + (events.equals("100") ? "\\." : "\\.headway$");
  }

  private void merge() throws RunnerException {
    Map<String, Double> ns = new LinkedHashMap<>();
    Map<String, Double> alloc = new LinkedHashMap<>();
    for (String events : quick ? List.of("100") : List.of("0", "100", "1000")) {
      ChainedOptionsBuilder o = options(mergeInclude(events), 2, 1).param("events", events)
          .addProfiler(GCProfiler.class);
      for (RunResult r : new Runner(o.build()).run()) {
        String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
        ns.put(method + "@" + events, r.getPrimaryResult().getScore());
        Result a = r.getSecondaryResults().get("·gc.alloc.rate.norm");
        if (a == null) {
          a = r.getSecondaryResults().get("gc.alloc.rate.norm");
        }
        alloc.put(method + "@" + events, a == null ? null : a.getScore());
      }
    }
    // Throughput ratio: Jackson's time over Headway's time (higher is better for Headway).
    double headway = 1e9 / ns.get("headway@100");
    double jackson = 1e9 / ns.get("jackson@100");
    rows.add(new Row("merge", "updates/s", headway, Map.of("jackson", jackson),
        String.format(Locale.ROOT, "%.0f ns/op vs %.0f ns/op; bytes allocated per update: %s", ns.get("headway@100"),
            ns.get("jackson@100"), allocSummary(alloc))));
    extra.put("merge.nsPerOp", ns);
    extra.put("merge.bytesPerOp", alloc);
  }

  private static String allocSummary(Map<String, Double> alloc) {
    StringBuilder b = new StringBuilder();
    alloc.forEach((k, v) -> {
      if (k.startsWith("headway") && v != null) {
        b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f B with %s events", v,
            k.substring(k.indexOf('@') + 1)));
      }
    });
    return b.toString();
  }

  private void inMemory() throws RunnerException {
    for (String variant : quick ? List.of("single") : List.of("single", "distinct2", "hot8")) {
      double score = first(new Runner(options(InMemoryBench.class.getSimpleName() + "\\." + variant + "$", 2, 1).build()).run());
      rows.add(new Row("inmem." + variant, "reports/s", score, Map.of(), null));
    }
  }

  private void jdbc(BenchDb db, String variant) throws RunnerException {
    Map<String, Double> baselines = new LinkedHashMap<>();
    Double headway = null;
    List<String> notes = new ArrayList<>();
    for (String impl : List.of("headway", "raw", "rowfloor", "enginerow", "handwritten", "springbatch")) {
      if ((impl.equals("rowfloor") || impl.equals("enginerow")) && !variant.equals("single")) {
        continue; // what the row costs is the same question in every variant; ask it once per database
      }
      if (!Sinks.supports(impl, variant)) {
        notes.add(impl + ": not expressible (" + Sinks.whyNot(impl, variant) + ")");
        continue;
      }
      double score = first(new Runner(jdbcOptions(variant)
          .param("db", db.name().toLowerCase(Locale.ROOT)).param("impl", impl).build()).run());
      if (impl.equals("headway")) {
        headway = score;
      } else if (impl.equals("raw") && variant.equals("batch100") && rawSingle.containsKey(db)) {
        // The floor is one report per commit; a batch is measured against it (the issue's target).
        baselines.put("raw", rawSingle.get(db));
        notes.add(String.format(Locale.ROOT, "raw UPDATEs batched 100 per commit reach %,.0f reports/s", score));
      } else {
        baselines.put(impl, score);
      }
      if (impl.equals("raw") && variant.equals("single")) {
        rawSingle.put(db, score);
      }
    }
    rows.add(new Row("jdbc." + db.rowName() + "." + variant, "reports/s", headway, baselines,
        notes.isEmpty() ? null : String.join("; ", notes)));
  }

  /**
   * The full run's {@code single} and {@code batch100} rows of a database, from its sinks taking
   * turns in one JVM ({@link InterleavedRun#suite()}): separate JMH trials of a one-report-per-commit
   * sink each catch a shared disk in its own mood, and on these machines moved a ratio by up to
   * 2x from one run to the next; taking turns exposes every sink to the same moments. Medians in
   * us per report become reports per second. A batch is measured against the one-per-commit floor.
   */
  static List<Row> takingTurns(BenchDb db, Map<String, Double> medians) {
    String how = String.format(Locale.ROOT, "sinks taking turns in one JVM, median of %d rounds of %,d reports",
        InterleavedRun.ROUNDS - 1, InterleavedRun.perRound(db));
    Map<String, Double> single = new LinkedHashMap<>();
    for (String impl : List.of("raw", "rowfloor", "enginerow", "handwritten", "springbatch")) {
      single.put(impl, perSecond(medians, impl));
    }
    String batched = InterleavedRun.Entry.batched("headway").label();
    Map<String, Double> batch = new LinkedHashMap<>();
    batch.put("raw", single.get("raw"));
    batch.put("handwritten", perSecond(medians, InterleavedRun.Entry.batched("handwritten").label()));
    String batchNote = String.format(Locale.ROOT, "%s; raw UPDATEs batched 100 per commit reach %,.0f reports/s; "
        + "springbatch: not expressible (%s)", how, perSecond(medians, InterleavedRun.Entry.batched("raw").label()),
        Sinks.whyNot("springbatch", "batch100"));
    String prefix = "jdbc." + db.rowName() + ".";
    return List.of(
        new Row(prefix + "single", "reports/s", perSecond(medians, "headway"), single, how, Map.of()),
        new Row(prefix + "batch100", "reports/s", perSecond(medians, batched), batch, batchNote, Map.of()));
  }

  private static double perSecond(Map<String, Double> microsPerReport, String label) {
    Double us = microsPerReport.get(label);
    if (us == null) {
      throw new IllegalStateException("no median for " + label);
    }
    return 1e6 / us;
  }

  private void reporter() throws RunnerException {
    Path result = Path.of("benchmarks", "target", "db", ReporterBench.RESULT_FILE);
    try {
      Files.deleteIfExists(result);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    for (String impl : List.of("reporter", "longadder")) {
      scores.put(impl, first(new Runner(options(ReporterBench.class.getSimpleName() + "\\.hot8$", 2, 1)
          .param("impl", impl).build()).run()));
    }
    Double perMillion = ReporterBench.writesPerMillion(result);
    if (perMillion == null) {
      throw new IllegalStateException("the reporter benchmark left no count of its store writes in " + result);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("writesPerMillion", perMillion);
    rows.add(new Row("reporter.hot8", "increments/s", scores.get("reporter"), Map.of("longadder", scores.get("longadder")),
        String.format(Locale.ROOT, "8 threads on one reporter over the JDBC store on durable H2; %,.1f store writes "
            + "per million increments (one per %,.0f)", perMillion, 1e6 / perMillion), fields));
  }

  private void heap() {
    double typical = HeapMeasure.bytesPerJob(quick ? 2_000 : 20_000, 10, 5);
    rows.add(new Row("heap.perjob.typical", "bytes/job", typical, Map.of(),
        "a finished job with 10 timeline events and 5 itemsByType keys"));
    if (!quick) {
      double capped = HeapMeasure.bytesPerJob(200, 1000, 50);
      rows.add(new Row("heap.perjob", "bytes/job", capped, Map.of(),
          "a finished job with 1,000 timeline events (the cap) and 50 itemsByType keys"));
      long store = HeapMeasure.storeBytes(100_000);
      rows.add(new Row("heap.store100k", "MiB", store / 1048576.0, Map.of(),
          "an in-memory store holding 100,000 finished typical jobs"));
    }
  }

  private void scale(BenchDb db) {
    int[] sizes = {1_000, 100_000, 1_000_000};
    ScaleMeasure.Result r = ScaleMeasure.run(db, sizes, db == BenchDb.PG ? 1_000 : 2_000, db == BenchDb.PG ? 200 : 300);
    ScaleMeasure.Point small = r.points().get(0);
    for (ScaleMeasure.Point p : r.points()) {
      String size = p.jobs() >= 1_000_000 ? (p.jobs() / 1_000_000) + "m" : (p.jobs() / 1_000) + "k";
      rows.add(new Row("scale." + db.rowName() + "." + size + ".update", "us/update", p.updateMicros(),
          Map.of(), String.format(Locale.ROOT, "%.2fx the time at 1k", p.updateMicros() / small.updateMicros())));
      rows.add(new Row("scale." + db.rowName() + "." + size + ".query", "us/query", p.queryMicros(),
          Map.of(), String.format(Locale.ROOT, "status=running limit 50; %.2fx the time at 1k",
              p.queryMicros() / small.queryMicros())));
    }
    extra.put("scale." + db.rowName() + ".plan", r.queryPlan());
  }

  // ---- plumbing ----

  /**
   * A JDBC trial of JMH: the quick run's {@code single} and {@code batch100} (one-second warm-up),
   * and the full run's {@code distinct4} and {@code hot8} (several threads: they cannot take turns).
   * Each trial is a fresh JVM; in the full run two 2-second warm-up iterations and two measured ones
   * of 1.5 s keep it within its 15 minutes, and these variants' targets compare Headway with
   * hand-written JSON, which warms alike. (The full run's one-thread rows take turns instead:
   * {@link #takingTurns}.)
   */
  ChainedOptionsBuilder jdbcOptions(String variant) {
    String include = JdbcBench.class.getSimpleName() + "\\." + variant + "$";
    if (quick) {
      return options(include, 2, 1);
    }
    return options(include, 2, 2).measurementTime(TimeValue.milliseconds(1500));
  }

  private ChainedOptionsBuilder options(String include, int measure, int warmup) {
    Path dbDir = Path.of("benchmarks", "target", "db").toAbsolutePath();
    return new OptionsBuilder()
        .include(include)
        .forks(1)
        .warmupIterations(warmup)
        .warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(measure)
        .measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .shouldFailOnError(true)
        .jvmArgsAppend("-Xmx2g", "-Dheadway.bench.dir=" + dbDir,
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
  }

  private static double first(Collection<RunResult> results) {
    if (results.isEmpty()) {
      throw new IllegalStateException("a benchmark produced no result");
    }
    return results.iterator().next().getPrimaryResult().getScore();
  }

  private static boolean postgresReachable() {
    try (Connection c = DriverManager.getConnection(BenchDb.PG.url(""), BenchDb.PG.user(), BenchDb.PG.password())) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  private void print(double seconds) {
    System.out.println();
    System.out.printf(Locale.ROOT, "Headway benchmarks (%s, %.0f s), %s, %d cores%n", quick ? "quick" : "full", seconds,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-28s %-13s %12s  %s%n", "row", "unit", "headway", "baselines (figure, headway/baseline)");
    for (Row r : rows) {
      StringBuilder b = new StringBuilder();
      r.baselines().forEach((k, v) -> b.append(String.format(Locale.ROOT, "%s %s (%.2fx)  ", k, fmt(v),
          r.headway() == null ? Double.NaN : r.headway() / v)));
      System.out.printf(Locale.ROOT, "%-28s %-13s %12s  %s%s%n", r.name(), r.unit(), fmt(r.headway()), b,
          r.note() == null ? "" : "[" + r.note() + "]");
    }
  }

  private static String fmt(Double v) {
    if (v == null) {
      return "-";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  /** Adds a row to the summary (the workloads do; tests add their own). */
  void add(Row row) {
    rows.add(row);
  }

  void write(Path file, double seconds, boolean complete) throws IOException {
    Files.createDirectories(file.getParent());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("mode", quick ? "quick" : "full");
    root.put("complete", complete);
    root.put("finishedAt", Instant.now().toString());
    root.put("seconds", Math.round(seconds));
    root.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
        "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
    List<Object> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("unit", r.unit());
      m.put("headway", r.headway());
      m.put("baselines", r.baselines());
      Map<String, Double> ratios = new LinkedHashMap<>();
      r.baselines().forEach((k, v) -> ratios.put(k, r.headway() == null ? null : r.headway() / v));
      m.put("ratios", ratios);
      if (r.note() != null) {
        m.put("note", r.note());
      }
      m.putAll(r.fields());
      out.add(m);
    }
    root.put("rows", out);
    root.put("extra", extra);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    System.out.println("wrote " + file);
  }
}

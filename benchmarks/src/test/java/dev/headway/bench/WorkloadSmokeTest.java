package dev.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every workload for a handful of operations with its correctness check, so a broken
 * benchmark fails {@code mvn verify}. No timing is asserted here.
 */
class WorkloadSmokeTest {
  @BeforeAll
  static void dbDir() {
    System.setProperty("headway.bench.dir", "target/db");
  }

  private static BenchReporter reporter(int index) {
    BenchReporter r = new BenchReporter();
    r.start(index);
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"headway", "raw", "rowfloor", "enginerow", "handwritten", "springbatch"})
  void everyJdbcWorkloadStoresExactlyTheReportsSent(String impl) {
    JdbcBench bench = new JdbcBench();
    bench.db = "h2";
    bench.impl = impl;
    bench.open();
    List<BenchReporter> reporters = List.of(reporter(0), reporter(1), reporter(2), reporter(3));
    for (int i = 0; i < 12; i++) {
      bench.single(reporters.get(0));
      bench.distinct4(reporters.get(i % 4));
      if (Sinks.supports(impl, "hot8")) {
        bench.hot8(reporters.get(i % 4));
      }
    }
    if (Sinks.supports(impl, "batch100")) {
      bench.batch100(reporters.get(1));
    }
    bench.checkNothingLostOrDoubled(); // throws on any difference
  }

  @Test
  void theCorrectnessCheckCatchesASinkThatLosesReports() {
    JdbcBench bench = new JdbcBench();
    bench.db = "h2";
    bench.impl = "raw";
    ReportSink real = Sinks.open("raw", BenchDb.H2, "lossy-" + System.nanoTime());
    bench.open(new ReportSink() {
      private int n;

      @Override
      public void prepare(String jobId) {
        real.prepare(jobId);
      }

      @Override
      public void report(String jobId, Report report) {
        if (++n % 3 != 0) {
          real.report(jobId, report); // every third report is silently lost
        }
      }

      @Override
      public void reportBatch(String jobId, List<Report> reports) {
        real.reportBatch(jobId, reports);
      }

      @Override
      public long countedReports(String jobId) {
        return real.countedReports(jobId);
      }

      @Override
      public void close() {
        real.close();
      }
    });
    BenchReporter r = reporter(0);
    for (int i = 0; i < 6; i++) {
      bench.single(r);
    }
    assertThatThrownBy(bench::checkNothingLostOrDoubled).hasMessageContaining("stored 4 reports for job single");
  }

  @Test
  void inMemoryWorkloadsStoreExactlyTheReportsSent() {
    InMemoryBench bench = new InMemoryBench();
    bench.open();
    BenchReporter a = new BenchReporter();
    a.start(0);
    BenchReporter b = new BenchReporter();
    b.start(1);
    for (int i = 0; i < 20; i++) {
      bench.single(a);
      bench.distinct2(i % 2 == 0 ? a : b);
      bench.hot8(i % 2 == 0 ? a : b);
    }
    bench.checkNothingLostOrDoubled();
  }

  @ParameterizedTest
  @ValueSource(strings = {"reporter", "longadder"})
  void reporterWorkloadStoresExactlyTheIncrementsMade(String impl) throws Exception {
    java.nio.file.Files.deleteIfExists(ReporterBench.resultFile());
    ReporterBench bench = new ReporterBench();
    bench.impl = impl;
    bench.open();
    ReporterBench.Worker a = bench.worker();
    ReporterBench.Worker b = bench.worker();
    for (int i = 0; i < 2_000; i++) {
      bench.hot8(i % 2 == 0 ? a : b);
    }
    bench.checkNothingLostOrDoubled(); // throws on any difference
    if (impl.equals("reporter")) {
      assertThat(ReporterBench.writesPerMillion(ReporterBench.resultFile())).isPositive().isLessThanOrEqualTo(10_000);
    }
  }

  @Test
  void theReporterCorrectnessCheckCatchesIncrementsThatWereNotStored() {
    ReporterBench bench = new ReporterBench();
    bench.impl = "reporter";
    bench.open();
    ReporterBench.Worker a = bench.worker();
    for (int i = 0; i < 10; i++) {
      bench.hot8(a);
    }
    a.increments += 3; // three increments the reporter never saw
    assertThatThrownBy(bench::checkNothingLostOrDoubled).hasMessageContaining("but 13 increments were made");
  }

  @Test
  void mergeWorkloadMergesAndTheJacksonBaselineRoundTrips() throws Exception {
    MergeBench bench = new MergeBench();
    bench.events = 20;
    bench.build();
    var state = bench.headway();
    assertThat(state.snapshot().timeline().size()).isGreaterThanOrEqualTo(20);
    assertThat(bench.jackson()).contains("\"timeline\"").contains("areas_discovered");
  }

  @Test
  void heapAndScaleMeasurementsProduceFigures() {
    assertThat(HeapMeasure.bytesPerJob(2_000, 10, 5)).isPositive(); // ~8 MB retained: well above GC noise
    ScaleMeasure.Result r = ScaleMeasure.run(BenchDb.H2, new int[] {200, 400}, 40, 5);
    assertThat(r.points()).extracting(ScaleMeasure.Point::jobs).containsExactly(200, 400);
    assertThat(r.queryPlan()).containsIgnoringCase("jobs_status");
  }

  @Test
  void interleavedRunGivesEverySinkAMedianAfterCheckingItsCount() {
    java.util.Map<String, Double> medians =
        InterleavedRun.runEntries(BenchDb.H2, List.of("raw", "enginerow", "headway").stream()
            .map(InterleavedRun.Entry::single).toList(), 5, 3);
    assertThat(medians).containsOnlyKeys("raw", "enginerow", "headway");
    assertThat(medians.values()).allSatisfy(us -> assertThat(us).isPositive().isFinite());
  }

  @Test
  void interleavedRunTakesBatchesOfAHundredInTurnWithSingleReports() {
    java.util.Map<String, Double> medians = InterleavedRun.runEntries(BenchDb.H2,
        List.of(InterleavedRun.Entry.single("raw"), InterleavedRun.Entry.batched("headway")), 20, 2);
    assertThat(medians).containsOnlyKeys("raw", "headway.batch100");
    assertThat(medians.values()).allSatisfy(us -> assertThat(us).isPositive().isFinite());
  }

  @Test
  void theFullRunsTurnsRunEverySinkOfTheSuiteAndMakeTheSingleAndBatchRows() {
    java.util.Map<String, Double> medians = InterleavedRun.runEntries(BenchDb.H2, InterleavedRun.suite(), 100, 2);
    List<BenchMain.Row> rows = BenchMain.takingTurns(BenchDb.H2, medians);

    assertThat(rows).extracting(BenchMain.Row::name).containsExactly("jdbc.h2.single", "jdbc.h2.batch100");
    assertThat(rows).allSatisfy(row -> {
      assertThat(row.headway()).isPositive().isFinite();
      assertThat(row.baselines().values()).allSatisfy(v -> assertThat(v).isPositive().isFinite());
    });
  }

  @Test
  void interleavedRunRefusesRoundsThatAreNotWholeBatches() {
    assertThatThrownBy(() -> InterleavedRun.runEntries(BenchDb.H2, List.of(InterleavedRun.Entry.batched("headway")), 15, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole batches of 100");
  }

  @Test
  void interleavedRunNeedsARoundBeyondTheWarmUp() {
    assertThatThrownBy(() -> InterleavedRun.runEntries(BenchDb.H2, List.of(InterleavedRun.Entry.single("raw")), 5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rounds (1)");
  }
}

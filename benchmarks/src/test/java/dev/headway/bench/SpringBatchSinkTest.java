package dev.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Spring Batch baseline persists every report, and says what it cannot express. */
class SpringBatchSinkTest {

  @BeforeAll
  static void settings() {
    System.setProperty("headway.bench.dir", "target/db");
    System.setProperty("org.slf4j.simpleLogger.log.org.springframework", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void h2SingleJobCountsEveryReport() {
    try (SpringBatchSink sink = new SpringBatchSink(BenchDb.H2, unique("springbatch-single"))) {
      singleJob(sink, 50);
    }
  }

  @Test
  void h2DistinctJobsOnFourThreads() throws Exception {
    try (SpringBatchSink sink = new SpringBatchSink(BenchDb.H2, unique("springbatch-distinct4"))) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<String>> jobs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          String jobId = "job-" + t;
          jobs.add(pool.submit(() -> {
            sink.prepare(jobId);
            for (long seq = 1; seq <= 25; seq++) {
              sink.report(jobId, Report.of("worker-" + jobId, seq));
            }
            return jobId;
          }));
        }
        for (Future<String> job : jobs) {
          assertThat(sink.countedReports(job.get())).isEqualTo(25);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void timelineKeepsTheLatestEntries() {
    try (SpringBatchSink sink = new SpringBatchSink(BenchDb.H2, unique("springbatch-cap"), 3)) {
      sink.prepare("job");
      for (long seq = 1; seq <= 50; seq++) {
        sink.report("job", Report.of("worker-1", seq));
      }
      assertThat(sink.countedReports("job")).isEqualTo(50);
      List<?> timeline = (List<?>) sink.storedContext("job").get("timeline");
      assertThat(timeline).hasSize(3);
      assertThat(((Map<?, ?>) timeline.get(2)).get("seq")).isEqualTo(50L);
      assertThat(((Map<?, ?>) timeline.get(0)).get("seq")).isEqualTo(30L);
    }
  }

  @Test
  void saysWhatSpringBatchCannotExpress() {
    try (SpringBatchSink sink = new SpringBatchSink(BenchDb.H2, unique("springbatch-unsupported"))) {
      assertThat(sink.supportsBatch()).isFalse();
      assertThat(sink.supportsSharedJob()).isFalse();
      sink.prepare("job");
      assertThatThrownBy(() -> sink.reportBatch("job", List.of(Report.of("w", 1))))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("Spring Batch");
      assertThat(sink.countedReports("job")).isZero();
    }
  }

  @Test
  void postgresqlSingleJobCountsEveryReport() {
    assumePostgresql();
    try (SpringBatchSink sink = new SpringBatchSink(BenchDb.PG, unique("springbatch-single"))) {
      singleJob(sink, 50);
    }
  }

  private static void singleJob(SpringBatchSink sink, int reports) {
    String jobId = unique("crawl");
    sink.prepare(jobId);
    long start = System.nanoTime();
    for (long seq = 1; seq <= reports; seq++) {
      sink.report(jobId, Report.of("worker-1", seq));
    }
    long micros = (System.nanoTime() - start) / 1_000 / reports;
    System.out.println(sink + ": " + reports + " reports, about " + micros + " us a report (cold, not a measurement)");

    assertThat(sink.countedReports(jobId)).isEqualTo(reports);
    Map<String, Object> context = sink.storedContext(jobId);
    assertThat(context).containsEntry("processedItems", reports * 3L)
        .containsEntry("lastProcessedId", "issue-" + reports);
    assertThat(context.get("itemsByType"))
        .isEqualTo(Map.of("groups", reports / 3L, "issues", (long) reports, "commits", 2L * reports));
    assertThat((List<?>) context.get("timeline")).hasSize(reports / 10);
  }

  /** Skips (or, with HEADWAY_REQUIRE_DATABASES=1, fails) when PostgreSQL is not reachable. */
  private static void assumePostgresql() {
    String url = BenchDb.PG.url("unused");
    DriverManager.setLoginTimeout(5);
    try (Connection c = DriverManager.getConnection(url, BenchDb.PG.user(), BenchDb.PG.password())) {
      c.isValid(5);
    } catch (SQLException e) {
      String message = "PostgreSQL is not reachable at " + url + " (" + e.getMessage() + ")";
      if ("1".equals(System.getenv("HEADWAY_REQUIRE_DATABASES"))) {
        throw new IllegalStateException(message + "; HEADWAY_REQUIRE_DATABASES=1 requires it", e);
      }
      System.err.println("SKIPPED: " + message + "; set HEADWAY_REQUIRE_DATABASES=1 to make this a failure");
      Assumptions.abort("SKIPPED: " + message);
    }
  }
}

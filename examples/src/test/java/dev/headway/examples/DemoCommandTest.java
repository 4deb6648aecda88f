package dev.headway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.store.JobQuery;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  private final CommandRun cli = new CommandRun();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void theDemoCrawlsCrashesAndResumesASyncAndEndsWithEveryJobFinished() {
    Path dir = Path.of("target", "demo-" + System.nanoTime()).toAbsolutePath();
    String db = "jdbc:h2:file:" + dir.resolve("headway");
    assertThat(run("demo", "--db", db, "--seed", "3")).as(cli.err()).isZero();
    String text = cli.out();
    assertThat(text).contains("== 1.", "== 2.", "== 3.", "Every job in the store").contains("Resume with:");
    try (JdbcProgressStore store = JdbcProgressStore.open(db)) {
      List<JobSnapshot> jobs = store.query(JobQuery.all().withLimit(1000));
      // Shop-sync marketplaces with failed products end FAILED by design; everything else completed.
      assertThat(jobs).filteredOn(j -> !"marketplace".equals(j.type()))
          .isNotEmpty().allSatisfy(j -> assertThat(j.status()).as(j.jobId()).isEqualTo(JobStatus.COMPLETED));
      assertThat(jobs).filteredOn(j -> "marketplace".equals(j.type())).hasSize(2);
      JobSnapshot batch = jobs.stream().filter(j -> "sync-all".equals(j.type())).findFirst().orElseThrow();
      assertThat(batch.attempt()).as("the sync-all was resumed").isEqualTo(2);
    }
  }

  @Test
  void unknownCommandIsAUsageErrorWithoutAStackTrace() {
    assertThat(run("nope")).isEqualTo(2);
    assertThat(cli.err()).contains("'nope'").contains("--help").doesNotContain("Exception");
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(cli.out()).contains("demo", "crawl", "sync-all", "sync-status", "shop-sync", "status",
        "show", "watch", "timeline", "sweep", "purge");
  }

  @Test
  void badOptionValueIsReportedPlainly() {
    assertThat(run("demo", "--seed")).isEqualTo(2);
    assertThat(cli.err()).contains("--seed").contains("Missing required parameter")
        .doesNotContain("Exception");
  }
}

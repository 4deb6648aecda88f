package dev.headway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.jdbc.JdbcProgressStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The progress CLI through the real main: plain and JSON output, and every error path. */
class CliTest {
  private final String db = "jdbc:h2:file:" + Path.of("target", "cli-" + System.nanoTime(), "p").toAbsolutePath();
  private final CommandRun cli = new CommandRun();

  @BeforeEach
  void jobs() {
    try (JdbcProgressStore s = JdbcProgressStore.open(db)) {
      s.apply(ProgressUpdate.builder("crawl-1").type("crawler").status("running").totalItems(200)
          .processedItems(50).items("issues", 50).stage("data_collection").checkpoint("issue-50").build());
      s.apply(ProgressUpdate.builder("sync-1").type("sync").status("completed").processedItems(10).build());
      s.apply(ProgressUpdate.builder("sync-2").type("sync").status("failed").error("NETWORK", "connection reset").build());
      s.start(ProgressUpdate.builder("dead-1").type("crawler").build(), LeaseRequest.of("gone", Duration.ofMillis(100)));
    }
  }

  private int run(String... args) {
    return cli.run(args);
  }

  private String out() {
    return cli.out();
  }

  private String err() {
    return cli.err();
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out());
  }

  @Test
  void statusListsJobsAndFilters() throws Exception {
    assertThat(run("status", "--db", db)).isZero();
    assertThat(out()).contains("crawl-1", "sync-1", "sync-2", "RUNNING", "25.0%", "50/200");
    assertThat(run("status", "--db", db, "--status", "completed,failed")).isZero();
    assertThat(out()).contains("sync-1", "sync-2").doesNotContain("crawl-1");
    assertThat(run("status", "--db", db, "--type", "crawler", "--json")).isZero();
    JsonNode jobs = json();
    assertThat(jobs.isArray()).isTrue();
    assertThat(jobs).extracting(j -> j.path("jobId").asText()).containsExactlyInAnyOrder("crawl-1", "dead-1");
    assertThat(jobs.findValues("percent")).isNotEmpty();
  }

  @Test
  void showGivesDerivedFiguresCheckpointAndEvents() throws Exception {
    assertThat(run("show", "--db", db, "crawl-1")).isZero();
    assertThat(out()).contains("crawl-1", "25.0%", "issues", "checkpoint \"issue-50\"", "status_change");
    assertThat(run("show", "--db", db, "crawl-1", "--json")).isZero();
    JsonNode j = json();
    assertThat(j.path("derived").path("percent").asDouble()).isEqualTo(25.0);
    assertThat(j.path("checkpoint").path("cursor").asText()).isEqualTo("issue-50");
    assertThat(j.path("timeline").path("events").isArray()).isTrue();
  }

  @Test
  void timelineListsEventsOldestFirst() throws Exception {
    assertThat(run("timeline", "--db", db, "sync-2")).isZero();
    assertThat(out()).contains("status_change").contains("connection reset");
    assertThat(run("timeline", "--db", db, "sync-2", "--json")).isZero();
    assertThat(json().get(0).path("event").asText()).isEqualTo("status_change");
  }

  @Test
  void watchEndsWithTheJobAndExitsOneWhenItFailed() {
    assertThat(run("watch", "--db", db, "sync-1")).isZero();
    assertThat(out()).contains("sync-1: COMPLETED");
    assertThat(run("watch", "--db", db, "sync-2")).isEqualTo(1);
    assertThat(run("watch", "--db", db, "crawl-1", "--timeout", "PT0.3S", "--every", "PT0.1S")).isEqualTo(1);
    assertThat(err()).contains("still RUNNING");
    // Every command reads durations alike: the short form works where ISO-8601 does.
    assertThat(run("watch", "--db", db, "crawl-1", "--timeout", "300ms", "--every", "100ms")).isEqualTo(1);
    assertThat(err()).contains("still RUNNING");
    assertThat(run("watch", "--db", db, "crawl-1", "--every", "soon")).isEqualTo(2);
    assertThat(err()).contains("'soon' is not a duration such as 5s");
  }

  @Test
  void sweepInterruptsJobsWhoseLeaseExpired() throws Exception {
    Thread.sleep(200); // the lease of dead-1 was 100 ms
    assertThat(run("sweep", "--db", db)).isZero();
    assertThat(out()).contains("interrupted dead-1");
    assertThat(run("sweep", "--db", db, "--json")).isZero();
    assertThat(json().path("interrupted").size()).isZero();
    try (JdbcProgressStore s = JdbcProgressStore.open(db)) {
      assertThat(s.get("dead-1").status()).isEqualTo(JobStatus.INTERRUPTED);
    }
  }

  @Test
  void purgeDeletesOnlyOldFinishedJobs() throws Exception {
    assertThat(run("purge", "--db", db, "--older-than", "30d")).isZero();
    assertThat(out()).contains("Purged 0");
    assertThat(run("purge", "--db", db, "--older-than", "0s", "--json")).isZero();
    assertThat(json().path("purged").asInt()).isEqualTo(2);
    assertThat(run("status", "--db", db)).isZero();
    assertThat(out()).doesNotContain("sync-1").contains("crawl-1");
  }

  @Test
  void errorsAreOneLineWithTheRightExitCode() {
    assertThat(run("show", "--db", db, "nope")).isEqualTo(1);
    assertThat(err()).contains("nope").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run("purge", "--db", db, "--older-than", "soon")).isEqualTo(2);
    assertThat(err()).contains("--older-than (soon)");
    assertThat(run("status", "--db", db, "--status", "sleeping")).isEqualTo(2);
    assertThat(err()).contains("sleeping").doesNotContain("\tat ");
    assertThat(run("status", "--bogus")).isEqualTo(2);
    assertThat(err()).contains("--bogus");
    assertThat(run("show", "--db", db, "nope", "--verbose")).isEqualTo(1);
    assertThat(err()).contains("\tat ");
  }

  @Test
  void everyCommandHasHelp() {
    for (String c : new String[] {"status", "show", "watch", "timeline", "sweep", "purge", "demo"}) {
      assertThat(run(c, "--help")).as(c).isZero();
      assertThat(out()).as(c).contains("Usage:").contains("--db");
    }
  }
}

package dev.headway.examples.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.ProgressUpdate;
import dev.headway.TimelineEvent;
import dev.headway.examples.JarProcess;
import dev.headway.examples.CommandRun;
import dev.headway.examples.crawl.SimulatedGitLab.Item;
import dev.headway.examples.crawl.SimulatedGitLab.Scale;
import dev.headway.jdbc.JdbcProgressStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The crawl example through the real main: a whole crawl, a crash and resume across processes, and its errors. */
class CrawlCommandTest {
  private static final long SEED = 5;
  private static final SimulatedGitLab SOURCE = SimulatedGitLab.generate(SEED, Scale.SMALL);

  private final Path dir = Path.of("target", "crawl-" + System.nanoTime()).toAbsolutePath();
  private final String db = "jdbc:h2:file:" + dir.resolve("p");
  private final CommandRun cli = new CommandRun();

  private int run(String... args) {
    return cli.run(args);
  }

  private String out() {
    return cli.out();
  }

  private String err() {
    return cli.err();
  }

  @Test
  void crawlCompletesWithExactCountsPerTypeAndStoresEveryItem() {
    assertThat(run("crawl", "--db", db, "--job-id", "c1", "--seed", "5", "--scale", "small", "--latency", "PT0S"))
        .as(err()).isZero();
    assertThat(out()).contains("c1: COMPLETED 100.0%").contains("Crawled " + SOURCE.size() + " items");

    try (JdbcProgressStore s = JdbcProgressStore.open(db); CrawlItems items = CrawlItems.open(db)) {
      JobSnapshot job = s.get("c1");
      assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(job.attempt()).isEqualTo(1);
      assertThat(itemsByType(job)).isEqualTo(SOURCE.countsByType());
      assertThat(job.processedItems()).isEqualTo(SOURCE.size());
      assertThat(job.totalItems()).isEqualTo((long) SOURCE.size());
      Item last = SOURCE.item(SOURCE.size() - 1);
      assertThat(job.field("lastProcessedId")).isEqualTo(last.id());
      assertThat(job.field("currentDataType")).isEqualTo(last.type());
      assertThat(job.field("stage")).isEqualTo("finalization");

      List<String> events = job.timeline().events().stream().map(TimelineEvent::type).toList();
      assertThat(events).contains(Crawler.AREAS_DISCOVERED, TimelineEvent.STAGE_CHANGE, Crawler.COMPLETION);
      assertThat(events).filteredOn(Crawler.AREAS_DISCOVERED::equals).hasSize(SOURCE.groups().size());
      assertThat(job.timeline().events()).filteredOn(e -> e.type().equals(TimelineEvent.STAGE_CHANGE))
          .extracting(e -> e.details().get("to"))
          .containsExactly("discovery", "branch_crawling", "data_collection", "finalization");
      TimelineEvent completion = job.timeline().events().stream()
          .filter(e -> e.type().equals(Crawler.COMPLETION)).findFirst().orElseThrow();
      assertThat(((Number) completion.details().get("totalItems")).intValue()).isEqualTo(SOURCE.size());
      assertThat(events.stream().filter(TimelineEvent.ERROR::equals).count())
          .isGreaterThanOrEqualTo(SOURCE.itemsWithTransientFailures());

      assertThat(items.items("c1")).isEqualTo(expectedItems());
    }
  }

  @Test
  void crashedCrawlResumedInAnotherProcessEndsWithTheCountsOfAnUninterruptedOne() throws Exception {
    // Past discovery, whose end the crawler flushes, so the crash leaves a stored checkpoint behind.
    int crashAfter = SOURCE.discoveryItems() + 40;
    JarProcess first = JarProcess.start(dir, "run1", "crawl", "--db", db, "--job-id", "c2", "--seed", "5",
        "--scale", "small", "--crash-after", String.valueOf(crashAfter), "--lease", "PT12S");
    assertThat(first.waitFor(60)).as(first.stderr()).isEqualTo(CrawlCommand.CRASH_EXIT);
    assertThat(first.stderr()).contains("Crashing on purpose after " + crashAfter + " items");

    try (JdbcProgressStore s = JdbcProgressStore.open(db); CrawlItems items = CrawlItems.open(db)) {
      JobSnapshot crashed = s.get("c2");
      assertThat(crashed.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(crashed.lease()).isNotNull();
      int position = ((Number) ((Map<?, ?>) crashed.checkpoint().cursor()).get("position")).intValue();
      assertThat(position).isBetween(SOURCE.discoveryItems(), crashAfter);
      // Every item was stored before it was counted; those past the checkpoint will be fetched again.
      assertThat(items.count("c2")).isEqualTo(crashAfter);
    }

    // Right after the crash the dead run's lease is live: the resume waits it out, then takes over.
    JarProcess second = JarProcess.start(dir, "run2", "crawl", "--resume", "c2", "--db", db);
    assertThat(second.waitFor(60)).as(second.stderr()).isZero();
    assertThat(second.stdout()).contains("Waiting for the lease of").contains("Resuming job c2 (attempt 2, seed 5")
        .contains("c2: COMPLETED 100.0%");

    try (JdbcProgressStore s = JdbcProgressStore.open(db); CrawlItems items = CrawlItems.open(db)) {
      JobSnapshot job = s.get("c2");
      assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(job.attempt()).isEqualTo(2);
      assertThat(itemsByType(job)).isEqualTo(SOURCE.countsByType());
      assertThat(job.processedItems()).isEqualTo(SOURCE.size());
      assertThat(job.totalItems()).isEqualTo((long) SOURCE.size());
      assertThat(job.timeline().events()).extracting(TimelineEvent::type).contains(TimelineEvent.RESUMED);
      assertThat(items.items("c2")).isEqualTo(expectedItems());
    }
  }

  @Test
  void errorsAreOneLineWithTheRightExitCode() {
    try (JdbcProgressStore s = JdbcProgressStore.open(db)) {
      Map<String, Object> small = Map.of("seed", 1, "scale", "small");
      s.apply(ProgressUpdate.builder("done-1").type("crawler").metadata(small).status("completed").build());
      s.apply(ProgressUpdate.builder("stopped-1").type("crawler").metadata(small).status("interrupted").build());
    }
    assertThat(run("crawl", "--db", db, "--resume", "nope")).isEqualTo(1);
    assertOneLine(err()).contains("nope");
    assertThat(run("crawl", "--db", db, "--resume", "done-1")).isEqualTo(1);
    assertOneLine(err()).contains("done-1").contains("COMPLETED");
    assertThat(run("crawl", "--db", db, "--job-id", "done-1")).isEqualTo(1);
    assertOneLine(err()).contains("already exists");
    assertThat(run("crawl", "--db", db, "--resume", "stopped-1", "--seed", "2")).isEqualTo(2);
    assertOneUsageLine(err()).contains("--seed 2 differs");

    assertThat(run("crawl", "--bogus")).isEqualTo(2);
    assertThat(err()).contains("--bogus");
    assertThat(run("crawl", "--scale", "huge")).isEqualTo(2);
    assertThat(err()).contains("huge");
    assertThat(run("crawl", "--crash-after", "0")).isEqualTo(2);
    assertOneUsageLine(err()).contains("--crash-after (0) must be at least 1");
    assertThat(run("crawl", "--job-id", "a b")).isEqualTo(2);
    assertOneUsageLine(err()).contains("--job-id (\"a b\")");
    assertThat(run("crawl", "--job-id", "x", "--resume", "y")).isEqualTo(2);
    assertThat(run("crawl", "--db", db, "--resume", "nope", "--verbose")).isEqualTo(1);
    assertThat(err()).contains("\tat ");
  }

  @Test
  void helpListsEveryOption() {
    assertThat(run("crawl", "--help")).isZero();
    assertThat(out()).contains("Usage:", "--db", "--job-id", "--resume", "--seed", "--scale", "--crash-after",
        "--lease", "--latency", "--json", "137");
  }

  @Test
  void aCrawlWithoutJobIdPrintsTheGeneratedOne() {
    assertThat(run("crawl", "--db", db, "--scale", "small", "--latency", "PT0S")).as(err()).isZero();
    assertThat(out()).containsPattern("as job crawl-\\d{8}-\\d{6}-[0-9a-f]{4} \\(generated id\\)");
  }

  @Test
  void jsonPrintsOnlyTheFinishedJob() throws Exception {
    assertThat(run("crawl", "--db", db, "--job-id", "j1", "--scale", "small", "--latency", "PT0S", "--json"))
        .as(err()).isZero();
    JsonNode job = new ObjectMapper().readTree(out());
    assertThat(job.path("jobId").asText()).isEqualTo("j1");
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("derived").path("percent").asDouble()).isEqualTo(100.0);
    assertThat(err()).contains("as job j1");
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertOneLine(String text) {
    assertThat(text.strip().lines().count()).as(text).isEqualTo(1);
    return assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
  }

  // Main prefixes usage errors raised by a command with "UsageException: ", as for every command.
  private static org.assertj.core.api.AbstractStringAssert<?> assertOneUsageLine(String text) {
    assertThat(text.strip().lines().count()).as(text).isEqualTo(1);
    return assertThat(text).doesNotContain("\tat ");
  }

  private static Map<String, Long> itemsByType(JobSnapshot job) {
    Map<String, Long> out = new TreeMap<>();
    ((Map<?, ?>) job.field("itemsByType")).forEach((k, v) -> out.put((String) k, ((Number) v).longValue()));
    return out;
  }

  private static Map<String, String> expectedItems() {
    Map<String, String> expected = new TreeMap<>();
    for (Item i : SOURCE.items()) {
      expected.put(i.id(), i.type());
    }
    return expected;
  }
}

package dev.headway.examples.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.TimelineEvent;
import dev.headway.examples.JarProcess;
import dev.headway.examples.Main;
import dev.headway.examples.crawl.SimulatedGitLab.Item;
import dev.headway.examples.crawl.SimulatedGitLab.Scale;
import dev.headway.examples.http.ProgressServer;
import dev.headway.jdbc.JdbcProgressStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code crawl --endpoint}: the crawl in a process of its own reports to a {@link ProgressServer}
 * in the test JVM, over an H2 file store; the job ends COMPLETED with exactly the source's
 * counts, also when the server is restarted mid-crawl.
 */
class CrawlOverHttpTest {
  private static final String TOKEN = "crawl-http-token";
  private static final SimulatedGitLab SOURCE = SimulatedGitLab.generate(5, Scale.SMALL);

  private final Path dir = Path.of("target", "crawl-http-" + System.nanoTime()).toAbsolutePath();
  private final String db = "jdbc:h2:file:" + dir.resolve("p");

  @Test
  void crawlInAnotherProcessCompletesOnTheServerWithExactCounts() throws Exception {
    try (JdbcProgressStore store = JdbcProgressStore.open(db);
        ProgressServer server = startOn(store, 0)) {
      JarProcess crawl = JarProcess.start(dir, "h1", "crawl", "--endpoint", "http://127.0.0.1:" + server.port(),
          "--token", TOKEN, "--scale", "small", "--seed", "5", "--job-id", "h1", "--latency", "PT0S");
      assertThat(crawl.waitFor(30)).as(crawl.stderr()).isZero();
      assertThat(crawl.stdout()).contains("h1: COMPLETED").contains("Crawled " + SOURCE.size() + " items");

      assertExact(store.get("h1"));
    }
  }

  @Test
  void crawlSurvivesAServerRestartWithoutCountingTwice() throws Exception {
    try (JdbcProgressStore store = JdbcProgressStore.open(db)) {
      ProgressServer server = startOn(store, 0);
      int port = server.port();
      // ~200 items at 20 ms each: about 4 s of crawling.
      JarProcess crawl = JarProcess.start(dir, "h2", "crawl", "--endpoint", "http://127.0.0.1:" + port,
          "--token", TOKEN, "--scale", "small", "--seed", "5", "--job-id", "h2", "--latency", "PT0.02S");
      long before;
      try {
        before = waitForProgress(store, "h2", 20);
      } finally {
        server.close(); // mid-crawl: the crawl's sends fail and are retried unchanged
      }
      assertThat(before).isLessThan(SOURCE.size());
      Thread.sleep(1000);
      server = startOn(store, port);
      try {
        assertThat(crawl.waitFor(30)).as(crawl.stderr()).isZero();
      } finally {
        server.close();
      }
      assertThat(crawl.stdout()).contains("h2: COMPLETED");
      assertExact(store.get("h2"));
    }
  }

  @Test
  void endpointRefusesResumeJsonAndAMissingToken() {
    assertThat(run("crawl", "--endpoint", "http://127.0.0.1:1", "--token", "t", "--resume", "x")).isEqualTo(2);
    assertThat(run("crawl", "--endpoint", "http://127.0.0.1:1", "--token", "t", "--json")).isEqualTo(2);
    assertThat(run("crawl", "--endpoint", "ftp://127.0.0.1:1", "--token", "t")).isEqualTo(2);
    assumeThat(System.getenv("HEADWAY_TOKEN")).isNull();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(Main.run(new String[] {"crawl", "--endpoint", "http://127.0.0.1:1"},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("HEADWAY_TOKEN").hasLineCount(1);
  }

  private static int run(String... args) {
    return Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static void assertExact(JobSnapshot job) {
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job.type()).isEqualTo(CrawlCommand.JOB_TYPE);
    assertThat(itemsByType(job)).isEqualTo(new TreeMap<>(SOURCE.countsByType()));
    assertThat(job.processedItems()).isEqualTo(SOURCE.size());
    assertThat(job.totalItems()).isEqualTo((long) SOURCE.size());
    Item last = SOURCE.item(SOURCE.size() - 1);
    assertThat(job.field("lastProcessedId")).isEqualTo(last.id());
    assertThat(job.field("currentDataType")).isEqualTo(last.type());
    assertThat(((Number) job.field("metadata.seed")).longValue()).isEqualTo(5L);
    assertThat(job.timeline().events()).filteredOn(e -> e.type().equals(Crawler.AREAS_DISCOVERED))
        .hasSize(SOURCE.groups().size());
    assertThat(job.timeline().events()).filteredOn(e -> e.type().equals(TimelineEvent.STAGE_CHANGE))
        .extracting(e -> e.details().get("to"))
        .containsExactly("discovery", "branch_crawling", "data_collection", "finalization");
  }

  private static Map<String, Long> itemsByType(JobSnapshot job) {
    Map<String, Long> out = new TreeMap<>();
    ((Map<?, ?>) job.field("itemsByType")).forEach((k, v) -> out.put((String) k, ((Number) v).longValue()));
    return out;
  }

  /** Waits until the job has at least {@code min} items processed on the server; returns them. */
  private static long waitForProgress(JdbcProgressStore store, String id, long min) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<JobSnapshot> job = store.find(id);
      if (job.isPresent() && job.get().processedItems() >= min) {
        assertThat(job.get().status()).as(job.get().toString()).isEqualTo(JobStatus.RUNNING);
        return job.get().processedItems();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " reported fewer than " + min + " items in 20 s");
  }

  private static ProgressServer startOn(JdbcProgressStore store, int port) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return ProgressServer.start(store, new InetSocketAddress("127.0.0.1", port), TOKEN, false);
      } catch (UncheckedIOException e) {
        if (i >= 50) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}

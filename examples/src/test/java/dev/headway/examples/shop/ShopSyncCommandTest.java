package dev.headway.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.examples.JarProcess;
import dev.headway.examples.CommandRun;
import dev.headway.jdbc.JdbcProgressStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command's surface: help, usage errors, and a crash that leaves jobs for the sweeper. */
class ShopSyncCommandTest {
  private final CommandRun cli = new CommandRun();

  private int run(String... args) {
    return cli.run(args);
  }

  private String err() {
    return cli.err();
  }

  @Test
  void helpListsTheOptionsAndExitCodes() {
    assertThat(run("shop-sync", "--help")).isZero();
    assertThat(cli.out()).contains("Usage:", "--db", "--job-id", "--seed", "--products",
        "--workers", "--failure-rate", "--call-ms", "--crash-after", "--lease", "--json", "--verbose",
        "marketplace-a", "Exit codes:");
    assertThat(run("--help")).isZero();
    assertThat(cli.out()).contains("shop-sync");
  }

  @Test
  void badOptionsAreUsageErrorsOfOneLine() {
    String db = "jdbc:h2:file:" + Path.of("target", "shop-usage-" + System.nanoTime(), "p").toAbsolutePath();
    List<String[]> bad = List.of(
        new String[] {"shop-sync", "--bogus"},
        new String[] {"shop-sync", "--products", "many"},
        new String[] {"shop-sync", "--db", db, "--products", "0"},
        new String[] {"shop-sync", "--db", db, "--workers", "65"},
        new String[] {"shop-sync", "--db", db, "--failure-rate", "1.5"},
        new String[] {"shop-sync", "--db", db, "--crash-after", "0"},
        new String[] {"shop-sync", "--db", db, "--lease", "PT0.01S"},
        new String[] {"shop-sync", "--db", db, "--job-id", "not an id!"});
    for (String[] args : bad) {
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err()).as(String.join(" ", args)).contains(args[args.length - 2]).doesNotContain("\tat ");
    }
    assertThat(run("shop-sync", "--db", db, "--products", "0")).isEqualTo(2);
    assertThat(err()).contains("--products (0) must be between 1 and 100000");
  }

  @Test
  void aCrashLeavesRunningJobsWithALeaseThatSweepInterrupts() throws Exception {
    Path dir = Path.of("target", "shop-crash-" + System.nanoTime()).toAbsolutePath();
    String db = "jdbc:h2:file:" + dir.resolve("p");
    JarProcess p = JarProcess.start(dir, "crash", "shop-sync", "--db", db, "--job-id", "crashed",
        "--crash-after", "60", "--lease", "PT1S", "--call-ms", "2");
    assertThat(p.waitFor(60)).as(p.stderr()).isEqualTo(ShopSync.CRASH_EXIT);
    assertThat(p.stderr()).contains("--crash-after 60: halting the JVM");
    assertThat(p.stdout()).doesNotContain("Batch crashed:");  // no summary: the run never ended

    List<String> ids = List.of("crashed", "crashed/marketplace-a", "crashed/marketplace-b");
    try (JdbcProgressStore store = JdbcProgressStore.open(db)) {
      for (String id : ids) {
        JobSnapshot job = store.get(id);
        assertThat(job.status()).as(id).isEqualTo(JobStatus.RUNNING);
        assertThat(job.lease()).as(id).isNotNull();
        assertThat(job.processedItems()).as(id).isLessThan(job.totalItems());
      }
      // The counts up to the crash reached the store before the halt.
      assertThat(store.get("crashed").processedItems()).isGreaterThanOrEqualTo(60);
      assertThat(store.get("crashed/marketplace-a").processedItems()
          + store.get("crashed/marketplace-b").processedItems()).isGreaterThanOrEqualTo(60);
    }
    // Each job's lease ran out a second after its last renewal; the sweep interrupts each once.
    StringBuilder swept = new StringBuilder();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ids.stream().anyMatch(id -> !swept.toString().contains("interrupted " + id + "\n"))
        && System.nanoTime() < deadline) {
      Thread.sleep(300);
      assertThat(run("sweep", "--db", db)).isZero();
      swept.append(cli.out().replace("\r", ""));
    }
    try (JdbcProgressStore store = JdbcProgressStore.open(db)) {
      for (String id : ids) {
        assertThat(store.get(id).status()).as(id).isEqualTo(JobStatus.INTERRUPTED);
      }
    }
  }
}

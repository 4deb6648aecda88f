package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.TimelineEvent;
import dev.headway.report.ProgressReporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run is killed with SIGKILL half-way through its items. Its lease expires, the sweeper marks the
 * job INTERRUPTED, and a resumed run starts right after the last stored checkpoint: no item is
 * skipped, none before the checkpoint is done again, and every item is counted exactly once.
 */
class KilledRunResumeTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aKilledRunIsSweptAndItsResumptionCountsEveryItemExactlyOnce() throws Exception {
    Path dir = TestDatabases.h2Dir().resolve("killed-run-" + System.nanoTime()).toAbsolutePath();
    Path db = dir.resolve("run");
    ChildJvm child = ChildJvm.start("run-worker", RunWorkerChild.class, dir, db.toString());
    try {
      assertThat(child.awaitStdout(lines -> lines.size() > 5_000, 60))
          .as("the child processed 5,000 items within 60 s\n%s", child.stderr()).isTrue();
    } finally {
      child.kill();
    }
    Set<Long> firstRun = items(child.stdoutLines());
    assertThat(firstRun).as("killed half-way").hasSizeLessThan((int) RunWorkerChild.ITEMS);

    try (JdbcProgressStore store = JdbcProgressStore.open("jdbc:h2:file:" + db)) {
      JobSnapshot dead = store.get(RunWorkerChild.JOB);
      assertThat(dead.status()).as("nobody marked it yet").isEqualTo(JobStatus.RUNNING);
      assertThat(dead.lease()).isNotNull();

      // The sweeper acts only once the lease has run out by the database's clock.
      List<JobSnapshot> swept = List.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (swept.isEmpty() && System.nanoTime() < deadline) {
        swept = store.interruptStale(null);
        Thread.sleep(100);
      }
      assertThat(swept).extracting(JobSnapshot::jobId).containsExactly(RunWorkerChild.JOB);
      JobSnapshot interrupted = store.get(RunWorkerChild.JOB);
      assertThat(interrupted.status()).isEqualTo(JobStatus.INTERRUPTED);
      assertThat(interrupted.lease()).isNull();
      assertThat(interrupted.timeline().events()).extracting(TimelineEvent::type).contains(TimelineEvent.LEASE_EXPIRED);

      ByteArrayOutputStream log = new ByteArrayOutputStream();
      long cursor;
      try (ProgressReporter reporter = ProgressReporter.resume(store, RunWorkerChild.JOB,
          LeaseRequest.of("parent", RunWorkerChild.LEASE))) {
        cursor = reporter.resumption().cursor() == null ? 0 : ((Number) reporter.resumption().cursor()).longValue();
        assertThat(reporter.resumption().attempt()).isEqualTo(2);
        assertThat(reporter.resumption().job().field("itemsByType.orders"))
            .as("the counters at the checkpoint").isEqualTo(cursor == 0 ? null : cursor);
        RunWorkerChild.work(reporter, cursor + 1, new PrintStream(log, true, StandardCharsets.UTF_8), 0);
      }
      Set<Long> secondRun = items(List.of(log.toString(StandardCharsets.UTF_8).split("\n")));

      assertThat(cursor).as("a checkpoint was stored before the kill").isPositive();
      // The checkpoint covers only items the first run really processed...
      for (long i = 1; i <= cursor; i++) {
        assertThat(firstRun).as("item %s before the checkpoint", i).contains(i);
      }
      // ...and the resumed run did exactly the rest: nothing skipped, nothing before it redone.
      assertThat(secondRun).hasSize((int) (RunWorkerChild.ITEMS - cursor));
      assertThat(secondRun.stream().mapToLong(Long::longValue).min().orElseThrow()).isEqualTo(cursor + 1);
      assertThat(secondRun.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(RunWorkerChild.ITEMS);

      JobSnapshot done = store.get(RunWorkerChild.JOB);
      assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(done.attempt()).isEqualTo(2);
      // Counted once each: the first run's counts up to the checkpoint plus the second run's.
      assertThat(done.field("itemsByType.orders")).isEqualTo(RunWorkerChild.ITEMS);
      assertThat(done.processedItems()).isEqualTo(RunWorkerChild.ITEMS);
      assertThat(done.totalItems()).isEqualTo(RunWorkerChild.ITEMS);
    }
  }

  private static Set<Long> items(List<String> lines) {
    Set<Long> out = new HashSet<>();
    for (String line : lines) {
      if (line.startsWith("done ")) {
        assertThat(out.add(Long.parseLong(line.substring(5).trim()))).as("each item once per run: %s", line).isTrue();
      }
    }
    return out;
  }
}

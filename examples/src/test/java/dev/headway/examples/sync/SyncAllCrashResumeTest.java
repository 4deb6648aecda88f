package dev.headway.examples.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.TimelineEvent;
import dev.headway.examples.JarProcess;
import dev.headway.jdbc.JdbcProgressStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sync-all halted in the middle of its second table, then resumed by a second process, ends
 * exactly as a run that was never interrupted: same counts, same target rows, and the tables
 * before the crash are not synced again.
 */
class SyncAllCrashResumeTest {
  private static final String SEED = "5";

  @Test
  void aCrashedRunResumesInsideTheInterruptedTableAndEndsLikeAnUninterruptedRun() throws Exception {
    SyncFixture reference = new SyncFixture("reference");
    SyncFixture.Result uninterrupted = reference.syncAll("--seed", SEED, "--batch-id", "ref");
    assertThat(uninterrupted.code()).as(uninterrupted.err()).isZero();

    // The same seed generates the same source, so the reference tells where the second table is.
    long customers = SyncFixture.rows(reference.source, "customers");
    long products = SyncFixture.rows(reference.source, "products");
    long crashAfter = customers + products / 2 + 7; // inside a chunk of products, after some checkpoints

    SyncFixture f = new SyncFixture("crash");
    JarProcess run1 = JarProcess.start(f.dir, "run1", "sync-all", "--db", f.db, "--source", f.source,
        "--target", f.target, "--seed", SEED, "--batch-id", "crash", "--chunk-delay", "0",
        "--lease", "2s", "--crash-after", Long.toString(crashAfter));
    assertThat(run1.waitFor(60)).as(run1.stderr()).isEqualTo(3);
    assertThat(run1.stderr()).contains("Crashing on purpose after " + crashAfter + " rows");

    JobSnapshot customersAfterCrash;
    Object cursorAfterCrash;
    try (JdbcProgressStore store = JdbcProgressStore.open(f.db)) {
      customersAfterCrash = store.get("crash/customers");
      assertThat(customersAfterCrash.status()).isEqualTo(JobStatus.COMPLETED);
      JobSnapshot productsAfterCrash = store.get("crash/products");
      assertThat(productsAfterCrash.status()).isEqualTo(JobStatus.RUNNING); // halted: nothing marked it
      assertThat(productsAfterCrash.lease()).isNotNull();
      assertThat(productsAfterCrash.checkpoint()).isNotNull();
      cursorAfterCrash = productsAfterCrash.checkpoint().cursor();
      assertThat(((Number) cursorAfterCrash).longValue()).isPositive();
      // Counts after the checkpoint reached the store too; the resume must roll them back.
      assertThat(productsAfterCrash.processedItems()).isEqualTo(crashAfter - customers);
      assertThat(store.get("crash/orders").status()).isEqualTo(JobStatus.QUEUED);

      // Once the lease has expired, sync-status shows the crashed run for what it is.
      Instant expiry = productsAfterCrash.lease().expiresAt();
      long wait = Duration.between(store.clock().instant(), expiry).toMillis() + 200;
      if (wait > 0) {
        Thread.sleep(wait);
      }
    }
    SyncFixture.Result status = SyncFixture.run("sync-status", "crash", "--failed", "--db", f.db);
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("Batch crash: STALE").contains("products     STALE")
        .doesNotContain("customers    COMPLETED")
        .contains("Resume with: java -jar examples/target/headway.jar sync-all --resume crash --db " + f.db);
    SyncFixture.Result json = SyncFixture.run("sync-status", "crash", "--failed", "--db", f.db, "--json");
    JsonNode tables = new ObjectMapper().readTree(json.out()).path("tables");
    assertThat(tables.size()).isEqualTo(1);
    assertThat(tables.get(0).path("stale").asBoolean()).isTrue();
    assertThat(tables.get(0).path("cursor").asLong()).isEqualTo(((Number) cursorAfterCrash).longValue());

    JarProcess run2 = JarProcess.start(f.dir, "run2", "sync-all", "--resume", "crash", "--db", f.db);
    assertThat(run2.waitFor(60)).as(run2.stdout() + run2.stderr()).isZero();
    assertThat(run2.stdout()).contains("customers: completed before, skipped")
        .contains("products: attempt 2 resumes after id " + cursorAfterCrash);

    try (JdbcProgressStore store = JdbcProgressStore.open(f.db);
        JdbcProgressStore ref = JdbcProgressStore.open(reference.db)) {
      JobSnapshot batch = store.get("crash");
      assertThat(batch.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(batch.attempt()).isEqualTo(2);

      JobSnapshot customersNow = store.get("crash/customers");
      assertThat(customersNow.attempt()).isEqualTo(1);
      assertThat(customersNow.version()).as("not touched by the resume").isEqualTo(customersAfterCrash.version());
      assertThat(customersNow.progress()).isEqualTo(customersAfterCrash.progress());

      JobSnapshot productsNow = store.get("crash/products");
      assertThat(productsNow.attempt()).isEqualTo(2);
      List<TimelineEvent> resumedAfter = productsNow.timeline().events().stream()
          .filter(e -> e.type().equals("resumed_after")).toList();
      assertThat(resumedAfter).hasSize(1);
      assertThat(((Number) resumedAfter.get(0).details().get("cursor")).longValue())
          .isEqualTo(((Number) cursorAfterCrash).longValue()).isPositive();

      for (String table : SyncFixture.TABLES) {
        JobSnapshot mine = store.get("crash/" + table);
        JobSnapshot theirs = ref.get("ref/" + table);
        assertThat(mine.status()).as(table).isEqualTo(JobStatus.COMPLETED);
        assertThat(counts(mine)).as(table).isEqualTo(counts(theirs));
        assertThat(SyncFixture.table(f.target, table, false)).as(table)
            .isEqualTo(SyncFixture.table(reference.target, table, false));
      }
    }
  }

  private static Map<String, Long> counts(JobSnapshot j) {
    Map<String, Long> m = new HashMap<>();
    m.put("synced", SyncFixture.count(j, "synced"));
    m.put("skipped", SyncFixture.count(j, "skipped"));
    m.put("processed", j.processedItems());
    m.put("total", j.totalItems());
    return m;
  }
}

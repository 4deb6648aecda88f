package dev.headway.examples.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.jdbc.JdbcProgressStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sync-all from start to end on H2 files: exact counts per table, and exactly the valid rows copied. */
class SyncAllEndToEndTest {
  private final SyncFixture f = new SyncFixture("e2e");

  @Test
  void syncAllCompletesEveryTableWithExactCountsAndCopiesExactlyTheValidRows() throws Exception {
    SyncFixture.Result r = f.syncAll("--seed", "11", "--batch-id", "e2e-1");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Batch e2e-1: COMPLETED (attempt 1), 4 of 4 tables completed")
        .doesNotContain("Resume with");
    try (JdbcProgressStore store = JdbcProgressStore.open(f.db)) {
      JobSnapshot batch = store.get("e2e-1");
      assertThat(batch.type()).isEqualTo("sync-all");
      assertThat(batch.status()).isEqualTo(JobStatus.COMPLETED);
      List<JobSnapshot> children = store.children("e2e-1");
      assertThat(children).extracting(JobSnapshot::jobId).containsExactlyInAnyOrder(
          "e2e-1/customers", "e2e-1/products", "e2e-1/orders", "e2e-1/invoices");
      long skippedInAll = 0;
      for (String table : SyncFixture.TABLES) {
        JobSnapshot job = store.get("e2e-1/" + table);
        long rows = SyncFixture.rows(f.source, table);
        long invalid = SyncFixture.invalidRows(f.source, table);
        skippedInAll += invalid;
        assertThat(invalid).as(table + " has invalid rows to skip").isPositive();
        assertThat(job.type()).isEqualTo("table-sync");
        assertThat(job.parentId()).isEqualTo("e2e-1");
        assertThat(job.status()).as(table).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(SyncFixture.count(job, "synced")).as(table).isEqualTo(rows - invalid);
        assertThat(SyncFixture.count(job, "skipped")).as(table).isEqualTo(invalid);
        assertThat(job.processedItems()).as(table).isEqualTo(rows);
        assertThat(job.totalItems()).as(table).isEqualTo(rows);
        assertThat(SyncFixture.table(f.target, table, false)).as(table)
            .isEqualTo(SyncFixture.table(f.source, table, true));
      }
      assertThat(r.out()).contains(String.format("%,d skipped", skippedInAll));
    }
  }

  @Test
  void theSameSeedGeneratesTheSameSourceAndAnotherSeedAnotherOne() throws Exception {
    assertThat(f.syncAll("--seed", "2", "--batch-id", "seed-a").code()).isZero();
    List<List<Object>> first = SyncFixture.table(f.source, "orders", false);
    assertThat(f.syncAll("--seed", "3", "--batch-id", "seed-b").code()).isZero();
    assertThat(SyncFixture.table(f.source, "orders", false)).isNotEqualTo(first);
    assertThat(f.syncAll("--seed", "2", "--batch-id", "seed-c").code()).isZero();
    assertThat(SyncFixture.table(f.source, "orders", false)).isEqualTo(first);
  }
}

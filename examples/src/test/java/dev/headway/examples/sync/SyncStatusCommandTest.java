package dev.headway.examples.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headway.JobStatus;
import dev.headway.jdbc.JdbcProgressStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * sync-status on two batches, one completed and one with a failed table, in plain text and JSON;
 * the resume that retries the failed table; and the error paths of both commands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncStatusCommandTest {
  private final SyncFixture f = new SyncFixture("status");
  private String resumeBroken;

  @BeforeAll
  void twoBatches() {
    SyncFixture.Result done = f.syncAll("--seed", "3", "--batch-id", "done");
    assertThat(done.code()).as(done.err()).isZero();
    SyncFixture.Result broken = f.syncAll("--seed", "3", "--batch-id", "broken", "--fail-table", "orders");
    resumeBroken = "java -jar examples/target/headway.jar sync-all --resume broken --db " + f.db;
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err().strip()).isEqualTo("1 of 4 tables did not complete (orders); resume with: " + resumeBroken);
  }

  private static JsonNode json(SyncFixture.Result r) throws Exception {
    assertThat(r.code()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void latestShowsTheNewestBatchItsTablesAndTheResumeCommand() throws Exception {
    SyncFixture.Result r = SyncFixture.run("sync-status", "--latest", "--db", f.db);
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Batch broken: FAILED (attempt 1), 3 of 4 tables completed, 1 failed or interrupted")
        .contains("TABLE", "STATUS", "PROCESSED", "SKIPPED", "DURATION", "ERRORS")
        .containsPattern("customers +COMPLETED")
        .containsPattern("orders +FAILED .*simulated failure of orders")
        .containsPattern("invoices +COMPLETED")
        .contains("Resume with: " + resumeBroken);

    JsonNode j = json(SyncFixture.run("sync-status", "--latest", "--db", f.db, "--json"));
    assertThat(j.path("batchId").asText()).isEqualTo("broken");
    assertThat(j.path("status").asText()).isEqualTo("FAILED");
    assertThat(j.path("resumeCommand").asText()).isEqualTo(resumeBroken);
    assertThat(j.path("tables")).hasSize(4);
    JsonNode orders = j.path("tables").get(2);
    assertThat(orders.path("table").asText()).isEqualTo("orders");
    assertThat(orders.path("status").asText()).isEqualTo("FAILED");
    assertThat(orders.path("errorCount").asLong()).isEqualTo(1);
    assertThat(orders.path("errors").get(0).path("message").asText()).contains("simulated failure of orders");
    assertThat(orders.path("cursor").asLong()).isPositive();
    assertThat(orders.path("processed").asLong()).isLessThan(orders.path("total").asLong());
  }

  @Test
  void aBatchByIdHasExactCountsAndNoResumeCommandOnceCompleted() throws Exception {
    SyncFixture.Result r = SyncFixture.run("sync-status", "done", "--db", f.db);
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Batch done: COMPLETED (attempt 1), 4 of 4 tables completed")
        .doesNotContain("Resume with");

    JsonNode j = json(SyncFixture.run("sync-status", "done", "--db", f.db, "--json"));
    assertThat(j.path("resumeCommand").isNull()).isTrue();
    long synced = 0;
    long skipped = 0;
    for (JsonNode t : j.path("tables")) {
      String table = t.path("table").asText();
      long rows = SyncFixture.rows(f.source, table);
      long invalid = SyncFixture.invalidRows(f.source, table);
      assertThat(t.path("status").asText()).isEqualTo("COMPLETED");
      assertThat(t.path("processed").asLong()).as(table).isEqualTo(rows);
      assertThat(t.path("skipped").asLong()).as(table).isEqualTo(invalid);
      assertThat(t.path("synced").asLong()).as(table).isEqualTo(rows - invalid);
      assertThat(t.path("durationMillis").isNumber()).isTrue();
      synced += rows - invalid;
      skipped += invalid;
    }
    assertThat(j.path("tables")).extracting(t -> t.path("table").asText())
        .containsExactly("customers", "products", "orders", "invoices");
    assertThat(j.path("synced").asLong()).isEqualTo(synced);
    assertThat(j.path("skipped").asLong()).isEqualTo(skipped);
  }

  @Test
  void allListsEveryBatchNewestFirst() throws Exception {
    SyncFixture.Result r = SyncFixture.run("sync-status", "--all", "--db", f.db);
    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("(?s)broken +FAILED +3/4 +1 .*\ndone +COMPLETED +4/4 +0 ")
        .contains("Resume broken with: " + resumeBroken);

    JsonNode all = json(SyncFixture.run("sync-status", "--all", "--db", f.db, "--json"));
    assertThat(all).extracting(b -> b.path("batchId").asText()).containsExactly("broken", "done");
    assertThat(all.get(1).path("tables")).hasSize(4);
  }

  @Test
  void failedShowsOnlyTheFailedTablesAndBatches() throws Exception {
    SyncFixture.Result r = SyncFixture.run("sync-status", "broken", "--failed", "--db", f.db);
    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("orders +FAILED").doesNotContainPattern("customers +COMPLETED")
        .doesNotContainPattern("invoices +COMPLETED");
    SyncFixture.Result none = SyncFixture.run("sync-status", "done", "--failed", "--db", f.db);
    assertThat(none.out()).contains("No failed or interrupted tables.");

    JsonNode j = json(SyncFixture.run("sync-status", "broken", "--failed", "--db", f.db, "--json"));
    assertThat(j.path("tables")).extracting(t -> t.path("table").asText()).containsExactly("orders");
    JsonNode all = json(SyncFixture.run("sync-status", "--all", "--failed", "--db", f.db, "--json"));
    assertThat(all).extracting(b -> b.path("batchId").asText()).containsExactly("broken");
  }

  @Test
  void unknownBatchesExitOneWithTheSeedsMessage() {
    SyncFixture.Result status = SyncFixture.run("sync-status", "nope", "--db", f.db);
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.err().strip()).isEqualTo("Batch ID [nope] not found.");
    SyncFixture.Result resume = SyncFixture.run("sync-all", "--resume", "nope", "--db", f.db);
    assertThat(resume.code()).isEqualTo(1);
    assertThat(resume.err().strip()).isEqualTo("Batch ID [nope] not found.");
    SyncFixture.Result odd = SyncFixture.run("sync-all", "--resume", "no such id", "--db", f.db, "--json");
    assertThat(odd.code()).isEqualTo(1);
    assertThat(odd.err().strip()).isEqualTo("Batch ID [no such id] not found.");
  }

  @Test
  void badUsageExitsTwoWithoutAStackTrace() {
    String[][] bad = {
        {"sync-status", "--bogus", "--db", f.db},
        {"sync-status", "--db", f.db},
        {"sync-status", "--latest", "--all", "--db", f.db},
        {"sync-all", "--chunk", "0", "--db", f.db},
        {"sync-all", "--fail-table", "nope", "--db", f.db},
        {"sync-all", "--resume", "broken", "--seed", "4", "--db", f.db},
        {"sync-all", "--lease", "soon", "--db", f.db}};
    for (String[] args : bad) {
      SyncFixture.Result r = SyncFixture.run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  @Test
  void resumingTheBrokenBatchRetriesOnlyItsFailedTable() throws Exception {
    SyncFixture f2 = new SyncFixture("retry");
    assertThat(f2.syncAll("--seed", "3", "--batch-id", "b", "--fail-table", "products").code()).isEqualTo(1);
    SyncFixture.Result r = SyncFixture.run("sync-all", "--resume", "b", "--db", f2.db, "--chunk-delay", "0");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("customers: completed before, skipped", "orders: completed before, skipped")
        .contains("products: attempt 2 resumes after id");
    try (JdbcProgressStore store = JdbcProgressStore.open(f2.db)) {
      assertThat(store.get("b").status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(store.get("b/products").attempt()).isEqualTo(2);
      assertThat(store.get("b/orders").attempt()).isEqualTo(1);
      long rows = SyncFixture.rows(f2.source, "products");
      long invalid = SyncFixture.invalidRows(f2.source, "products");
      assertThat(SyncFixture.count(store.get("b/products"), "synced")).isEqualTo(rows - invalid);
      assertThat(SyncFixture.count(store.get("b/products"), "skipped")).isEqualTo(invalid);
    }
    assertThat(SyncFixture.table(f2.target, "products", false))
        .isEqualTo(SyncFixture.table(f2.source, "products", true));
    SyncFixture.Result again = SyncFixture.run("sync-all", "--resume", "b", "--db", f2.db);
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("Batch b has already completed; there is nothing to resume.");
  }
}

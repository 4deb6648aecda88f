package dev.headway.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.store.ProgressStore;
import dev.headway.view.BatchView.AggregateStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run straight on the in-memory store: many workers, exact totals, and how jobs and the batch end. */
class ShopSyncRunTest {
  private static ShopSync.Settings settings(String id, int products, int workers, double failureRate, long callMillis) {
    return new ShopSync.Settings(id, 5, products, workers, failureRate, Duration.ofMillis(callMillis), 0,
        Duration.ofSeconds(30));
  }

  private static ShopSync.Result run(ProgressStore store, ShopSync.Settings s, List<Marketplace> marketplaces)
      throws InterruptedException {
    return new ShopSync(store, s, marketplaces, () -> fail("no crash was asked for")).run(() -> { });
  }

  @Test
  void fiveWorkersPerMarketplaceCountEveryProductExactlyOnce() throws Exception {
    int products = 1500;
    ProgressStore store = ProgressStore.inMemory();
    ShopSync.Settings s = settings("many", products, 5, 0.3, 1);
    ShopSync.Result result = run(store, s, Marketplace.DEFAULTS);
    ExpectedRun expected = ExpectedRun.of(5, products, 0.3);

    assertThat(result.superseded()).isFalse();
    assertThat(result.droppedEvents()).isZero();
    for (Marketplace m : Marketplace.DEFAULTS) {
      String name = m.name();
      // Every product was taken by exactly one worker, and all five workers took some.
      Map<String, Integer> byWorker = result.productsByWorker().get(name);
      assertThat(byWorker).hasSize(5).allSatisfy((worker, n) -> assertThat(n).isPositive());
      assertThat(byWorker.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(products);
      assertThat(result.outcomes().get(name)).isEqualTo(expected.byMarketplace().get(name));
      assertThat(result.calls().get(name)).isEqualTo(expected.attempts(name));

      JobSnapshot job = store.get(ShopSync.childId("many", m));
      assertThat(count(job, "synced")).isEqualTo(expected.synced(name));
      assertThat(count(job, "failed")).isEqualTo(expected.failed(name));
      assertThat(job.processedItems()).isEqualTo(products);
      assertThat(ExpectedRun.productErrors(job.errors().countsByCategory())).isEqualTo(expected.errors(name));
    }
    JobSnapshot batch = store.get("many");
    assertThat(count(batch, "synced")).isEqualTo(expected.synced());
    assertThat(count(batch, "failed")).isEqualTo(expected.failed());
    assertThat(batch.processedItems()).isEqualTo(2L * products);
    assertThat(ExpectedRun.productErrors(batch.errors().countsByCategory())).isEqualTo(expected.errors());

    ShopSyncSummary summary = ShopSyncSummary.of(store, "many");
    assertThat(summary.synced()).isEqualTo(expected.synced());
    assertThat(summary.failed()).isEqualTo(expected.failed());
    assertThat(summary.retries()).isEqualTo(expected.retries());
    assertThat(summary.errorsByCategory()).isEqualTo(expected.errors());
    assertThat(summary.status()).isEqualTo(AggregateStatus.MIXED);
  }

  @Test
  void aCleanRunCompletesEveryJob() throws Exception {
    ProgressStore store = ProgressStore.inMemory();
    run(store, settings("clean", 40, 5, 0.0, 0), Marketplace.DEFAULTS);
    ShopSyncSummary summary = ShopSyncSummary.of(store, "clean");
    assertThat(summary.status()).isEqualTo(AggregateStatus.COMPLETED);
    assertThat(summary.successRate()).isEqualTo(100.0);
    assertThat(summary.retries()).isZero();
    assertThat(summary.marketplaces()).allSatisfy(r -> {
      assertThat(r.job().status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(r.job().errors().total()).isZero();
    });
    assertThat(summary.batch().status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void oneMarketplaceWithFailuresMakesTheBatchMixed() throws Exception {
    Marketplace flaky = new Marketplace("flaky", 1, 0, Map.of("RATE_LIMIT", 1, "NETWORK", 0,
        "AUTHENTICATION", 0, "VALIDATION", 0, "SYSTEM", 0));
    Marketplace steady = new Marketplace("steady", 3, 0, flaky.faultWeights());
    ProgressStore store = ProgressStore.inMemory();
    // failure rate 1 with one attempt: every product fails at "flaky"; at "steady" most recover.
    run(store, settings("mixed", 30, 5, 1.0, 0), List.of(flaky, steady));
    ShopSyncSummary summary = ShopSyncSummary.of(store, "mixed");
    assertThat(summary.marketplaces()).extracting(r -> r.job().status())
        .containsExactly(JobStatus.FAILED, JobStatus.FAILED);
    assertThat(summary.marketplaces().get(0).synced()).isZero();
    assertThat(summary.marketplaces().get(0).errorsByCategory()).containsEntry("RATE_LIMIT", 30L);
    assertThat(summary.marketplaces().get(1).synced()).isPositive();
    assertThat(summary.view().status()).isEqualTo(AggregateStatus.FAILED);  // no marketplace job completed
    assertThat(summary.status()).isEqualTo(AggregateStatus.MIXED);          // but products did sync
    assertThat(summary.batch().status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void aBatchWhereNothingSyncsFails() throws Exception {
    Marketplace doomed = new Marketplace("doomed", 1, 0, Map.of("RATE_LIMIT", 1, "NETWORK", 0,
        "AUTHENTICATION", 0, "VALIDATION", 0, "SYSTEM", 0));
    ProgressStore store = ProgressStore.inMemory();
    run(store, settings("doomed-batch", 20, 5, 1.0, 0), List.of(doomed));
    ShopSyncSummary summary = ShopSyncSummary.of(store, "doomed-batch");
    assertThat(summary.status()).isEqualTo(AggregateStatus.FAILED);
    assertThat(summary.successRate()).isEqualTo(0.0);
    assertThat(summary.batch().status()).isEqualTo(JobStatus.FAILED);
    assertThat(summary.batch().errors().recent()).extracting(e -> e.message())
        .contains("no product synced to any marketplace");
  }

  private static long count(JobSnapshot job, String itemType) {
    return ((Number) job.field("itemsByType." + itemType)).longValue();
  }
}

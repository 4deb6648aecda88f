package dev.headway.view;

import dev.headway.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headway.ErrorCategory;
import dev.headway.ErrorRecord;
import dev.headway.ErrorSummary;
import dev.headway.JobSnapshot;
import dev.headway.ProgressUpdate;
import dev.headway.merge.MergePolicy;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgressViewTest {
  private static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");
  private static final String JOB = "crawl-42";

  private TestClock clock;
  private ProgressStore store;

  @BeforeEach
  void newStore() {
    clock = new TestClock(T0);
    store = ProgressStore.inMemory(MergePolicy.defaults(), clock);
  }

  private JobSnapshot report(ProgressUpdate.Builder b) {
    return store.apply(b.build()).snapshot();
  }

  private ProgressUpdate.Builder job() {
    return ProgressUpdate.builder(JOB);
  }

  private ProgressView view() {
    return ProgressView.of(store.get(JOB), clock);
  }

  @Test
  void percentIsNullWhileTheTotalIsUnknown() {
    report(job().status("processing").processedItems(50));

    ProgressView v = view();

    assertThat(v.percent()).isNull();
    assertThat(v.eta()).isNull();
  }

  @Test
  void aFinishedJobKeepsItsOverallRateButNoRateSamples() {
    report(job().status("processing").processedItems(0).totalItems(300));
    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofSeconds(10));
      report(job().processedItems(100L * i));
    }
    assertThat(store.get(JOB).samples()).hasSizeGreaterThan(1);
    assertThat(view().smoothedRatePerSecond()).isEqualTo(10.0);

    report(job().status("completed"));

    assertThat(store.get(JOB).samples()).isEmpty(); // no memory spent on speed once it is over
    assertThat(view().smoothedRatePerSecond()).isNull();
    assertThat(view().ratePerSecond()).isEqualTo(10.0);
    assertThat(view().eta()).isNull();
  }

  @Test
  void percentIsNullForAZeroTotal() {
    report(job().status("processing").processedItems(0).totalItems(0));

    assertThat(view().percent()).isNull();
  }

  @Test
  void percentIsProcessedOverTotal() {
    report(job().status("processing").processedItems(150).totalItems(1000));

    assertThat(view().percent()).isCloseTo(15.0, within(1e-9));
  }

  @Test
  void percentIsClampedTo100WhenProcessedExceedsTotal() {
    report(job().status("processing").processedItems(1500).totalItems(1000));
    clock.advance(Duration.ofSeconds(10));

    ProgressView v = view();

    assertThat(v.percent()).isEqualTo(100.0);
    assertThat(v.eta()).isEqualTo(Duration.ZERO);
  }

  @Test
  void percentNeverExceeds100OrFallsBelow0() {
    for (long processed : new long[] {0, 1, 999, 1000, 1001, 5_000_000}) {
      JobSnapshot s = JobSnapshot.builder("j", T0)
          .progress(Map.of("processedItems", processed, "totalItems", 1000L)).build();

      assertThat(ProgressView.of(s, clock).percent()).isBetween(0.0, 100.0);
    }
  }

  @Test
  void nothingIsTimedBeforeTheJobStarts() {
    report(job().status("queued").processedItems(0).totalItems(100));
    clock.advance(Duration.ofSeconds(30));

    ProgressView v = view();

    assertThat(v.duration()).isNull();
    assertThat(v.ratePerSecond()).isNull();
    assertThat(v.eta()).isNull();
  }

  @Test
  void overallRateIsProcessedOverTimeSinceStart() {
    report(job().status("processing").processedItems(0).totalItems(1000));
    clock.advance(Duration.ofSeconds(10));
    report(job().processedItems(100));

    assertThat(view().ratePerSecond()).isCloseTo(10.0, within(1e-9));
    assertThat(view().duration()).isEqualTo(Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(10)); // no report: the overall rate is measured up to now
    assertThat(view().ratePerSecond()).isCloseTo(5.0, within(1e-9));
    assertThat(view().duration()).isEqualTo(Duration.ofSeconds(20));
  }

  /** 100 s at 1 item/s, then 70 s at 10 items/s, one report every 10 s. */
  private void slowThenFast() {
    report(job().status("processing").processedItems(0).totalItems(1000));
    clock.advance(Duration.ofSeconds(100));
    report(job().processedItems(100));
    for (int i = 1; i <= 7; i++) {
      clock.advance(Duration.ofSeconds(10));
      report(job().processedItems(100 + 100L * i));
    }
  }

  @Test
  void smoothedRateFollowsTheLastMinuteNotTheWholeRun() {
    slowThenFast();

    ProgressView v = view();

    assertThat(v.ratePerSecond()).isCloseTo(800.0 / 170, within(1e-9));
    assertThat(v.smoothedRatePerSecond()).isCloseTo(10.0, within(1e-9));
  }

  @Test
  void smoothedRateNeedsTwoSamples() {
    report(job().status("processing").processedItems(10));
    clock.advance(Duration.ofSeconds(5));

    assertThat(view().smoothedRatePerSecond()).isNull();
  }

  @Test
  void smoothedRateOfAStalledJobFallsTowardsZero() {
    slowThenFast();
    double moving = view().smoothedRatePerSecond();

    clock.advance(Duration.ofSeconds(600));
    Double stalled = view().smoothedRatePerSecond();

    assertThat(stalled).isNotNull().isLessThan(moving / 10);
    assertThat(stalled).isGreaterThanOrEqualTo(0.0);
  }

  @Test
  void etaIsRemainingItemsAtTheSmoothedRate() {
    slowThenFast(); // 800 of 1000 at 10 items/s

    assertThat(view().eta()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void etaFallsBackToTheOverallRateWithoutSamples() {
    report(job().status("processing").processedItems(100).totalItems(400));
    clock.advance(Duration.ofSeconds(50)); // one sample only: 100 items in 50 s = 2/s, 300 left

    ProgressView v = view();

    assertThat(v.smoothedRatePerSecond()).isNull();
    assertThat(v.eta()).isEqualTo(Duration.ofSeconds(150));
    assertThat(v.derivedFields()).containsEntry("etaMillis", 150_000L).containsEntry("durationMillis", 50_000L);
  }

  @Test
  void durationStopsAtFinishAndEtaIsGone() {
    slowThenFast();
    clock.advance(Duration.ofSeconds(30));
    report(job().processedItems(1000).status("completed"));
    clock.advance(Duration.ofSeconds(3600));

    ProgressView v = view();

    assertThat(v.duration()).isEqualTo(Duration.ofSeconds(200));
    assertThat(v.ratePerSecond()).isCloseTo(1000.0 / 200, within(1e-9));
    assertThat(v.eta()).isNull();
    assertThat(v.percent()).isEqualTo(100.0);
  }

  @Test
  void itemsByTypeIsBrokenDownInFirstReportedOrder() {
    report(job().items("issues", 50).items("prs", 20));
    report(job().items("issues", 5).items("commits", 7));

    assertThat(view().itemsByType()).containsExactly(
        Map.entry("issues", 55L), Map.entry("prs", 20L), Map.entry("commits", 7L));
  }

  @Test
  void itemsByTypeIsEmptyWhenNoneReported() {
    report(job().processedItems(3));

    assertThat(view().itemsByType()).isEmpty();
  }

  @Test
  void errorsAreCountedByNormalizedCategory() {
    report(job().error("RATE_LIMIT", "429 a"));
    report(job().error("rate_limited", "429 b"));
    report(job().error("network_error", "reset"));
    report(job().error("timeout", "timed out"));
    report(job().error("invalid_credentials", "401"));
    report(job().error("quota-exceeded", "custom category"));
    report(job().error(null, "no category"));

    ProgressView v = view();

    assertThat(v.errorsByCategory()).containsOnly(
        Map.entry(ErrorCategory.RATE_LIMIT, 2L),
        Map.entry(ErrorCategory.NETWORK, 2L),
        Map.entry(ErrorCategory.AUTHENTICATION, 1L),
        Map.entry("QUOTA_EXCEEDED", 1L),
        Map.entry(ErrorCategory.UNKNOWN, 1L));
    assertThat(v.snapshot().errors().total()).isEqualTo(7);
  }

  @Test
  void recentErrorsKeepTheFiveNewestOldestFirst() {
    for (int i = 1; i <= 8; i++) {
      clock.advance(Duration.ofSeconds(1));
      report(job().error(i % 2 == 0 ? "NETWORK" : "RATE_LIMIT", "error " + i));
    }

    ProgressView v = view();

    assertThat(v.recentErrors()).hasSize(ErrorSummary.RECENT).hasSize(5);
    assertThat(v.recentErrors()).extracting(ErrorRecord::message)
        .containsExactly("error 4", "error 5", "error 6", "error 7", "error 8");
    assertThat(v.recentErrors()).extracting(ErrorRecord::category)
        .containsExactly("NETWORK", "RATE_LIMIT", "NETWORK", "RATE_LIMIT", "NETWORK");
    assertThat(v.recentErrors().get(4).at()).isEqualTo(T0.plusSeconds(8));
    assertThat(v.errorsByCategory()).containsOnly(Map.entry("NETWORK", 4L), Map.entry("RATE_LIMIT", 4L));
  }
}

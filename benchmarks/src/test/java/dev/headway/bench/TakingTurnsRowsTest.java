package dev.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The full run's single and batch100 rows come from the sinks' medians taking turns. */
class TakingTurnsRowsTest {
  private static Map<String, Double> medians() {
    Map<String, Double> us = new LinkedHashMap<>();
    us.put("raw", 4.0);
    us.put("rowfloor", 8.0);
    us.put("enginerow", 10.0);
    us.put("headway", 16.0);
    us.put("handwritten", 40.0);
    us.put("springbatch", 100.0);
    us.put("headway.batch100", 0.2);
    us.put("handwritten.batch100", 20.0);
    us.put("raw.batch100", 0.1);
    return us;
  }

  @Test
  void theSingleRowComparesHeadwaysReportsPerSecondWithEverySinkOfTheSameTurns() {
    BenchMain.Row single = BenchMain.takingTurns(BenchDb.H2LAZY, medians()).get(0);

    assertThat(single.name()).isEqualTo("jdbc.h2lazy.single");
    assertThat(single.unit()).isEqualTo("reports/s");
    assertThat(single.headway()).isCloseTo(62_500, within(1e-6));
    assertThat(single.baselines()).containsOnlyKeys("raw", "rowfloor", "enginerow", "handwritten", "springbatch");
    assertThat(single.baselines().get("raw")).isCloseTo(250_000, within(1e-6));
    assertThat(single.baselines().get("springbatch")).isCloseTo(10_000, within(1e-6));
    assertThat(single.note()).contains("taking turns").contains("median of 11 rounds of 30,000 reports");
  }

  @Test
  void theBatchRowIsMeasuredAgainstTheOnePerCommitFloorAndNamesTheBatchedFloorInItsNote() {
    BenchMain.Row batch = BenchMain.takingTurns(BenchDb.PG, medians()).get(1);

    assertThat(batch.name()).isEqualTo("jdbc.pg.batch100");
    assertThat(batch.headway()).isCloseTo(5_000_000, within(1e-6));
    assertThat(batch.baselines()).containsOnlyKeys("raw", "handwritten");
    assertThat(batch.baselines().get("raw")).isCloseTo(250_000, within(1e-6)); // one report per commit
    assertThat(batch.baselines().get("handwritten")).isCloseTo(50_000, within(1e-6));
    assertThat(batch.note()).contains("raw UPDATEs batched 100 per commit reach 10,000,000 reports/s")
        .contains("springbatch: not expressible");
  }

  @Test
  void aMissingSinkFailsTheRunInsteadOfLeavingAHole() {
    Map<String, Double> partial = medians();
    partial.remove("enginerow");

    assertThatThrownBy(() -> BenchMain.takingTurns(BenchDb.H2, partial))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("enginerow");
  }

  @Test
  void theSuiteRunsEverySinkOfBothRows() {
    assertThat(InterleavedRun.suite()).extracting(InterleavedRun.Entry::label).containsExactly("raw", "rowfloor",
        "enginerow", "headway", "handwritten", "springbatch", "headway.batch100", "handwritten.batch100", "raw.batch100");
    assertThat(List.of(BenchDb.values())).allSatisfy(db ->
        assertThat(InterleavedRun.suite()).allSatisfy(e ->
            assertThat((long) InterleavedRun.perRound(db) * e.share() % e.batch()).isZero()));
  }
}

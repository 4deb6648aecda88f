package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.ProgressUpdate;
import dev.headway.json.ProgressCodec;
import dev.headway.merge.JobState;
import dev.headway.merge.MergePolicy;
import dev.headway.merge.ProgressEngine;
import dev.headway.merge.Step;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When a cached job's write is one statement, so one round trip and one commit in auto-commit: the
 * rule each database's SQL allows (PostgreSQL: the row and any number of events, and the DELETE of
 * a run of dropped ones; H2: the row and up to four events; MariaDB: the row alone).
 */
class OneStatementWriteTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static JobTable table(Dialect dialect) {
    return new JobTable(ProgressCodec.defaults(), dialect, "t_");
  }

  /** Whether a job with {@code before} events, given an update adding {@code added}, is written in one statement. */
  private static boolean oneStatement(Dialect dialect, int before, int added, int cap) {
    ProgressEngine engine = new ProgressEngine(MergePolicy.defaults().toBuilder().timelineCap(cap).build());
    ProgressUpdate.Builder first = ProgressUpdate.builder("j").processedItems(1);
    for (int i = 0; i < before; i++) {
      first.event("tick", Map.of("i", i));
    }
    JobState start = engine.apply(null, first.build(), T0).state();
    ProgressUpdate.Builder next = ProgressUpdate.builder("j").processedItems(2);
    for (int i = 0; i < added; i++) {
      next.event("tick", Map.of("i", before + i));
    }
    Step step = engine.apply(start, next.build(), T0.plusSeconds(1));
    return table(dialect).writesInOneStatement(start, step.state(), step.result().newEvents());
  }

  @Test
  void aReportWithoutEventsIsOneStatementEverywhere() {
    for (Dialect d : Dialect.values()) {
      assertThat(oneStatement(d, 3, 0, 1000)).as(d.name()).isTrue();
    }
  }

  @Test
  void postgresqlWritesTheRowWithAnyNumberOfEvents() {
    assertThat(oneStatement(Dialect.POSTGRESQL, 3, 1, 1000)).isTrue();
    assertThat(oneStatement(Dialect.POSTGRESQL, 3, 40, 1000)).isTrue(); // a batch's events
  }

  @Test
  void h2WritesTheRowWithUpToFourEvents() {
    assertThat(oneStatement(Dialect.H2, 3, 4, 1000)).isTrue();
    assertThat(oneStatement(Dialect.H2, 3, 5, 1000)).isFalse();
  }

  @Test
  void mariadbWritesEventsInStatementsOfTheirOwn() {
    assertThat(oneStatement(Dialect.MARIADB, 3, 1, 1000)).isFalse();
  }

  @Test
  void aDueDeleteRunJoinsTheStatementOnPostgresqlOnly() {
    // Cap 10: a run of 1, so a full timeline deletes with every event it drops.
    assertThat(oneStatement(Dialect.POSTGRESQL, 10, 1, 10)).isTrue();
    assertThat(oneStatement(Dialect.H2, 10, 1, 10)).isFalse();
    // Cap 200: a run of 20, so one dropped event leaves its row for a later DELETE.
    assertThat(oneStatement(Dialect.H2, 200, 1, 200)).isTrue();
  }

  @Test
  void aNewJobIsNeverOneStatement() {
    assertThat(table(Dialect.POSTGRESQL).writesInOneStatement(null,
        new ProgressEngine(MergePolicy.defaults()).apply(null, ProgressUpdate.builder("j").build(), T0).state(),
        java.util.List.of())).isFalse();
  }
}

package dev.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split-table probe on a small table; no timing is asserted. */
class SplitTableProbeTest {
  @Test
  void theSplitAnswersTheStatusQueryExactlyAsTheOneTableDoesAndBothFormsTakeWrites() {
    // run() fails when the split's two-step query (the second of the 50th row, then every row
    // from that second on, sorted) answers other ids or another order than the one table's index.
    SplitTableProbe.Result r = SplitTableProbe.run(Path.of("target", "db"), 300, 1_000, 2, 20);

    assertThat(r.running()).isEqualTo(300);
    assertThat(r.finished()).isEqualTo(1_000);
    assertThat(List.of(r.queryOneTable(), r.querySplit(), r.writeOneTable(), r.writeHotOnly(), r.writeHotAndCold()))
        .allSatisfy(us -> assertThat(us).isPositive().isFinite());
  }
}

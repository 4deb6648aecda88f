package dev.headway.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The per-reporter anti-replay window against a plain model of what it promises. */
class ReporterWindowProperties {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Property(tries = 500)
  void eachSeqCountsOnceWithinTheWindowAndOlderSeqsAreRefusedAsStale(
      @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 400) Long> seqs,
      @ForAll("widths") int width) {
    ProgressEngine engine = new ProgressEngine(MergePolicy.defaults().toBuilder().reporterWindow(width).build());
    JobState state = null;
    Set<Long> applied = new HashSet<>();
    long highWater = -1;
    long expectedSum = 0;
    for (long seq : seqs) {
      Step step = engine.apply(state, ProgressUpdate.builder("j").reporter("w1", seq).items("n", seq + 1).build(), NOW);
      Outcome expected;
      if (highWater >= 0 && highWater - seq >= width) {
        expected = Outcome.STALE;
      } else if (applied.contains(seq)) {
        expected = Outcome.DUPLICATE;
      } else {
        expected = Outcome.APPLIED;
        applied.add(seq);
        highWater = Math.max(highWater, seq);
        expectedSum += seq + 1;
      }
      assertThat(step.result().outcome()).as("seq %d after high water %d", seq, highWater).isEqualTo(expected);
      if (expected != Outcome.APPLIED) {
        assertThat(step.state()).isSameAs(state);
      }
      state = step.state();
    }
    assertThat(state.snapshot().field("itemsByType.n")).isEqualTo(expectedSum);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> widths() {
    return net.jqwik.api.Arbitraries.of(64, 128, 192);
  }

  @Property(tries = 200)
  void aLargeJumpForgetsTheOldWindowButNotTheNewHighWater(
      @ForAll @IntRange(min = 64, max = 10_000) int jump, @ForAll @IntRange(min = 0, max = 63) int back) {
    ProgressEngine engine = new ProgressEngine(MergePolicy.defaults().toBuilder().reporterWindow(64).build());
    JobState state = engine.apply(null, ProgressUpdate.builder("j").reporter("w1", 10).build(), NOW).state();
    long top = 10L + jump;
    state = engine.apply(state, ProgressUpdate.builder("j").reporter("w1", top).build(), NOW).state();
    assertThat(engine.apply(state, ProgressUpdate.builder("j").reporter("w1", top).build(), NOW).result().outcome())
        .isEqualTo(Outcome.DUPLICATE);
    long older = top - back;
    Outcome expected = older == top ? Outcome.DUPLICATE : Outcome.APPLIED;
    assertThat(engine.apply(state, ProgressUpdate.builder("j").reporter("w1", older).build(), NOW).result().outcome())
        .isEqualTo(expected);
    // 10 fell out of the window: it can no longer be told apart from a replay, so it is refused.
    assertThat(engine.apply(state, ProgressUpdate.builder("j").reporter("w1", 10).build(), NOW).result().outcome())
        .isEqualTo(Outcome.STALE);
  }
}

package dev.headway.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.ProgressUpdate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MergePolicyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void rulesStayRightForPathsBeyondTheResolutionCacheBound() {
    MergePolicy policy = MergePolicy.defaults();
    for (int i = 0; i < 10_000; i++) { // more distinct paths than the policy caches
      assertThat(policy.ruleFor("itemsByType.type" + i)).isEqualTo(MergeRule.SUM);
      assertThat(policy.ruleFor("custom" + i)).isEqualTo(MergeRule.LAST);
    }
    ProgressEngine engine = new ProgressEngine(policy);
    JobState s = engine.apply(null, ProgressUpdate.builder("j").items("late", 2).field("note9999", "a").build(), T0).state();
    s = engine.apply(s, ProgressUpdate.builder("j").items("late", 3).field("note9999", "b").build(), T0).state();

    assertThat(s.snapshot().field("itemsByType.late")).isEqualTo(5L);
    assertThat(s.snapshot().field("note9999")).isEqualTo("b");
  }

  @Test
  void aNestedLastFieldIsStampedUnderItsDottedPath() {
    ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
    JobState s = engine.apply(null, ProgressUpdate.builder("j").reporter("w1", 2)
        .field("detail", java.util.Map.of("phase", "two")).build(), T0).state();
    s = engine.apply(s, ProgressUpdate.builder("j").reporter("w1", 1)
        .field("detail", java.util.Map.of("phase", "one")).build(), T0).state();

    assertThat(s.stamps()).containsKey("detail");
    assertThat(s.snapshot().field("detail")).isEqualTo(java.util.Map.of("phase", "two")); // seq 1 came late
  }
}

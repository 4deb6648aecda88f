package dev.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which merge trials the full run starts per timeline length: JMH finds the pattern in a benchmark's name. */
class MergeIncludeTest {
  private static final String HEADWAY = MergeBench.class.getName() + ".headway";
  private static final String JACKSON = MergeBench.class.getName() + ".jackson";

  private static boolean runs(String events, String benchmark) {
    return Pattern.compile(BenchMain.mergeInclude(events)).matcher(benchmark).find();
  }

  @Test
  void aHundredEventsRunHeadwayAndTheJacksonBaselineItIsComparedWith() {
    assertThat(runs("100", HEADWAY)).isTrue();
    assertThat(runs("100", JACKSON)).isTrue();
  }

  @Test
  void otherLengthsRunHeadwayAloneForItsAllocation() {
    for (String events : new String[] {"0", "1000"}) {
      assertThat(runs(events, HEADWAY)).as(events).isTrue();
      assertThat(runs(events, JACKSON)).as(events).isFalse();
    }
  }

  @Test
  void noOtherBenchmarkClassIsStarted() {
    assertThat(runs("100", JdbcBench.class.getName() + ".single")).isFalse();
    assertThat(runs("0", InMemoryBench.class.getName() + ".single")).isFalse();
  }
}

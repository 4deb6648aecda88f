package dev.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;

/** The warm-up the README promises for JDBC trials: measured once steady, not while the JIT compiles. */
class JdbcWarmUpTest {
  private static Options full(String variant, String impl) {
    return new BenchMain(false).jdbcOptions(variant, impl).build();
  }

  @Test
  void singleRowsWithJsonWorkWarmUpForFourIterations() {
    for (String impl : new String[] {"headway", "enginerow", "handwritten", "springbatch"}) {
      assertThat(full("single", impl).getWarmupIterations().get()).as(impl).isEqualTo(4);
    }
  }

  @Test
  void bareStatementsAndOtherVariantsWarmUpForTwo() {
    assertThat(full("single", "raw").getWarmupIterations().get()).isEqualTo(2);
    assertThat(full("single", "rowfloor").getWarmupIterations().get()).isEqualTo(2);
    assertThat(full("hot8", "headway").getWarmupIterations().get()).isEqualTo(2);
    assertThat(full("batch100", "headway").getWarmupIterations().get()).isEqualTo(2);
  }

  @Test
  void everyJdbcTrialMeasuresTwoIterationsOfOneAndAHalfSeconds() {
    Options o = full("distinct4", "handwritten");
    assertThat(o.getMeasurementIterations().get()).isEqualTo(2);
    assertThat(o.getMeasurementTime().get().convertTo(TimeUnit.MILLISECONDS)).isEqualTo(1500);
    assertThat(o.getWarmupTime().get().convertTo(TimeUnit.MILLISECONDS)).isEqualTo(2000);
  }

  @Test
  void theQuickRunKeepsItsOneSecondWarmUp() {
    Options o = new BenchMain(true).jdbcOptions("single", "headway").build();
    assertThat(o.getWarmupIterations().get()).isEqualTo(1);
    assertThat(o.getWarmupTime().get().convertTo(TimeUnit.MILLISECONDS)).isEqualTo(1000);
  }
}

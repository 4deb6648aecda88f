package dev.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;

/** The warm-up and measurement the README promises for JMH's JDBC trials. */
class JdbcWarmUpTest {
  @Test
  void theFullRunsJmhTrialsWarmUpForTwoIterationsAndMeasureTwoOfOneAndAHalfSeconds() {
    for (String variant : new String[] {"distinct4", "hot8"}) {
      Options o = new BenchMain(false).jdbcOptions(variant).build();
      assertThat(o.getWarmupIterations().get()).as(variant).isEqualTo(2);
      assertThat(o.getWarmupTime().get().convertTo(TimeUnit.MILLISECONDS)).as(variant).isEqualTo(2000);
      assertThat(o.getMeasurementIterations().get()).as(variant).isEqualTo(2);
      assertThat(o.getMeasurementTime().get().convertTo(TimeUnit.MILLISECONDS)).as(variant).isEqualTo(1500);
    }
  }

  @Test
  void theQuickRunKeepsItsOneSecondWarmUp() {
    Options o = new BenchMain(true).jdbcOptions("single").build();
    assertThat(o.getWarmupIterations().get()).isEqualTo(1);
    assertThat(o.getWarmupTime().get().convertTo(TimeUnit.MILLISECONDS)).isEqualTo(1000);
  }
}

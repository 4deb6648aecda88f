package dev.headway.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  @Test
  void shortFormsAndIsoAreRead() {
    assertThat(DurationConverter.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(DurationConverter.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(DurationConverter.parse("12H")).isEqualTo(Duration.ofHours(12));
    assertThat(DurationConverter.parse(" 30d ")).isEqualTo(Duration.ofDays(30));
    assertThat(DurationConverter.parse("PT0.5S")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void anythingElseSaysWhatIsAccepted() {
    for (String bad : new String[] {"soon", "", "5 s", "-5s", "5w"}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad)
          .isInstanceOf(TypeConversionException.class).hasMessageContaining("such as 5s, 1500ms, 30d or PT5S");
    }
  }
}

package dev.headway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void demoEndsWithExactCountsDespiteRetries() {
    String db = "jdbc:h2:file:" + java.nio.file.Path.of("target", "demo-test").toAbsolutePath();
    assertThat(run("demo", "--db", db, "--items", "200", "--seed", "3")).isZero();
    assertThat(run("demo", "--db", db, "--items", "100", "--seed", "4")).isZero(); // a second run, same file
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("every count is exact.").contains("COMPLETED, 4 children, 100% done");
    assertThat(text).doesNotContain("0 reports were delivered twice");
  }

  @Test
  void unknownCommandIsAUsageErrorWithoutAStackTrace() {
    assertThat(run("nope")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("'nope'").contains("--help").doesNotContain("Exception");
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("demo", "status", "show", "watch", "timeline", "sweep", "purge");
  }

  @Test
  void badOptionValueIsReportedPlainly() {
    assertThat(run("demo", "--items")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--items").contains("Missing required parameter")
        .doesNotContain("Exception");
  }
}

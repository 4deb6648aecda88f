package dev.headway.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HttpServeCommandTest {
  @TempDir Path dir;

  private static CommandLine command(StringWriter out, StringWriter err) {
    CommandLine cl = new CommandLine(new ServeCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl;
  }

  @Test
  void helpNamesTheOptions() {
    StringWriter out = new StringWriter();
    assertThat(command(out, new StringWriter()).execute("--help")).isZero();
    assertThat(out.toString()).contains("--port", "--bind", "--token-file", "--public-read", "--db",
        "HEADWAY_TOKEN");
  }

  @Test
  void unreadableTokenFileStopsBeforeListening() {
    StringWriter err = new StringWriter();
    int code = command(new StringWriter(), err).execute("--port", "0", "--db",
        "jdbc:h2:mem:serve-test;DB_CLOSE_DELAY=-1", "--token-file", dir.resolve("missing").toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("--token-file").doesNotContain("s3cret");
  }
}

package dev.headway.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the jar's real {@code main} logic in this JVM and keeps what the last run printed. */
public final class CommandRun {
  private ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs {@code Main} with {@code args}; returns its exit code. */
  public int run(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** Standard output of the last run. */
  public String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Standard error of the last run. */
  public String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}

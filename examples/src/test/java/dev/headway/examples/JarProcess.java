package dev.headway.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command of the examples jar run in a JVM of its own, as a user runs it
 * ({@code java -cp ... dev.headway.examples.Main COMMAND ...}), for tests of crashes and resumes
 * across processes. Output goes to files, so what a killed or halted process wrote is kept.
 */
public final class JarProcess {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private JarProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code Main} with {@code args}; output goes to {@code <name>.out} and {@code .err} in {@code dir}. */
  public static JarProcess start(Path dir, String name, String... args) throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Files.createDirectories(dir);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new JarProcess(p, out, err);
  }

  /** Runs to the end (at most {@code seconds}) and returns the exit code. */
  public int waitFor(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("still running after " + seconds + " s\n" + stderr());
    }
    return process.exitValue();
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}

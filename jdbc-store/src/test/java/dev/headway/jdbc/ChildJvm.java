package dev.headway.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running a test main class on this JVM's classpath, for tests that need real
 * processes (a kill, or several writers that share nothing but the database). Its stderr goes to a
 * file so that a failing test can print it.
 */
final class ChildJvm {
  private final String name;
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildJvm(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code mainClass} with {@code args}; stdin is a pipe, stdout and stderr go to files in {@code workDir}. */
  static ChildJvm start(String name, Class<?> mainClass, Path workDir, String... args) throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    Files.createDirectories(workDir);
    Path out = workDir.resolve(name + ".stdout.txt");
    Path err = workDir.resolve(name + ".stderr.txt");
    Process p = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
        .redirectError(ProcessBuilder.Redirect.to(err.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    return new ChildJvm(name, p, out, err);
  }

  Process process() {
    return process;
  }

  /**
   * The complete lines the child has written to stdout so far. Stdout goes to a file rather than a
   * pipe: a pipe read while the JVM reaps a killed child can fail with "Stream closed", and a file
   * keeps every line the child wrote before it died.
   */
  List<String> stdoutLines() throws IOException {
    String text = Files.readString(stdout, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
  }

  /** Waits until the child's stdout lines satisfy {@code done}; false after {@code seconds} or its exit. */
  boolean awaitStdout(Predicate<List<String>> done, int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      boolean exited = !process.isAlive();
      if (done.test(stdoutLines())) {
        return true;
      }
      if (exited) {
        return false;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** Writes a line to the child's stdin. */
  void writeLine(String text) throws IOException {
    process.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** The child's stderr so far, labelled, for a failure message. */
  String stderr() {
    try {
      String text = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
      return "---- stderr of " + name + " ----\n" + (text.isEmpty() ? "(empty)\n" : text) + "---- end of " + name + " ----";
    } catch (IOException e) {
      return "(could not read stderr of " + name + ": " + e + ")";
    }
  }

  /** SIGKILL on Linux; waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }
}

package dev.headway.examples;

import dev.headway.jdbc.JdbcProgressStore;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The tour: a crawl, a sync-all that is killed half-way in a process of its own and resumed from
 * inside the table it was on, and a shop sync with injected failures, all into one database, then
 * the status table. Each step is one of the jar's own commands, run as a user would run it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "A crawl, a sync-all crashed and resumed, and a shop sync, then the status table.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "Where progress is kept (default: ${DEFAULT-VALUE}, an H2 file in this folder).")
  String db = JdbcProgressStore.DEFAULT_URL;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of all generated data (default ${DEFAULT-VALUE}).")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    String seedText = Long.toString(seed);

    step(out, "1. A crawl of a simulated GitLab (seed 003's crawler), reporting through a ProgressReporter");
    int code = sub("crawl", "--db", db, "--job-id", "crawl-" + stamp, "--seed", seedText, "--scale", "small");
    if (code != 0) {
      return code;
    }

    step(out, "2. A sync-all that dies half-way (its JVM halts: no clean-up, its lease left held)");
    String batch = "sync-" + stamp;
    int crashed = crashInOwnJvm(out, "sync-all", "--db", db, "--batch-id", batch, "--seed", seedText,
        "--crash-after", "1500", "--lease", "2s");
    out.println("   the sync-all process ended with exit code " + crashed + " (killed mid-table)");
    sub("sync-status", "--db", db, batch);
    step(out, "   ...resumed: finished tables are skipped, the interrupted one goes on after its checkpoint");
    code = sub("sync-all", "--db", db, "--resume", batch);
    if (code != 0) {
      return code;
    }

    step(out, "3. A shop sync to two marketplaces, five workers each, failures injected by category");
    code = sub("shop-sync", "--db", db, "--job-id", "shop-" + stamp, "--seed", seedText);
    if (code != 0) {
      return code;
    }

    step(out, "Every job in the store");
    return sub("status", "--db", db);
  }

  private static void step(PrintWriter out, String title) {
    out.println();
    out.println("== " + title);
    out.flush();
  }

  /** Runs one of the jar's commands in this JVM, sharing this command's output. */
  private int sub(String... args) {
    CommandLine root = spec.commandLine().getParent();
    CommandLine cl = Main.commandLine(root.getOut(), root.getErr());
    return cl.execute(args);
  }

  /** Runs a command in a JVM of its own, which is halted part-way; returns its exit code. */
  private static int crashInOwnJvm(PrintWriter out, String... args) throws IOException, InterruptedException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(new File(System.getProperty("java.io.tmpdir"), "headway-demo-crash.log")))
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new Main.CommandFailedException("the crashing sync-all did not stop within 2 minutes");
    }
    return p.exitValue();
  }
}

package dev.headway.examples.cli;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.examples.Main;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.view.ProgressView;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code watch JOB_ID}: a live progress bar until the job ends; exit 1 when it did not complete. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow a job live until it ends.")
public final class WatchCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "JOB_ID", description = "The job.")
  String jobId;

  @Option(names = "--every", defaultValue = "PT0.5S", paramLabel = "DURATION",
      description = "How often to look (such as 5s or PT5S, default ${DEFAULT-VALUE}).")
  Duration every;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "Give up after this long (such as 30s or PT30S).")
  Duration timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Console console = Console.of(spec.commandLine().getOut());
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    try (JdbcProgressStore s = store.open(); ProgressDisplay display = new ProgressDisplay(console, jobId)) {
      while (true) {
        JobSnapshot j = s.get(jobId);
        if (store.json()) {
          console.out().println(JsonOutput.write(JsonOutput.job(j, s.clock(), false)));
        } else {
          display.show(ProgressView.of(j, s.clock()));
        }
        if (j.status().isTerminal()) {
          return j.status() == JobStatus.COMPLETED || j.status() == JobStatus.SKIPPED ? 0 : Main.FAILED;
        }
        if (System.nanoTime() > deadline) {
          throw new Main.CommandFailedException("job " + jobId + " is still " + j.status() + " after " + timeout);
        }
        Thread.sleep(every.toMillis());
      }
    }
  }
}

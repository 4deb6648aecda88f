package dev.headway.examples.cli;

import dev.headway.JobSnapshot;
import dev.headway.jdbc.JdbcProgressStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sweep}: marks INTERRUPTED the running jobs whose run stopped renewing its lease. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Mark running jobs whose lease expired as INTERRUPTED, so they can be resumed.")
public final class SweepCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Option(names = "--silent-for", paramLabel = "DURATION",
      description = "Also jobs without a lease not heard from for this long (such as 10m or PT10M).")
  Duration silentFor;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try (JdbcProgressStore s = store.open()) {
      List<JobSnapshot> swept = s.interruptStale(silentFor);
      if (store.json()) {
        out.println(JsonOutput.write(Map.of("interrupted", swept.stream().map(JobSnapshot::jobId).toList())));
      } else if (swept.isEmpty()) {
        out.println("No stale jobs.");
      } else {
        swept.forEach(j -> out.println("interrupted " + j.jobId()));
      }
      return 0;
    }
  }
}

package dev.headway.examples.cli;

import dev.headway.JobSnapshot;
import dev.headway.TimelineEvent;
import dev.headway.jdbc.JdbcProgressStore;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code timeline JOB_ID}: every kept event of a job, oldest first. */
@Command(name = "timeline", mixinStandardHelpOptions = true, description = "A job's timeline, oldest first.")
public final class TimelineCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "JOB_ID", description = "The job.")
  String jobId;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try (JdbcProgressStore s = store.open()) {
      JobSnapshot j = s.get(jobId);
      if (store.json()) {
        out.println(JsonOutput.write(JsonOutput.events(j)));
        return 0;
      }
      for (TimelineEvent e : j.timeline().events()) {
        out.printf(Locale.ROOT, "%s %-16s %s%n", e.at(), e.type(), JsonOutput.write(e.details()));
      }
      if (j.timeline().dropped() > 0) {
        out.printf(Locale.ROOT, "(%d older events dropped: %s)%n", j.timeline().dropped(), j.timeline().droppedByType());
      }
      return 0;
    }
  }
}

package dev.headway.examples.cli;

import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.examples.Main;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.store.JobQuery;
import dev.headway.view.ProgressView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code status}: the jobs, newest first, filtered by status, type and parent. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
public final class StatusCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Option(names = "--status", split = ",", paramLabel = "STATUS",
      description = "Only these statuses (running, completed, failed, interrupted, ...).")
  List<String> statuses = List.of();

  @Option(names = "--type", description = "Only jobs of this type.")
  String type;

  @Option(names = "--parent", paramLabel = "JOB_ID", description = "Only children of this batch.")
  String parent;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
  int limit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Set<JobStatus> wanted = EnumSet.noneOf(JobStatus.class);
    for (String w : statuses) {
      try {
        wanted.add(JobStatus.parse(w));
      } catch (InvalidUpdateException e) {
        throw new Main.UsageException("--status (" + w + ") " + e.reason());
      }
    }
    JobQuery q = JobQuery.all().withStatuses(wanted).withType(type).withParentId(parent).withLimit(limit);
    Console console = Console.of(spec.commandLine().getOut());
    try (JdbcProgressStore s = store.open()) {
      List<JobSnapshot> jobs = s.query(q);
      Clock clock = s.clock();
      if (store.json()) {
        List<Object> out = new ArrayList<>();
        jobs.forEach(j -> out.add(JsonOutput.job(j, clock, false)));
        console.out().println(JsonOutput.write(out));
        return 0;
      }
      if (jobs.isEmpty()) {
        console.out().println("No jobs.");
        return 0;
      }
      console.out().printf(Locale.ROOT, "%-40s %-12s %-11s %8s %15s %10s %9s%n",
          "JOB", "TYPE", "STATUS", "PERCENT", "PROCESSED", "RATE", "ETA");
      for (JobSnapshot j : jobs) {
        ProgressView v = ProgressView.of(j, clock);
        console.out().printf(Locale.ROOT, "%-40s %-12s %-11s %8s %15s %10s %9s%n", j.jobId(),
            j.type() == null ? "-" : j.type(), console.status(j.status().name()), Formats.percent(v.percent()),
            Formats.progress(j), Formats.rate(v.ratePerSecond()), Formats.duration(v.eta()));
      }
      return 0;
    }
  }
}

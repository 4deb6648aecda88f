package dev.headway.examples.cli;

import dev.headway.ErrorRecord;
import dev.headway.JobSnapshot;
import dev.headway.TimelineEvent;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.view.BatchView;
import dev.headway.view.ProgressView;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code show JOB_ID}: one job with percent, rate, ETA, counters, errors and its latest events. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one job.")
public final class ShowCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "JOB_ID", description = "The job.")
  String jobId;

  @Option(names = "--events", defaultValue = "10", description = "Latest timeline events to show (default ${DEFAULT-VALUE}).")
  int events;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Console console = Console.of(spec.commandLine().getOut());
    try (JdbcProgressStore s = store.open()) {
      JobSnapshot j = s.get(jobId);
      Clock clock = s.clock();
      List<JobSnapshot> children = s.children(jobId);
      if (store.json()) {
        Map<String, Object> m = JsonOutput.job(j, clock, true);
        if (!children.isEmpty()) {
          BatchView b = BatchView.of(j, children);
          m.put("batch", Map.of("status", b.status().name(), "childCount", b.childCount(),
              "percentDone", b.percentDone(), "processedItems", b.processedItems()));
        }
        console.out().println(JsonOutput.write(m));
        return 0;
      }
      ProgressView v = ProgressView.of(j, clock);
      var out = console.out();
      out.printf(Locale.ROOT, "%s  (%s, attempt %d)%n", j.jobId(), j.type() == null ? "no type" : j.type(), j.attempt());
      out.printf(Locale.ROOT, "  status    %s%n", console.status(j.status().name()));
      out.printf(Locale.ROOT, "  progress  %s  %s%n", Formats.percent(v.percent()), Formats.progress(j));
      out.printf(Locale.ROOT, "  rate      %s (last minute %s)  eta %s  running %s%n", Formats.rate(v.ratePerSecond()),
          Formats.rate(v.smoothedRatePerSecond()), Formats.duration(v.eta()), Formats.duration(v.duration()));
      if (j.field("stage") != null) {
        out.printf(Locale.ROOT, "  stage     %s%n", j.field("stage"));
      }
      v.itemsByType().forEach((type, n) -> out.printf(Locale.ROOT, "  %-9s %,d%n", type, n));
      if (j.lease() != null) {
        out.printf(Locale.ROOT, "  lease     %s until %s%n", j.lease().owner(), j.lease().expiresAt());
      }
      if (j.checkpoint() != null) {
        out.printf(Locale.ROOT, "  checkpoint %s at %s%n", JsonOutput.write(j.checkpoint().cursor()), j.checkpoint().at());
      }
      if (!v.errorsByCategory().isEmpty()) {
        out.printf(Locale.ROOT, "  errors    %s%n", v.errorsByCategory());
        for (ErrorRecord e : v.recentErrors()) {
          out.printf(Locale.ROOT, "            %s %s: %s%n", e.at(), e.category(), e.message());
        }
      }
      if (!children.isEmpty()) {
        BatchView b = BatchView.of(j, children);
        out.printf(Locale.ROOT, "  batch     %s, %d children, %.0f%% done%n", console.status(b.status().name()),
            b.childCount(), b.percentDone());
      }
      List<TimelineEvent> all = j.timeline().events();
      for (TimelineEvent e : all.subList(Math.max(0, all.size() - events), all.size())) {
        out.printf(Locale.ROOT, "  %s %-16s %s%n", e.at(), e.type(), JsonOutput.write(e.details()));
      }
      return 0;
    }
  }
}

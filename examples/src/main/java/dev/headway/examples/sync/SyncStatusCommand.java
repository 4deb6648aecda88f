package dev.headway.examples.sync;

import dev.headway.JobSnapshot;
import dev.headway.examples.Main;
import dev.headway.examples.cli.Console;
import dev.headway.examples.cli.StoreOptions;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.json.ProgressCodec;
import dev.headway.store.JobQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sync-status --latest | --all | BATCH_ID [--failed]}: sync-all batches, each with its
 * tables' status, records processed and skipped, duration and errors, and the command that
 * resumes it when it is unfinished. Exit 1 for an unknown batch, 2 for bad usage.
 */
@Command(name = "sync-status", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Show sync-all batches: each table's status, records processed and skipped, duration and "
        + "errors, and the command that resumes an unfinished batch.")
public final class SyncStatusCommand implements Callable<Integer> {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}");

  @Mixin StoreOptions store;

  @Parameters(arity = "0..1", paramLabel = "BATCH_ID", description = "The batch to show.")
  String batchId;

  @Option(names = "--latest", description = "Show the newest batch.")
  boolean latest;

  @Option(names = "--all", description = "List every batch, newest first.")
  boolean all;

  @Option(names = "--failed", description = "Only failed, interrupted or stale tables (with --all: only batches "
      + "that have some).")
  boolean failed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    int chosen = (latest ? 1 : 0) + (all ? 1 : 0) + (batchId != null ? 1 : 0);
    if (chosen != 1) {
      throw new ParameterException(spec.commandLine(), "Name one batch: --latest, --all or BATCH_ID");
    }
    Console console = Console.of(spec.commandLine().getOut());
    try (JdbcProgressStore s = store.open()) {
      if (all) {
        return all(s, console);
      }
      JobSnapshot batch = (latest ? newest(s) : find(s, batchId)).orElseThrow(() -> new Main.CommandFailedException(
          latest ? "No sync-all batch found." : "Batch ID [" + batchId + "] not found."));
      BatchReport report = BatchReport.load(s, batch, store.db());
      if (store.json()) {
        console.out().println(ProgressCodec.defaults().write(report.json(failed)));
      } else {
        report.print(console, failed);
      }
      return 0;
    }
  }

  private int all(JdbcProgressStore s, Console console) {
    List<BatchReport> reports = new ArrayList<>();
    for (JobSnapshot b : s.query(batches().withLimit(JobQuery.MAX_LIMIT))) {
      BatchReport r = BatchReport.load(s, b, store.db());
      if (!failed || r.hasFailedTables()) {
        reports.add(r);
      }
    }
    if (store.json()) {
      List<Object> out = new ArrayList<>();
      reports.forEach(r -> out.add(r.json(failed)));
      console.out().println(ProgressCodec.defaults().write(out));
      return 0;
    }
    if (reports.isEmpty()) {
      console.out().println(failed ? "No sync-all batch has failed or interrupted tables." : "No sync-all batches.");
      return 0;
    }
    BatchReport.printSummaryHeader(console.out());
    reports.forEach(r -> r.printSummary(console));
    for (BatchReport r : reports) {
      if (r.resumeCommand() != null) {
        console.out().println("Resume " + r.batchId() + " with: " + r.resumeCommand());
      }
    }
    return 0;
  }

  private static JobQuery batches() {
    return JobQuery.all().withType(SyncAllCommand.BATCH_TYPE).withOrder(JobQuery.Order.CREATED_DESC);
  }

  private static Optional<JobSnapshot> newest(JdbcProgressStore s) {
    return s.query(batches().withLimit(1)).stream().findFirst();
  }

  // An id that cannot be a job's, or a job that is no sync-all batch, is no batch either.
  private static Optional<JobSnapshot> find(JdbcProgressStore s, String id) {
    return JOB_ID.matcher(id).matches()
        ? s.find(id).filter(j -> SyncAllCommand.BATCH_TYPE.equals(j.type())) : Optional.empty();
  }
}

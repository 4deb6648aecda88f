package dev.headway.examples.sync;

import dev.headway.HeadwayException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.Resumption;
import dev.headway.examples.LeaseWait;
import dev.headway.examples.Main;
import dev.headway.examples.cli.Console;
import dev.headway.examples.cli.StoreOptions;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.json.ProgressCodec;
import dev.headway.report.ProgressReporter;
import dev.headway.report.ProgressSink;
import dev.headway.store.ProgressStore;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sync-all}: copies the example tables from a source H2 database into a target one, as a
 * batch job (type {@value #BATCH_TYPE}) with one child job per table (type {@value #TABLE_TYPE}),
 * all created up front so the batch knows its tables. {@code --resume BATCH_ID} skips the tables
 * that completed and carries on the interrupted or failed one after its last checkpoint.
 * Exit 0 when every table completed, 1 when one did not (or the batch is unknown), 2 on bad usage.
 */
@Command(name = "sync-all", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Sync the example tables (customers, products, orders, invoices) from a source H2 database "
        + "into a target one: a batch job with one child job per table, and a live progress bar.",
        "The source is generated from --seed on first use. Rows that break a table's rule are skipped and counted.",
        "--resume BATCH_ID skips completed tables and resumes the interrupted one after its last checkpoint."})
public final class SyncAllCommand implements Callable<Integer> {
  /** Type of the batch job. */
  public static final String BATCH_TYPE = "sync-all";
  /** Type of each table's job. */
  public static final String TABLE_TYPE = "table-sync";
  static final String JAR = "java -jar examples/target/headway.jar";
  static final long DEFAULT_SEED = 7;

  // A batch id leaves room for "/<table>" in its tables' job ids (200 characters at most).
  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,180}");
  private static final Pattern PLAIN_ARGUMENT = Pattern.compile("[A-Za-z0-9_./:=@%+,~-]+");
  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
  private static final Duration MIN_LEASE = Duration.ofSeconds(1);
  private static final Duration MAX_LEASE = Duration.ofHours(1);

  @Mixin StoreOptions store;

  @Option(names = "--batch-id", paramLabel = "ID",
      description = "Id of the new batch (default: generated, such as sync-20260101-120000-k3f9qa, and printed).")
  String batchId;

  @Option(names = "--resume", paramLabel = "BATCH_ID",
      description = "Resume this batch: completed tables are skipped, an interrupted or failed one carries on "
          + "after its last checkpoint. Uses the batch's own source, target and seed.")
  String resume;

  @Option(names = "--source", paramLabel = "PATH|URL",
      description = "The source H2 database, generated from --seed when it holds other data "
          + "(default: sync-source next to the --db file).")
  String source;

  @Option(names = "--target", paramLabel = "PATH|URL",
      description = "The target H2 database (default: sync-target next to the --db file).")
  String target;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the generated source rows (default 7).")
  Long seed;

  @Option(names = "--chunk", paramLabel = "ROWS", defaultValue = "50",
      description = "Rows per target transaction and checkpoint, 1-10000 (default ${DEFAULT-VALUE}).")
  int chunk;

  @Option(names = "--chunk-delay", paramLabel = "MS", defaultValue = "20",
      description = "Pause after each chunk, so a small demo can be watched and interrupted, 0-60000 "
          + "(default ${DEFAULT-VALUE}).")
  int chunkDelay;

  @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "5s",
      description = "How long this run holds its jobs between heartbeats (such as 5s, 1500ms or PT5S; 1s-1h, "
          + "default ${DEFAULT-VALUE}): after a crash, --resume waits at most this long for it to expire.")
  Duration lease;

  @Option(names = "--crash-after", paramLabel = "N",
      description = "Halt the JVM abruptly after N rows (Runtime.halt: no clean-up, leases left held, the "
          + "open chunk lost), once the progress counted so far has reached the store; shows recovery.")
  Long crashAfter;

  @Option(names = "--fail-table", paramLabel = "TABLE",
      description = "Make this table fail halfway (a simulated lost connection), to show failed tables "
          + "and their retry by --resume.")
  String failTable;

  @Spec CommandSpec spec;

  // A usage error goes through picocli's handler: one line, a pointer to --help, exit 2.
  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The command that resumes {@code batchId} on the store at {@code db}, ready to paste into a shell. */
  static String resumeCommand(String batchId, String db) {
    return JAR + " sync-all --resume " + shellWord(batchId) + " --db "
        + shellWord(PASSWORD.matcher(db).replaceAll("$1<masked>"));
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    Console console = Console.of(spec.commandLine().getOut());
    PrintWriter err = spec.commandLine().getErr();
    // With --json, standard output is the JSON document alone; what people read goes to stderr.
    Consumer<String> say = store.json() ? err::println : console.out()::println;
    LeaseRequest leaseRequest = LeaseRequest.of(ProgressReporter.newReporterId(), lease);
    SyncRun.Settings settings = new SyncRun.Settings(chunk, chunkDelay, crashAfter == null ? 0 : crashAfter,
        failTable);
    try (JdbcProgressStore s = store.open()) {
      Job job = new Job(s, leaseRequest, settings, console, err, say);
      return resume != null ? job.resumeBatch(resume) : job.newBatch();
    } catch (SQLException e) {
      // The source or target could not be opened or read: one line, as every error here.
      throw new Main.CommandFailedException("Database error: " + SyncRun.oneLine(e));
    }
  }

  private void checkOptions() {
    if (resume != null) {
      List<String> clash = new ArrayList<>();
      if (batchId != null) {
        clash.add("--batch-id");
      }
      if (source != null) {
        clash.add("--source");
      }
      if (target != null) {
        clash.add("--target");
      }
      if (seed != null) {
        clash.add("--seed");
      }
      if (!clash.isEmpty()) {
        throw usage(String.join(", ", clash) + " cannot be used with --resume: a resumed batch "
            + "keeps the id, source, target and seed it started with");
      }
    }
    if (batchId != null && !BATCH_ID.matcher(batchId).matches()) {
      throw usage("--batch-id (" + batchId + ") must be 1-180 characters of A-Z a-z 0-9 . _ : @ / -");
    }
    if (chunk < 1 || chunk > 10_000) {
      throw usage("--chunk (" + chunk + ") must be between 1 and 10000");
    }
    if (chunkDelay < 0 || chunkDelay > 60_000) {
      throw usage("--chunk-delay (" + chunkDelay + ") must be between 0 and 60000");
    }
    if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
      throw usage("--lease (" + lease + ") must be between 1s and 1h");
    }
    if (crashAfter != null && crashAfter < 1) {
      throw usage("--crash-after (" + crashAfter + ") must be at least 1");
    }
    if (failTable != null && SyncTable.named(failTable).isEmpty()) {
      throw usage("--fail-table (" + failTable + ") must be one of " + SyncTable.names());
    }
  }

  /** One invocation's work on an open store. */
  private final class Job {
    private final ProgressStore s;
    private final LeaseRequest leaseRequest;
    private final SyncRun.Settings settings;
    private final Console console;
    private final PrintWriter err;
    private final Consumer<String> say;

    Job(ProgressStore s, LeaseRequest leaseRequest, SyncRun.Settings settings, Console console, PrintWriter err,
        Consumer<String> say) {
      this.s = s;
      this.leaseRequest = leaseRequest;
      this.settings = settings;
      this.console = console;
      this.err = err;
      this.say = say;
    }

    int newBatch() throws SQLException, InterruptedException {
      String id = batchId != null ? batchId : generatedId();
      if (s.find(id).isPresent()) {
        throw usage("Batch ID [" + id + "] already exists; resume it with --resume " + id
            + " or choose another --batch-id");
      }
      String sourceUrl;
      String targetUrl;
      try {
        sourceUrl = source != null ? SyncDatabases.url("--source", source)
            : SyncDatabases.nextTo(store.db(), "sync-source");
        targetUrl = target != null ? SyncDatabases.url("--target", target)
            : SyncDatabases.nextTo(store.db(), "sync-target");
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      if (sourceUrl.equals(targetUrl)) {
        throw usage("--source and --target (" + sourceUrl + ") must be different databases");
      }
      long seedValue = seed != null ? seed : DEFAULT_SEED;
      try (Connection src = SyncDatabases.open(sourceUrl); Connection dst = SyncDatabases.open(targetUrl)) {
        Map<String, Long> rows = prepare(src, dst, seedValue);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("source", sourceUrl);
        metadata.put("target", targetUrl);
        metadata.put("seed", seedValue);
        metadata.put("tables", List.copyOf(rows.keySet()));
        say.accept(String.format(Locale.ROOT, "Batch %s: %d tables, %,d rows from %s to %s (seed %d)", id,
            rows.size(), rows.values().stream().mapToLong(Long::longValue).sum(), sourceUrl, targetUrl, seedValue));
        say.accept("If it stops, resume it with: " + resumeCommand(id, store.db()));
        try (ProgressReporter batch = ProgressReporter.start(s,
            ProgressUpdate.builder(id).type(BATCH_TYPE).metadata(metadata).build(), leaseRequest)) {
          List<ProgressUpdate> children = new ArrayList<>();
          for (SyncTable t : SyncTable.ALL) {
            children.add(queued(id, t, rows.get(t.name())));
          }
          s.applyAll(children); // all or none: the batch never knows only some of its tables
          Map<String, JobSnapshot> todo = new LinkedHashMap<>();
          for (JobSnapshot c : s.children(id)) {
            todo.put(BatchReport.tableName(c), c);
          }
          return runTables(batch, id, rows, new SyncRun(s, leaseRequest, src, dst, settings, liveConsole(), err, say),
              todo);
        }
      }
    }

    int resumeBatch(String id) throws SQLException, InterruptedException {
      JobSnapshot existing = findBatch(id).orElseThrow(
          () -> new Main.CommandFailedException("Batch ID [" + id + "] not found."));
      if (!BATCH_TYPE.equals(existing.type())) {
        throw new Main.CommandFailedException("Job " + id + " is not a sync-all batch (its type is "
            + existing.type() + ").");
      }
      if (existing.status() == JobStatus.COMPLETED) {
        say.accept("Batch " + id + " has already completed; there is nothing to resume.");
        report(id);
        return 0;
      }
      if (!(existing.field("metadata.source") instanceof String sourceUrl)
          || !(existing.field("metadata.target") instanceof String targetUrl)
          || !(existing.field("metadata.seed") instanceof Number seedValue)) {
        throw new Main.CommandFailedException("Batch " + id + " does not say which databases it syncs; "
            + "it was not started by sync-all.");
      }
      say.accept("Resuming batch " + id + " (" + existing.status() + ") from " + sourceUrl + " to " + targetUrl);
      Resumption resumed;
      try {
        resumed = LeaseWait.resume(s, id, leaseRequest, say);
      } catch (HeadwayException e) {
        throw new Main.CommandFailedException("Batch " + id + " cannot be resumed: " + e.getMessage());
      }
      try (ProgressReporter batch = ProgressReporter.builder(ProgressSink.of(s), id).resumeFrom(resumed)
              .reporterId(leaseRequest.owner()).lease(leaseRequest.ttl()).build();
          Connection src = SyncDatabases.open(sourceUrl);
          Connection dst = SyncDatabases.open(targetUrl)) {
        Map<String, Long> rows = prepare(src, dst, seedValue.longValue());
        Map<String, JobSnapshot> pending = new LinkedHashMap<>();
        for (JobSnapshot c : resumed.pendingChildren()) {
          pending.put(BatchReport.tableName(c), c);
        }
        List<String> known = s.children(id).stream().map(BatchReport::tableName).toList();
        Map<String, JobSnapshot> todo = new LinkedHashMap<>();
        for (SyncTable t : SyncTable.ALL) {
          if (pending.containsKey(t.name())) {
            todo.put(t.name(), pending.get(t.name()));
          } else if (!known.contains(t.name())) {
            // The earlier run stopped before it created its tables' jobs.
            s.apply(queued(id, t, rows.get(t.name())));
            todo.put(t.name(), s.get(childId(id, t)));
          } else {
            say.accept(t.name() + ": completed before, skipped");
          }
        }
        return runTables(batch, id, rows, new SyncRun(s, leaseRequest, src, dst, settings, liveConsole(), err, say),
            todo);
      }
    }

    // Copies the tables in order, then finishes the batch and reports it.
    private int runTables(ProgressReporter batch, String id, Map<String, Long> rows, SyncRun run,
        Map<String, JobSnapshot> todo) throws SQLException, InterruptedException {
      for (SyncTable t : SyncTable.ALL) {
        JobSnapshot child = todo.get(t.name());
        if (child != null) {
          batch.stage(t.name());
          run.syncTable(t, child, rows.get(t.name()));
        }
      }
      List<String> unfinished = new ArrayList<>();
      List<JobSnapshot> children = s.children(id);
      for (JobSnapshot c : children) {
        if (c.status() != JobStatus.COMPLETED && c.status() != JobStatus.SKIPPED) {
          unfinished.add(BatchReport.tableName(c));
        }
      }
      String what = unfinished.size() + " of " + children.size() + " tables did not complete ("
          + String.join(", ", unfinished) + ")";
      if (unfinished.isEmpty()) {
        batch.complete();
      } else {
        batch.fail(what);
      }
      batch.close(); // waits for delivery, so the report below shows the batch finished
      report(id);
      if (!unfinished.isEmpty()) {
        throw new Main.CommandFailedException(what + "; resume with: " + resumeCommand(id, store.db()));
      }
      return 0;
    }

    private void report(String id) {
      BatchReport report = BatchReport.load(s, s.get(id), store.db());
      if (store.json()) {
        console.out().println(ProgressCodec.defaults().write(report.json(false)));
      } else {
        report.print(console, false);
      }
    }

    private Optional<JobSnapshot> findBatch(String id) {
      return BATCH_ID.matcher(id).matches() ? s.find(id) : Optional.empty();
    }

    private Console liveConsole() {
      return store.json() ? null : console;
    }
  }

  // Generates the source when needed, creates the target's tables; returns rows per table.
  private static Map<String, Long> prepare(Connection src, Connection dst, long seed) throws SQLException {
    Map<String, Long> rows = SourceGenerator.ensure(src, seed);
    try (Statement st = dst.createStatement()) {
      for (SyncTable t : SyncTable.ALL) {
        st.execute(t.createSql());
      }
    }
    dst.setAutoCommit(false); // one transaction per chunk
    return rows;
  }

  private static ProgressUpdate queued(String batchId, SyncTable t, long rows) {
    return ProgressUpdate.builder(childId(batchId, t)).type(TABLE_TYPE).parentId(batchId).status(JobStatus.QUEUED)
        .totalItems(rows).metadata(Map.of("table", t.name())).build();
  }

  static String childId(String batchId, SyncTable t) {
    return batchId + "/" + t.name();
  }

  private static String generatedId() {
    String time = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    SecureRandom random = new SecureRandom();
    StringBuilder tail = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      tail.append(Character.forDigit(random.nextInt(36), 36));
    }
    return "sync-" + time + "-" + tail;
  }

  private static String shellWord(String s) {
    return PLAIN_ARGUMENT.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}

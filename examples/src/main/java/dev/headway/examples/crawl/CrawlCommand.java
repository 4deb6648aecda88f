package dev.headway.examples.crawl;

import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.Resumption;
import dev.headway.examples.LeaseWait;
import dev.headway.examples.Main.CommandFailedException;
import dev.headway.examples.Main.UsageException;
import dev.headway.examples.cli.Console;
import dev.headway.examples.cli.ProgressDisplay;
import dev.headway.examples.cli.StoreOptions;
import dev.headway.examples.crawl.SimulatedGitLab.Scale;
import dev.headway.examples.crawl.SimulatedGitLab.Stage;
import dev.headway.examples.http.HttpProgressSink;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.json.ProgressCodec;
import dev.headway.report.ProgressReporter;
import dev.headway.report.ProgressSink;
import dev.headway.view.ProgressView;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code crawl}: seed 003's crawler against a {@link SimulatedGitLab}, reporting through a {@link
 * ProgressReporter} under a lease: itemsByType, processedItems of a totalItems that grows as
 * discovery finds projects, stage, currentDataType, a {@code {position, lastProcessedId}}
 * checkpoint after every item, and the timeline events areas_discovered, stage_change (from the
 * store), error and completion. {@code --crash-after N} halts the JVM after N items, leaving the
 * lease held; {@code --resume JOB_ID} waits for that lease to expire when it must, takes the job
 * over and carries on from the checkpoint, ending with exactly the counts of a run that never
 * stopped. {@code --endpoint URL --token TOKEN} reports to a Headway server in another process
 * instead ({@link HttpProgressSink}), retrying through server restarts without counting twice.
 */
@Command(name = "crawl", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Crawls a simulated GitLab (groups, projects, branches, issues, merge requests, commits; the same for "
            + "the same seed) through the stages discovery, branch_crawling, data_collection and finalization, "
            + "reporting its progress as seed 003's crawler does.",
        "--crash-after stops it abruptly; --resume continues from the last checkpoint and ends with exactly the "
            + "counts of an uninterrupted run."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the crawl completed", "1:the crawl failed or could not run", "2:usage error",
        "137:halted on purpose by --crash-after"})
public final class CrawlCommand implements Callable<Integer> {
  /** The job type of crawls. */
  public static final String JOB_TYPE = "crawler";
  /** Exit code of a run halted by {@code --crash-after}, as a process killed by SIGKILL would give. */
  public static final int CRASH_EXIT = 137;

  private static final Duration DISPLAY_EVERY = Duration.ofMillis(200);
  private static final Duration MAX_LATENCY = Duration.ofSeconds(10);
  /** How long a crawl over HTTP waits at the end for its reports to be delivered. */
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final ProgressCodec CODEC = ProgressCodec.defaults();

  @Mixin StoreOptions store;

  @Option(names = "--job-id", paramLabel = "ID",
      description = "Id of the new job (default: generated, and printed).")
  String jobId;

  @Option(names = "--resume", paramLabel = "JOB_ID",
      description = "Continue this stopped crawl from its last checkpoint, with the seed and scale it started with.")
  String resumeId;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of the simulated source (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--scale", paramLabel = "SIZE", defaultValue = "medium", converter = ScaleConverter.class,
      description = "small (~200 items), medium (~2.3k) or large (~55k); default ${DEFAULT-VALUE}.")
  Scale scale;

  @Option(names = "--crash-after", paramLabel = "N",
      description = "Halt the JVM abruptly after N items (no clean-up, the lease left held), to show recovery.")
  Integer crashAfter;

  @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "PT3S",
      description = "The job's lease, renewed every third of it (such as 5s or PT5S, default ${DEFAULT-VALUE}); after a "
          + "crash, --resume waits at most this long for it to expire.")
  Duration lease;

  @Option(names = "--latency", paramLabel = "DURATION", defaultValue = "PT0.001S",
      description = "Simulated API latency per item (such as 5s or PT5S, default ${DEFAULT-VALUE}).")
  Duration latency;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Report to a Headway server (e.g. http://127.0.0.1:7070, see serve) instead of the database: "
          + "no lease, no --resume, and the crawl_items table is not written (--db is not used).")
  String endpoint;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:HEADWAY_TOKEN}",
      description = "Bearer token for --endpoint (default: the environment variable HEADWAY_TOKEN).")
  String token;

  @Spec CommandSpec spec;

  /** What a run works on: the job, its source, its reporter and where in the crawl order it starts. */
  private record Run(String jobId, SimulatedGitLab source, ProgressReporter reporter, int from) {}

  @Override
  public Integer call() throws InterruptedException {
    checkOptions();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (endpoint != null) {
      return crawlOverHttp(out, err);
    }
    PrintWriter info = store.json() ? err : out; // with --json, stdout is the JSON alone
    try (JdbcProgressStore s = store.open(); CrawlItems items = CrawlItems.open(store.db())) {
      Run run = resumeId == null ? start(s, items, info) : resume(s, info);
      return crawl(s, items, run, out, err, info);
    }
  }

  private void checkOptions() {
    if (resumeId != null && jobId != null) {
      throw new UsageException("--job-id and --resume cannot be combined: --resume names the job to continue");
    }
    checkId("--job-id", jobId);
    checkId("--resume", resumeId);
    if (crashAfter != null && crashAfter < 1) {
      throw new UsageException("--crash-after (" + crashAfter + ") must be at least 1");
    }
    if (lease.compareTo(LeaseRequest.MIN_TTL) < 0 || lease.compareTo(LeaseRequest.MAX_TTL) > 0) {
      throw new UsageException("--lease (" + lease + ") must be between " + LeaseRequest.MIN_TTL + " and "
          + LeaseRequest.MAX_TTL);
    }
    if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
      throw new UsageException("--latency (" + latency + ") must be between PT0S and " + MAX_LATENCY);
    }
    if (endpoint != null) {
      checkEndpoint();
    }
  }

  private void checkEndpoint() {
    if (resumeId != null) {
      throw new UsageException("--resume cannot be combined with --endpoint: resuming needs the database "
          + "(crawl --resume JOB_ID --db ...)");
    }
    if (store.json()) {
      throw new UsageException("--json cannot be combined with --endpoint: the job is on the server; read it there");
    }
    if (token == null || token.isBlank()) {
      throw new UsageException("--endpoint needs a token: pass --token or set HEADWAY_TOKEN");
    }
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new UsageException("--endpoint (\"" + endpoint + "\") is not a URL: " + e.getReason());
    }
    if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
        || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw new UsageException("--endpoint (\"" + endpoint + "\") must be an http:// or https:// URL with a host");
    }
  }

  private static void checkId(String option, String id) {
    if (id == null) {
      return;
    }
    try {
      ProgressUpdate.builder(id).build();
    } catch (InvalidUpdateException e) {
      throw new UsageException(option + " (\"" + e.rejectedValue() + "\") " + e.reason());
    }
  }

  // ---------------------------------------------------------------- a new crawl

  private Run start(JdbcProgressStore s, CrawlItems items, PrintWriter info) {
    boolean generated = jobId == null;
    String id = generated ? generatedId() : jobId;
    s.find(id).ifPresent(j -> {
      throw new CommandFailedException("job " + id + " already exists (" + j.status() + "); "
          + (j.status().isResumable() || j.status() == JobStatus.RUNNING
              ? "continue it with --resume " + id : "choose another --job-id"));
    });
    SimulatedGitLab source = SimulatedGitLab.generate(seed, scale);
    LeaseRequest request = LeaseRequest.of(ProgressReporter.newReporterId(), lease);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("source", "simulated GitLab");
    metadata.put("seed", seed);
    metadata.put("scale", scale.word());
    JobSnapshot job = s.start(ProgressUpdate.builder(id).type(JOB_TYPE).stage(Stage.DISCOVERY.word())
        .field("operationType", Stage.DISCOVERY.word()).metadata(metadata).build(), request);
    items.clear(id); // rows of an older, purged job of the same id are not this crawl's
    ProgressReporter reporter = ProgressReporter.builder(ProgressSink.of(s), id)
        .reporterId(request.owner()).attempt(job.attempt()).lease(lease).build();
    info.printf(Locale.ROOT, "Crawling a simulated GitLab (seed %d, scale %s) as job %s%s; progress goes to %s%n",
        seed, scale.word(), id, generated ? " (generated id)" : "", s.databaseName());
    info.printf(Locale.ROOT, "If this run stops, continue it with: crawl --resume %s%s%n", id, sameDb());
    return new Run(id, source, reporter, 0);
  }

  private static String generatedId() {
    return "crawl-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
        + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  private String sameDb() {
    return store.db().equals(JdbcProgressStore.DEFAULT_URL) ? "" : " and the same --db";
  }

  // ---------------------------------------------------------------- resuming

  private Run resume(JdbcProgressStore s, PrintWriter info) throws InterruptedException {
    String id = resumeId;
    JobSnapshot job = s.find(id).orElseThrow(() -> new CommandFailedException(
        "no job " + id + " in the " + s.databaseName() + " database: there is nothing to resume"));
    if (job.status() == JobStatus.COMPLETED) {
      throw new CommandFailedException("job " + id + " is already COMPLETED: there is nothing to resume");
    }
    if (job.status() == JobStatus.CANCELLED || job.status() == JobStatus.SKIPPED) {
      throw new CommandFailedException("job " + id + " is " + job.status() + " and cannot be resumed");
    }
    if (!JOB_TYPE.equals(job.type()) || !(job.field("metadata.seed") instanceof Number jobSeed)
        || !(job.field("metadata.scale") instanceof String jobScaleWord)) {
      throw new CommandFailedException("job " + id + " is not a crawl (type " + job.type()
          + "): crawl resumes only jobs it started");
    }
    Scale jobScale = Scale.parse(jobScaleWord);
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    if (parsed.hasMatchedOption("--seed") && seed != jobSeed.longValue()) {
      throw new UsageException("--seed " + seed + " differs from job " + id + "'s seed " + jobSeed
          + "; leave it out when resuming");
    }
    if (parsed.hasMatchedOption("--scale") && scale != jobScale) {
      throw new UsageException("--scale " + scale.word() + " differs from job " + id + "'s scale "
          + jobScale.word() + "; leave it out when resuming");
    }
    SimulatedGitLab source = SimulatedGitLab.generate(jobSeed.longValue(), jobScale);
    position(id, job.checkpoint() == null ? null : job.checkpoint().cursor(), source); // check before changing the job

    // Takeover: after a crash the job is still RUNNING under the dead run's lease; once that
    // expires, takeover interrupts and resumes it in one step. A live lease is never taken.
    LeaseRequest request = LeaseRequest.of(ProgressReporter.newReporterId(), lease).withTakeover();
    Resumption r = LeaseWait.resume(s, id, request, info::println);
    ProgressReporter reporter = ProgressReporter.builder(ProgressSink.of(s), id).resumeFrom(r)
        .reporterId(request.owner()).lease(lease).build();
    int from;
    try {
      from = position(id, r.cursor(), source);
    } catch (CommandFailedException e) {
      reporter.fail(e.getMessage());
      reporter.close();
      throw e;
    }
    if (from == 0) {
      info.printf(Locale.ROOT, "Resuming job %s (attempt %d, seed %d, scale %s) from the beginning: it stored no "
          + "checkpoint%n", id, r.attempt(), jobSeed.longValue(), jobScale.word());
    } else {
      info.printf(Locale.ROOT, "Resuming job %s (attempt %d, seed %d, scale %s) after item %,d of %,d (%s)%n", id,
          r.attempt(), jobSeed.longValue(), jobScale.word(), from, source.size(), source.item(from - 1).id());
    }
    return new Run(id, source, reporter, from);
  }

  /** The position a cursor names, checked against the source: a cursor of another seed is refused. */
  private static int position(String id, Object cursor, SimulatedGitLab source) {
    if (cursor == null) {
      return 0;
    }
    if (cursor instanceof Map<?, ?> m && m.get(CrawlCursor.POSITION) instanceof Number p && p.intValue() >= 1
        && p.intValue() <= source.size() && source.item(p.intValue() - 1).id().equals(m.get(CrawlCursor.LAST_PROCESSED_ID))) {
      return p.intValue();
    }
    throw new CommandFailedException("job " + id + "'s checkpoint " + CODEC.write(cursor)
        + " does not match its simulated source; it cannot be resumed");
  }

  // ---------------------------------------------------------------- the crawl

  private int crawl(JdbcProgressStore s, CrawlItems items, Run run, PrintWriter out, PrintWriter err,
      PrintWriter info) throws InterruptedException {
    String id = run.jobId();
    ProgressDisplay display = new ProgressDisplay(Console.of(out), id);
    Runnable crash = () -> {
      err.printf(Locale.ROOT, "Crashing on purpose after %d items (--crash-after): no clean-up, the lease stays "
          + "held. Continue with: crawl --resume %s%s%n", crashAfter, id, sameDb());
      out.flush();
      err.flush();
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(CRASH_EXIT);
    };
    Crawler.Result result;
    LiveProgress live = store.json() ? null : LiveProgress.start(s, id, display, DISPLAY_EVERY);
    try (ProgressReporter reporter = run.reporter()) {
      try {
        result = new Crawler(run.source(), reporter, items, latency, crashAfter, crash).run(run.from());
      } catch (CommandFailedException e) {
        reporter.fail(e.getMessage()); // FAILED, and resumable: the next run starts at the checkpoint
        throw e;
      } finally {
        if (live != null) {
          live.close();
        }
      }
    } catch (CommandFailedException e) {
      display.close();
      throw e;
    } // the reporter's close() waits until the final report is stored

    JobSnapshot job = s.get(id);
    if (store.json()) {
      Map<String, Object> m = new LinkedHashMap<>(CODEC.snapshotMap(job));
      m.put("derived", ProgressView.of(job, s.clock()).derivedFields());
      out.println(CODEC.write(m));
    } else {
      display.show(ProgressView.of(job, s.clock()));
      display.close();
    }
    switch (result.outcome()) {
      case SUPERSEDED -> throw new CommandFailedException("job " + id + " was taken over by another run; this one "
          + "stopped after " + result.fetched() + " items");
      case FAILED -> throw new CommandFailedException("crawl " + id + " failed: " + result.failure());
      default -> { }
    }
    if (job.status() != JobStatus.COMPLETED) {
      throw new CommandFailedException("job " + id + " is " + job.status() + " although the crawl finished: its "
          + "final report was not stored (see the warnings above); resume it with --resume " + id);
    }
    StringJoiner types = new StringJoiner(", ");
    if (job.field("itemsByType") instanceof Map<?, ?> byType) {
      byType.forEach((type, n) -> types.add(String.format(Locale.ROOT, "%,d %s", ((Number) n).longValue(), type)));
    }
    info.printf(Locale.ROOT, "Crawled %,d items (%s); %s holds %,d of them%s%n", job.processedItems(), types,
        CrawlItems.TABLE, items.count(id), result.retried() == 0 ? ""
            : String.format(Locale.ROOT, "; %d transient API error%s retried", result.retried(),
                result.retried() == 1 ? " was" : "s were"));
    return 0;
  }

  // ---------------------------------------------------------------- over HTTP

  /**
   * A crawl reporting to a Headway server through {@link HttpProgressSink}: its first update
   * starts the job (RUNNING, type crawler), complete() ends it. No lease (the HTTP sink renews
   * none), no items table, no live display (there is no store to read): a line at the start and
   * one at the end. Failed deliveries are retried unchanged by the reporter, so a server restart
   * mid-crawl neither loses nor double-counts anything; at the end it waits up to {@link
   * #DELIVERY_TIMEOUT} for everything to be delivered.
   */
  private int crawlOverHttp(PrintWriter out, PrintWriter err) throws InterruptedException {
    boolean generated = jobId == null;
    String id = generated ? generatedId() : jobId;
    SimulatedGitLab source = SimulatedGitLab.generate(seed, scale);
    HttpProgressSink http;
    try {
      http = HttpProgressSink.to(endpoint, token);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--endpoint (\"" + endpoint + "\") is not usable: " + e.getMessage());
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("source", "simulated GitLab");
    metadata.put("seed", seed);
    metadata.put("scale", scale.word());
    String reporterId = ProgressReporter.newReporterId();
    // The first update starts the job RUNNING (the reporter's own updates carry no status until
    // the last); it goes under a name of its own, so it takes none of the reporter's seqs.
    startOverHttp(http, ProgressUpdate.builder(id).reporter(reporterId + "-start", 1).type(JOB_TYPE)
        .status(JobStatus.RUNNING).stage(Stage.DISCOVERY.word()).field("operationType", Stage.DISCOVERY.word())
        .metadata(metadata).build());
    ProgressReporter reporter = ProgressReporter.builder(http, id).reporterId(reporterId)
        .closeTimeout(Duration.ofSeconds(2)).build(); // close() comes after an explicit wait for delivery
    out.printf(Locale.ROOT, "Crawling a simulated GitLab (seed %d, scale %s) as job %s%s; progress goes to %s%n",
        seed, scale.word(), id, generated ? " (generated id)" : "", endpoint);
    out.flush();
    Runnable crash = () -> {
      err.printf(Locale.ROOT, "Crashing on purpose after %d items (--crash-after): no clean-up%n", crashAfter);
      out.flush();
      err.flush();
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(CRASH_EXIT);
    };
    Crawler.Result result;
    boolean delivered;
    try {
      try {
        result = new Crawler(source, reporter, null, latency, crashAfter, crash).run(0);
      } catch (CommandFailedException e) {
        reporter.fail(e.getMessage());
        reporter.flush(DELIVERY_TIMEOUT);
        throw e;
      }
      delivered = reporter.flush(DELIVERY_TIMEOUT);
    } finally {
      reporter.close();
    }
    switch (result.outcome()) {
      case SUPERSEDED -> throw new CommandFailedException("job " + id + " was taken over by another run; this one "
          + "stopped after " + result.fetched() + " items");
      case FAILED -> throw new CommandFailedException("crawl " + id + " failed: " + result.failure());
      default -> { }
    }
    if (!delivered) {
      throw new CommandFailedException("crawl " + id + " finished but its progress was not all delivered to "
          + endpoint + " within " + DELIVERY_TIMEOUT.toSeconds() + " s (" + reporter.failedSends()
          + " failed sends); the server's copy is incomplete");
    }
    StringJoiner types = new StringJoiner(", ");
    source.countsByType().forEach((type, n) ->
        types.add(String.format(Locale.ROOT, "%,d %s", ((Number) n).longValue(), type)));
    out.printf(Locale.ROOT, "%s: COMPLETED. Crawled %,d items (%s); delivered to %s in %d updates%s%n", id,
        result.fetched(), types, endpoint, reporter.writes(), reporter.failedSends() == 0 ? ""
            : String.format(Locale.ROOT, " (%d failed sends retried)", reporter.failedSends()));
    return 0;
  }

  // Sends the first update until it is delivered (the same one each time: a send that did land is
  // then a duplicate), for up to about DELIVERY_TIMEOUT.
  private void startOverHttp(HttpProgressSink http, ProgressUpdate first) throws InterruptedException {
    long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
    long backoffMillis = 50;
    while (true) {
      try {
        http.send(first);
        return;
      } catch (InvalidUpdateException e) {
        throw new CommandFailedException("job " + first.jobId() + " could not be started at " + endpoint + ": "
            + e.getMessage());
      } catch (RuntimeException e) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) - deadline > 0) {
          throw new CommandFailedException("job " + first.jobId() + " could not be started at " + endpoint
              + " within " + DELIVERY_TIMEOUT.toSeconds() + " s: " + e.getMessage());
        }
        TimeUnit.MILLISECONDS.sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 2000);
      }
    }
  }

  /** {@code --scale} in any case, with a message naming the choices. */
  public static final class ScaleConverter implements CommandLine.ITypeConverter<Scale> {
    @Override
    public Scale convert(String value) {
      try {
        return Scale.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not small, medium or large");
      }
    }
  }
}

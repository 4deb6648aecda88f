package dev.headway.examples.shop;

import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.examples.Main;
import dev.headway.examples.cli.Console;
import dev.headway.examples.cli.ProgressDisplay;
import dev.headway.examples.cli.StoreOptions;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.json.ProgressCodec;
import dev.headway.view.ProgressView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code shop-sync}: bulk-syncs a generated catalog to two simulated marketplaces (seeds 000-002)
 * and ends with the batch summary. See {@link ShopSync} for what is reported and {@link
 * ShopSyncSummary} for how it is rolled up.
 */
@Command(name = "shop-sync", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Bulk-syncs generated products to two simulated marketplaces (marketplace-a: 5 attempts a product, "
            + "marketplace-b: 3), with concurrent workers per marketplace, retries of RATE_LIMIT, NETWORK and "
            + "SYSTEM failures, and AUTHENTICATION and VALIDATION failures that fail a product at once.",
        "The batch (--job-id, type shop-sync) has one job per marketplace; each shows live progress, speed and "
            + "ETA, and the run ends with the summary: synced and failed products per marketplace, the batch "
            + "status (COMPLETED when every product synced, FAILED when none did, MIXED otherwise), success "
            + "rate, retries and errors by category.",
        "A marketplace's job ends COMPLETED when all its products synced and FAILED when some failed for good; "
            + "the batch job ends COMPLETED when the run finished and some product synced."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:the run finished and some product synced (failed products are counted in the summary, not fatal)",
        "1:the batch failed: no product synced anywhere, or the run could not finish",
        "2:bad usage",
        "137:halted on purpose by --crash-after"})
public final class ShopSyncCommand implements Callable<Integer> {
  private static final ProgressCodec JSON = ProgressCodec.defaults();

  @Mixin StoreOptions store;

  @Option(names = "--job-id", paramLabel = "ID",
      description = "The batch's job id (default: generated, shop-sync-<date>-<time>-<hex>, and printed).")
  String jobId;

  @Option(names = "--seed", defaultValue = "7", paramLabel = "N",
      description = "Seeds the products and every failure (default ${DEFAULT-VALUE}); the same seed gives the same run.")
  long seed;

  @Option(names = "--products", defaultValue = "200", paramLabel = "N",
      description = "Products in the generated catalog (default ${DEFAULT-VALUE}, at most 100000).")
  int products;

  @Option(names = "--workers", defaultValue = "5", paramLabel = "N",
      description = "Concurrent workers per marketplace (default ${DEFAULT-VALUE}, at most 64).")
  int workers;

  @Option(names = "--failure-rate", defaultValue = "0.2", paramLabel = "RATE",
      description = "Share of products that meet a failure at a marketplace, 0-1 (default ${DEFAULT-VALUE}).")
  double failureRate;

  @Option(names = "--call-ms", defaultValue = "10", paramLabel = "MS",
      description = "How long one simulated API call takes, in ms (default ${DEFAULT-VALUE}, at most 1000).")
  int callMillis;

  @Option(names = "--crash-after", paramLabel = "N",
      description = "Halt the JVM abruptly after N products over all marketplaces (Runtime.halt: no clean-up, "
          + "leases left held), once the progress counted so far has reached the store, to show recovery: "
          + "the jobs stay RUNNING until their lease expires, then `sweep` marks them INTERRUPTED.")
  Long crashAfter;

  @Option(names = "--lease", defaultValue = "PT5S", paramLabel = "DURATION",
      description = "How long this run holds its jobs between heartbeats, renewed every third of it (such as 5s or PT5S, "
          + "default ${DEFAULT-VALUE}): after a crash, `sweep` can interrupt the jobs once it has passed.")
  Duration leaseTtl;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean generated = jobId == null;
    String batchId = generated ? generatedId() : jobId;
    checkIds(batchId);
    Console console = Console.of(out);
    try (JdbcProgressStore s = store.open()) {
      Optional<JobSnapshot> existing = s.find(batchId);
      if (existing.isPresent()) {
        throw new Main.UsageException("--job-id (" + batchId + ") is taken by a " + existing.get().status()
            + " job; choose another id, or leave --job-id out for a new one");
      }
      String what = String.format(Locale.ROOT, "%s %s: %d products to %s, %d workers each, seed %d; progress in %s",
          generated ? "Generated job id" : "Job id", batchId, products,
          String.join(" and ", Marketplace.DEFAULTS.stream().map(Marketplace::name).toList()), workers, seed,
          s.databaseName());
      (store.json() ? err : out).println(what);  // with --json, stdout is the JSON document only

      ShopSync.Settings settings = new ShopSync.Settings(batchId, seed, products, workers, failureRate,
          Duration.ofMillis(callMillis), crashAfter == null ? 0 : crashAfter, leaseTtl);
      ShopSync sync = new ShopSync(s, settings, Marketplace.DEFAULTS, () -> crash(err));
      ShopSync.Result result;
      List<ProgressDisplay> displays = new ArrayList<>();
      List<String> shown = new ArrayList<>(List.of(batchId));
      if (!console.isTerminal()) {  // on a terminal, one bar redrawn in place; in logs, a line per job
        Marketplace.DEFAULTS.forEach(m -> shown.add(ShopSync.childId(batchId, m)));
      }
      shown.forEach(id -> displays.add(new ProgressDisplay(console, id)));
      try {
        Runnable tick = store.json() ? () -> { } : () -> show(s, shown, displays);
        result = sync.run(tick);
        tick.run();
      } finally {
        displays.forEach(ProgressDisplay::close);
      }
      if (result.superseded()) {
        throw new Main.CommandFailedException("batch " + batchId + " was taken over (its lease was lost: a sweep "
            + "or another run); this run stopped");
      }
      if (result.droppedEvents() > 0) {
        err.println("warning: " + result.droppedEvents() + " error reports were dropped; errors by category are "
            + "short by that many");
      }
      ShopSyncSummary summary = ShopSyncSummary.of(s, batchId);
      if (store.json()) {
        out.println(JSON.write(summary.toJson()));
      } else {
        summary.print(console);
      }
      return summary.batch().status() == JobStatus.COMPLETED ? 0 : Main.FAILED;
    }
  }

  private static void show(JdbcProgressStore s, List<String> ids, List<ProgressDisplay> displays) {
    for (int i = 0; i < ids.size(); i++) {
      try {
        ProgressDisplay display = displays.get(i);
        s.find(ids.get(i)).ifPresent(job -> display.show(ProgressView.of(job, s.clock())));
      } catch (RuntimeException e) {
        // A missed frame: the store may be briefly unreachable, and the reporters retry on their own.
      }
    }
  }

  private void validate() {
    if (products < 1 || products > 100_000) {  // the run keeps every outcome in memory
      throw new Main.UsageException("--products (" + products + ") must be between 1 and 100000");
    }
    if (workers < 1 || workers > 64) {
      throw new Main.UsageException("--workers (" + workers + ") must be between 1 and 64");
    }
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new Main.UsageException("--failure-rate (" + failureRate + ") must be between 0 and 1");
    }
    if (callMillis < 0 || callMillis > 1000) {
      throw new Main.UsageException("--call-ms (" + callMillis + ") must be between 0 and 1000");
    }
    if (crashAfter != null && crashAfter < 1) {
      throw new Main.UsageException("--crash-after (" + crashAfter + ") must be at least 1");
    }
    if (leaseTtl.compareTo(LeaseRequest.MIN_TTL) < 0 || leaseTtl.compareTo(LeaseRequest.MAX_TTL) > 0) {
      throw new Main.UsageException("--lease (" + leaseTtl + ") must be between " + LeaseRequest.MIN_TTL
          + " and " + LeaseRequest.MAX_TTL);
    }
  }

  // The batch id and every marketplace job's id (<batch>/<name>) must be valid job ids.
  private static void checkIds(String batchId) {
    try {
      ProgressUpdate.builder(batchId).build();
      for (Marketplace m : Marketplace.DEFAULTS) {
        ProgressUpdate.builder(ShopSync.childId(batchId, m)).build();
      }
    } catch (InvalidUpdateException e) {
      throw new Main.UsageException("--job-id (" + batchId + ") is not usable: " + e.getMessage());
    }
  }

  private static String generatedId() {
    return "shop-sync-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-" + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  private void crash(PrintWriter err) {
    err.println("--crash-after " + crashAfter + ": halting the JVM now, without clean-up. The jobs stay RUNNING "
        + "until their lease (" + leaseTtl + ") expires; then `sweep` marks them INTERRUPTED.");
    err.flush();
    Runtime.getRuntime().halt(ShopSync.CRASH_EXIT);
  }
}

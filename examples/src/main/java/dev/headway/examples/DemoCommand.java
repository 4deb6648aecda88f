package dev.headway.examples;

import dev.headway.ApplyResult;
import dev.headway.JobSnapshot;
import dev.headway.ProgressUpdate;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.store.ProgressStore;
import dev.headway.view.BatchView;
import dev.headway.view.ProgressView;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A small crawl under a batch: four workers report into one store, some reports are delivered
 * twice (as a flaky network would), and the totals still come out exact.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "A simulated crawl with retried reports; shows exact totals, percent and batch roll-up.")
public final class DemoCommand implements Callable<Integer> {
  private static final String[] TYPES = {"groups", "projects", "issues", "commits"};

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "Where progress is kept (default: ${DEFAULT-VALUE}, an H2 file in this folder).")
  String db = JdbcProgressStore.DEFAULT_URL;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the generated crawl (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--items", defaultValue = "400", description = "Items each of the 4 workers processes (default ${DEFAULT-VALUE}).")
  int items;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    String batch = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-" + Integer.toHexString(new Random().nextInt(0x10000));
    try (JdbcProgressStore store = JdbcProgressStore.open(db)) {
      out.println("Progress goes to " + store.databaseName() + "; batch " + batch);
      return run(store, batch, seed, items, out);
    }
  }

  private static int run(ProgressStore store, String batch, long seed, int items, PrintStream out) throws Exception {
    store.apply(ProgressUpdate.builder(batch).type("batch").status("running").build());

    int workers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      String job = batch + "/crawl-" + w;
      Random random = new Random(seed * 31 + w);
      int perWorker = items;
      futures.add(pool.submit(() -> crawl(store, batch, job, random, perWorker)));
    }
    long[] sent = new long[TYPES.length];
    long retries = 0;
    for (Future<long[]> f : futures) {
      long[] r = f.get();
      for (int t = 0; t < TYPES.length; t++) {
        sent[t] += r[t];
      }
      retries += r[TYPES.length];
    }
    pool.shutdown();
    store.apply(ProgressUpdate.builder(batch).status("completed").build());

    Clock clock = Clock.systemUTC();
    out.printf("%-34s %-10s %7s  %9s  %6s%n", "job", "status", "percent", "processed", "issues");
    for (JobSnapshot child : store.children(batch)) {
      ProgressView v = ProgressView.of(child, clock);
      out.printf("%-34s %-10s %6.1f%%  %9d  %6s%n", child.jobId(), child.status(), v.percent(),
          child.processedItems(), child.field("itemsByType.issues"));
    }
    BatchView b = BatchView.of(store.get(batch), store.children(batch));
    out.printf("batch %s: %s, %d children, %.0f%% done%n", batch, b.status(), b.childCount(), b.percentDone());
    boolean exact = true;
    for (int t = 0; t < TYPES.length; t++) {
      long stored = b.itemsByType().getOrDefault(TYPES[t], 0L);
      out.printf("  %-9s sent %6d, stored %6d%n", TYPES[t], sent[t], stored);
      exact &= stored == sent[t];
    }
    out.printf("%d reports were delivered twice; %s%n", retries,
        exact ? "every count is exact." : "COUNTS DIFFER (this is a bug).");
    return exact ? 0 : 1;
  }

  private static long[] crawl(ProgressStore store, String batch, String job, Random random, int items) {
    long[] sent = new long[TYPES.length + 1];
    store.apply(ProgressUpdate.builder(job).type("crawler").parentId(batch).status("started")
        .totalItems(items).stage("discovery").build());
    long seq = 0;
    int done = 0;
    while (done < items) {
      int chunk = Math.min(items - done, 10 + random.nextInt(40)); // "every 10-50 items" (seed 003)
      done += chunk;
      int type = random.nextInt(TYPES.length);
      ProgressUpdate u = ProgressUpdate.builder(job)
          .reporter(job + "-reporter", ++seq)
          .processedItems(done)
          .items(TYPES[type], chunk)
          .currentDataType(TYPES[type])
          .stage(done < items / 2 ? "discovery" : "data_collection")
          .lastProcessedId(TYPES[type] + "-" + done)
          .build();
      ApplyResult r = store.apply(u);
      sent[type] += chunk;
      if (random.nextInt(5) == 0 && r.applied()) {
        store.apply(u); // the reply was "lost", so the worker sends it again
        sent[TYPES.length]++;
      }
    }
    store.apply(ProgressUpdate.builder(job).reporter(job + "-reporter", ++seq).status("completed")
        .event("completion", Map.of("items", items)).build());
    return sent;
  }
}

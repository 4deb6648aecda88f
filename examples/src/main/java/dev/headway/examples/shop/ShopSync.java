package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

import dev.headway.JobSnapshot;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.report.ProgressReporter;
import dev.headway.report.ProgressSink;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One shop-sync run: publishes a generated catalog to every marketplace, each with its own pool
 * of workers, and reports it to a {@link ProgressStore} as one batch job (type {@value #TYPE})
 * with one child job per marketplace ({@code <batch>/<marketplace>}, type {@value
 * #MARKETPLACE_TYPE}).
 *
 * <p><b>What is reported.</b> Each child job has one {@link ProgressReporter}, shared by all the
 * workers of its marketplace: per product one {@code synced} or {@code failed} item, and for a
 * product that failed for good one error of its final category. The batch's own reporter counts
 * the same items and errors over all marketplaces (so the batch job shows overall percent, speed
 * and ETA on its own); {@link dev.headway.view.BatchView} sums the children. Retried calls are
 * not errors: the product may still sync. They are counted, per category, in a {@value
 * #SUMMARY_EVENT} event that each child job gets when its marketplace is done.
 *
 * <p><b>How jobs end.</b> A marketplace's job is COMPLETED when every product synced there, and
 * FAILED ("12 of 200 products failed to sync") when some failed for good: someone has to look at
 * it. The batch job is COMPLETED when the run finished and some product synced: failed products
 * are data, counted in the children; it is FAILED only when no product synced anywhere, or a
 * worker broke. {@link ShopSyncSummary} rolls the children up into COMPLETED, MIXED or FAILED.
 *
 * <p><b>Crashes.</b> With {@link Settings#crashAfter}, the worker that finishes that many products
 * (over all marketplaces) waits until the counts so far have reached the store, then runs the
 * crash action, by default {@code Runtime.halt}: no reporter is closed, no final status is sent,
 * and the jobs stay RUNNING until their lease ({@link Settings#leaseTtl}) runs out and a sweep
 * marks them INTERRUPTED.
 *
 * <p>Not thread-safe: {@link #run} once, from one thread.
 */
public final class ShopSync {
  /** The batch job's type. */
  public static final String TYPE = "shop-sync";
  /** The type of each marketplace's job. */
  public static final String MARKETPLACE_TYPE = "marketplace";
  /** Item type of a product that synced. */
  public static final String SYNCED = "synced";
  /** Item type of a product that failed for good. */
  public static final String FAILED = "failed";
  /** Event each job gets at the end: products, attempts, retries and retries by category. */
  public static final String SUMMARY_EVENT = "sync_summary";
  /** Exit status of the JVM halted by {@link Settings#crashAfter}, as a process killed by SIGKILL has. */
  public static final int CRASH_EXIT = 137;

  // A run of a few seconds should show progress several times a second, and a crash should leave
  // recent counts behind; a product takes milliseconds, so a write per 25 of them is cheap.
  private static final int FLUSH_ITEMS = 25;
  private static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
  private static final long TICK_MILLIS = 200;
  private static final Duration CRASH_FLUSH_TIMEOUT = Duration.ofSeconds(5);

  /**
   * What to run.
   *
   * @param batchId the batch job's id; the marketplaces' jobs are {@code <batchId>/<name>}
   * @param seed seeds the catalog and every marketplace's failures
   * @param products products in the catalog
   * @param workers concurrent workers per marketplace
   * @param failureRate share of products that meet trouble at a marketplace, 0-1
   * @param callTime how long one simulated API call takes
   * @param crashAfter halt after this many products over all marketplaces; 0 for never
   * @param leaseTtl the lease every job is started under, renewed every third of it
   */
  public record Settings(String batchId, long seed, int products, int workers, double failureRate,
      Duration callTime, long crashAfter, Duration leaseTtl) {
    public Settings {
      requireNonNull(batchId, "batchId");
      requireNonNull(callTime, "callTime");
      requireNonNull(leaseTtl, "leaseTtl");
      if (products < 1) {
        throw new IllegalArgumentException("products (" + products + ") must be at least 1");
      }
      if (workers < 1) {
        throw new IllegalArgumentException("workers (" + workers + ") must be at least 1");
      }
      if (!(failureRate >= 0 && failureRate <= 1)) {
        throw new IllegalArgumentException("failureRate (" + failureRate + ") must be between 0 and 1");
      }
      if (callTime.isNegative()) {
        throw new IllegalArgumentException("callTime (" + callTime + ") must not be negative");
      }
      if (crashAfter < 0) {
        throw new IllegalArgumentException("crashAfter (" + crashAfter + ") must not be negative");
      }
    }
  }

  /**
   * What a run did, as the workers saw it (the store's view is {@link ShopSyncSummary}).
   *
   * @param outcomes per marketplace name, one outcome per product in catalog order (null for a
   *     product not reached when the run stopped early)
   * @param productsByWorker per marketplace name, how many products each worker thread finished
   * @param calls per marketplace name, the API calls made
   * @param superseded true when the run stopped because another run or a sweep took a job over
   * @param droppedEvents errors the reporters had to drop (0 unless the store was down for long)
   * @param elapsed how long the workers ran
   */
  public record Result(Map<String, List<SyncOutcome>> outcomes, Map<String, Map<String, Integer>> productsByWorker,
      Map<String, Long> calls, boolean superseded, long droppedEvents, Duration elapsed) {}

  private final ProgressStore store;
  private final Settings settings;
  private final List<Marketplace> marketplaces;
  private final Runnable crash;

  /**
   * @param crash what {@link Settings#crashAfter} runs; it should not return (default: halt)
   */
  public ShopSync(ProgressStore store, Settings settings, List<Marketplace> marketplaces, Runnable crash) {
    this.store = requireNonNull(store, "store");
    this.settings = requireNonNull(settings, "settings");
    this.marketplaces = List.copyOf(marketplaces);
    this.crash = crash != null ? crash : () -> Runtime.getRuntime().halt(CRASH_EXIT);
    if (this.marketplaces.isEmpty()) {
      throw new IllegalArgumentException("marketplaces must not be empty");
    }
  }

  /** The job id of {@code marketplace}'s part of batch {@code batchId}. */
  public static String childId(String batchId, Marketplace marketplace) {
    return batchId + "/" + marketplace.name();
  }

  /** The simulated API of {@code marketplace} a run with {@code settings} talks to. */
  public static SimulatedMarketplace simulation(Settings settings, Marketplace marketplace) {
    return new SimulatedMarketplace(marketplace, settings.seed(), settings.failureRate(), settings.callTime());
  }

  // One marketplace's share of the run.
  private record Lane(Marketplace marketplace, SimulatedMarketplace api, MarketplaceClient client,
      ProgressReporter reporter, AtomicInteger next, AtomicReferenceArray<SyncOutcome> outcomes, Map<String, Integer> productsByWorker) {}

  /**
   * Runs the sync to the end (or to the crash), calling {@code tick} on this thread every 200 ms
   * while the workers run (for a live display), and delivers every report before it returns.
   *
   * @throws dev.headway.HeadwayException when a job cannot be started (its id is taken, a lease is held)
   * @throws InterruptedException when interrupted; the jobs are then left INTERRUPTED
   */
  public Result run(Runnable tick) throws InterruptedException {
    List<Product> catalog = Product.catalog(settings.seed(), settings.products());
    List<ProgressReporter> opened = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(settings.workers() * marketplaces.size(), workerThreads());
    try {
      ProgressReporter batch = open(ProgressUpdate.builder(settings.batchId()).type(TYPE)
          .totalItems((long) catalog.size() * marketplaces.size()).stage("syncing")
          .metadata(batchMetadata()).build(), opened);
      List<Lane> lanes = new ArrayList<>();
      for (Marketplace m : marketplaces) {
        ProgressReporter r = open(ProgressUpdate.builder(childId(settings.batchId(), m)).type(MARKETPLACE_TYPE)
            .parentId(settings.batchId()).totalItems(catalog.size()).stage("publishing")
            .metadata(Map.of("marketplace", m.name(), "maxAttempts", m.maxAttempts(),
                "retryable", List.copyOf(new TreeSet<>(Marketplace.RETRYABLE)))).build(), opened);
        SimulatedMarketplace api = simulation(settings, m);
        lanes.add(new Lane(m, api, new MarketplaceClient(api, settings.callTime()), r,
            new AtomicInteger(), new AtomicReferenceArray<>(catalog.size()), new ConcurrentHashMap<>()));
      }

      List<ProgressReporter> all = List.copyOf(opened);
      AtomicLong done = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean superseded = new AtomicBoolean();
      CountDownLatch gate = new CountDownLatch(1);  // all workers start together
      CountDownLatch finished = new CountDownLatch(settings.workers() * lanes.size());
      List<Future<?>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (Lane lane : lanes) {
        for (int w = 0; w < settings.workers(); w++) {
          futures.add(pool.submit(() -> {
            try {
              gate.await();
              work(lane, batch, all, catalog, done, stop, superseded);
              return null;
            } catch (Throwable t) {
              stop.set(true);
              throw t;
            } finally {
              finished.countDown();
            }
          }));
        }
      }
      gate.countDown();
      while (!finished.await(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
        tick.run();
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          String reason = "a worker failed: " + e.getCause();
          lanes.forEach(l -> l.reporter().fail(reason));
          batch.fail(reason);
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(reason, e.getCause());
        }
      }

      Map<String, List<SyncOutcome>> outcomes = new LinkedHashMap<>();
      Map<String, Map<String, Integer>> byWorker = new LinkedHashMap<>();
      Map<String, Long> calls = new LinkedHashMap<>();
      long syncedAnywhere = 0;
      Tally total = new Tally();
      for (Lane lane : lanes) {
        List<SyncOutcome> list = new ArrayList<>(catalog.size());
        for (int i = 0; i < catalog.size(); i++) {
          list.add(lane.outcomes().get(i));
        }
        outcomes.put(lane.marketplace().name(), Collections.unmodifiableList(list));
        byWorker.put(lane.marketplace().name(), Map.copyOf(lane.productsByWorker()));
        calls.put(lane.marketplace().name(), lane.api().calls());
        if (superseded.get()) {
          continue;
        }
        Tally t = Tally.of(list);
        total.add(t);
        syncedAnywhere += t.synced;
        ProgressReporter r = lane.reporter();
        r.stage("done");
        r.event(SUMMARY_EVENT, t.details(lane.marketplace()));
        if (t.failed == 0) {
          r.complete();
        } else {
          r.fail(t.failed + " of " + catalog.size() + " products failed to sync to " + lane.marketplace().name());
        }
      }
      long dropped = 0;
      for (Lane lane : lanes) {  // delivered before the batch finishes: no one sees it done with children running
        lane.reporter().close();
        dropped += lane.reporter().droppedEvents();
      }
      if (!superseded.get()) {
        batch.stage("done");
        batch.event(SUMMARY_EVENT, total.details(null));
        if (syncedAnywhere > 0) {
          batch.complete();
        } else {
          batch.fail("no product synced to any marketplace");
        }
      }
      batch.close();
      dropped += batch.droppedEvents();
      return new Result(Collections.unmodifiableMap(outcomes), Collections.unmodifiableMap(byWorker),
          Collections.unmodifiableMap(calls), superseded.get(), dropped, elapsed);
    } finally {
      pool.shutdownNow();
      opened.forEach(ProgressReporter::close);  // after an exception: INTERRUPTED unless failed above
    }
  }

  private void work(Lane lane, ProgressReporter batch, List<ProgressReporter> all, List<Product> catalog,
      AtomicLong done, AtomicBoolean stop, AtomicBoolean superseded) throws InterruptedException {
    String worker = Thread.currentThread().getName();
    while (!stop.get()) {
      int i = lane.next().getAndIncrement();
      if (i >= catalog.size()) {
        return;
      }
      SyncOutcome o = lane.client().publish(catalog.get(i));
      lane.outcomes().set(i, o);
      lane.productsByWorker().merge(worker, 1, Integer::sum);
      String item = o.synced() ? SYNCED : FAILED;
      lane.reporter().increment(item);
      batch.increment(item);
      if (!o.synced()) {
        lane.reporter().error(o.finalCategory(), o.detail());
        batch.error(o.finalCategory(), lane.marketplace().name() + ": " + o.detail());
      }
      if (settings.crashAfter() > 0 && done.incrementAndGet() == settings.crashAfter()) {
        // What was counted up to here reaches the store first, so the crashed jobs show how far
        // they got (the other workers take no new product meanwhile, or the run could end while
        // it waits); then nothing is closed, no final status is sent and the leases stay held.
        stop.set(true);
        all.forEach(r -> r.flush(CRASH_FLUSH_TIMEOUT));
        crash.run();
      }
      if (lane.reporter().isSuperseded() || batch.isSuperseded()) {
        superseded.set(true);
        stop.set(true);
      }
    }
  }

  private ProgressReporter open(ProgressUpdate first, List<ProgressReporter> opened) {
    String owner = ProgressReporter.newReporterId();
    JobSnapshot job = store.start(first, LeaseRequest.of(owner, settings.leaseTtl()));
    // Every failed product is one error, and none may be dropped: room for all of them.
    int buffer = (int) Math.min(1_000_000, Math.max(1_000, (long) settings.products() * marketplaces.size() + 100));
    ProgressReporter r = ProgressReporter.builder(ProgressSink.of(store), first.jobId())
        .reporterId(owner)
        .attempt(job.attempt())
        .lease(settings.leaseTtl())
        .flushEvery(FLUSH_ITEMS, FLUSH_INTERVAL)
        .maxBufferedEvents(buffer)
        .closeTimeout(CLOSE_TIMEOUT)
        .build();
    opened.add(r);
    return r;
  }

  private Map<String, Object> batchMetadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", settings.seed());
    m.put("products", settings.products());
    m.put("workersPerMarketplace", settings.workers());
    m.put("failureRate", settings.failureRate());
    m.put("marketplaces", marketplaces.stream().map(Marketplace::name).toList());
    return m;
  }

  private ThreadFactory workerThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "shop-sync-worker-" + n.incrementAndGet());
      t.setDaemon(true);  // a broken run must not keep the JVM alive
      return t;
    };
  }

  /** Counts over outcomes, for the summary events. */
  static final class Tally {
    long products;
    long synced;
    long failed;
    long attempts;
    long retries;
    final Map<String, Long> retriesByCategory = new LinkedHashMap<>();

    static Tally of(List<SyncOutcome> outcomes) {
      Tally t = new Tally();
      for (SyncOutcome o : outcomes) {
        if (o == null) {
          continue;
        }
        t.products++;
        if (o.synced()) {
          t.synced++;
        } else {
          t.failed++;
        }
        t.attempts += o.attempts();
        t.retries += o.retries();
        o.retriedFailures().forEach(c -> t.retriesByCategory.merge(c, 1L, Long::sum));
      }
      return t;
    }

    void add(Tally o) {
      products += o.products;
      synced += o.synced;
      failed += o.failed;
      attempts += o.attempts;
      retries += o.retries;
      o.retriesByCategory.forEach((k, v) -> retriesByCategory.merge(k, v, Long::sum));
    }

    Map<String, Object> details(Marketplace m) {
      Map<String, Object> d = new LinkedHashMap<>();
      if (m != null) {
        d.put("marketplace", m.name());
        d.put("maxAttempts", m.maxAttempts());
      }
      d.put("products", products);
      d.put(SYNCED, synced);
      d.put(FAILED, failed);
      d.put("attempts", attempts);
      d.put("retries", retries);
      Map<String, Long> byCategory = new LinkedHashMap<>();
      for (String c : Marketplace.CATEGORIES) {
        if (retriesByCategory.containsKey(c)) {
          byCategory.put(c, retriesByCategory.get(c));
        }
      }
      d.put("retriesByCategory", byCategory);
      return d;
    }
  }
}

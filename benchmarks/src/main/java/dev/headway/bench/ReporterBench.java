package dev.headway.bench;

import dev.headway.JobSnapshot;
import dev.headway.report.ProgressReporter;
import dev.headway.report.ProgressSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Eight threads counting items on one {@link ProgressReporter} over the JDBC store on a durable H2
 * file database ({@code impl=reporter}), against eight threads on one {@link LongAdder}, the
 * floor of a shared counter ({@code impl=longadder}). The trial ends by closing the reporter and
 * checking that the stored processedItems equals the increments made; it also writes the store
 * writes the reporter made, for the summary's writes-per-million figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReporterBench {
  static final String JOB = "reporter-hot";
  static final String RESULT_FILE = "reporter-hot8.properties";

  @Param({"reporter"})
  public String impl;

  private HeadwaySink db;
  private ProgressReporter reporter;
  private final LongAdder adder = new LongAdder();
  private final Queue<Worker> workers = new ConcurrentLinkedQueue<>();

  /** One benchmark thread's own count of increments: a plain field, so counting costs nothing. */
  @State(Scope.Thread)
  public static class Worker {
    long increments;

    @Setup(Level.Trial)
    public void register(ReporterBench bench) {
      bench.workers.add(this);
    }
  }

  @Setup(Level.Trial)
  public void open() {
    if (impl.equals("reporter")) {
      db = new HeadwaySink(BenchDb.H2, "reporter-" + System.nanoTime());
      reporter = ProgressReporter.builder(ProgressSink.of(db.store()), JOB).type("crawler").build();
    } else if (!impl.equals("longadder")) {
      throw new IllegalArgumentException("unknown impl " + impl);
    }
  }

  @TearDown(Level.Trial)
  public void checkNothingLostOrDoubled() {
    long sent = 0;
    for (Worker w : workers) {
      sent += w.increments;
    }
    if (reporter == null) {
      if (adder.sum() != sent) {
        throw new IllegalStateException("LongAdder counted " + adder.sum() + " but " + sent + " increments were made");
      }
      return;
    }
    try {
      reporter.complete();
      reporter.close();
      JobSnapshot job = db.store().get(JOB);
      if (job.processedItems() != sent || !Long.valueOf(sent).equals(itemsOf(job))) {
        throw new IllegalStateException("reporter stored processedItems " + job.processedItems() + " and "
            + itemsOf(job) + " items but " + sent + " increments were made");
      }
      writeResult(sent, reporter.writes());
    } finally {
      db.close();
    }
  }

  private static Long itemsOf(JobSnapshot job) {
    Object n = job.field("itemsByType.items");
    return n == null ? 0L : ((Number) n).longValue();
  }

  @Benchmark
  @Threads(8)
  public void hot8(Worker w) {
    if (reporter != null) {
      reporter.increment("items");
    } else {
      adder.increment();
    }
    w.increments++;
  }

  // ---- the writes figure travels from the forked JVM to BenchMain through a file ----

  static Path resultFile() {
    return Path.of(System.getProperty("headway.bench.dir", "benchmarks/target/db")).resolve(RESULT_FILE);
  }

  private static void writeResult(long increments, long writes) {
    try {
      Files.createDirectories(resultFile().getParent());
      Files.writeString(resultFile(), String.format(Locale.ROOT, "increments=%d%nwrites=%d%n", increments, writes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Store writes per million increments of the last reporter trial, or null when none ran. */
  static Double writesPerMillion(Path file) {
    try {
      if (!Files.exists(file)) {
        return null;
      }
      java.util.Properties p = new java.util.Properties();
      try (var in = Files.newBufferedReader(file)) {
        p.load(in);
      }
      double increments = Double.parseDouble(p.getProperty("increments"));
      return increments == 0 ? null : Double.parseDouble(p.getProperty("writes")) * 1e6 / increments;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For the smoke test: a worker not registered through JMH. */
  Worker worker() {
    Worker w = new Worker();
    w.register(this);
    return w;
  }

  /** For the smoke test. */
  ProgressReporter reporter() {
    return reporter;
  }
}

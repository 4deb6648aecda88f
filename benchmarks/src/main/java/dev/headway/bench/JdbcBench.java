package dev.headway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Reports per second into a database, for Headway and each baseline on the same database in the
 * same run. Every trial ends by checking that each job's stored count equals the reports sent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdbcBench {
  static final List<String> JOBS = List.of("single", "batch", "hot", "d0", "d1", "d2", "d3");

  @Param({"h2"})
  public String db;

  @Param({"headway"})
  public String impl;

  private ReportSink sink;
  private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();

  @Setup(Level.Trial)
  public void open() {
    open(Sinks.open(impl, BenchDb.valueOf(db.toUpperCase(java.util.Locale.ROOT)), impl + "-" + db + "-" + System.nanoTime()));
  }

  void open(ReportSink s) {
    sink = s;
    for (String job : JOBS) {
      sink.prepare(job);
      sent.put(job, new LongAdder());
    }
  }

  @TearDown(Level.Trial)
  public void checkNothingLostOrDoubled() {
    try {
      for (String job : JOBS) {
        long stored = sink.countedReports(job);
        long expected = sent.get(job).sum();
        if (stored != expected) {
          throw new IllegalStateException(impl + " on " + db + " stored " + stored + " reports for job " + job
              + " but " + expected + " were sent");
        }
      }
    } finally {
      sink.close();
    }
  }


  @Benchmark
  @Threads(1)
  public void single(BenchReporter r) {
    sink.report("single", r.next());
    sent.get("single").increment();
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(100)
  public void batch100(BenchReporter r) {
    List<Report> batch = new ArrayList<>(100);
    for (int i = 0; i < 100; i++) {
      batch.add(r.next());
    }
    sink.reportBatch("batch", batch);
    sent.get("batch").add(100);
  }

  @Benchmark
  @Threads(4)
  public void distinct4(BenchReporter r) {
    String job = "d" + (r.index % 4);
    sink.report(job, r.next());
    sent.get(job).increment();
  }

  @Benchmark
  @Threads(8)
  public void hot8(BenchReporter r) {
    sink.report("hot", r.next());
    sent.get("hot").increment();
  }
}

package dev.headway.bench;

import dev.headway.store.ProgressStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/** Reports per second into the in-memory store; exact totals checked at the end. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InMemoryBench {
  private ProgressStore store;
  private final LongAdder[] sent = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
  private static final String[] JOBS = {"single", "d0", "d1", "hot"};

  @Setup(Level.Trial)
  public void open() {
    store = ProgressStore.inMemory();
  }

  @TearDown(Level.Trial)
  public void checkNothingLostOrDoubled() {
    for (int i = 0; i < JOBS.length; i++) {
      long expected = sent[i].sum();
      long stored = store.find(JOBS[i]).map(s -> ((Number) s.field("itemsByType.issues")).longValue()).orElse(0L);
      if (stored != expected) {
        throw new IllegalStateException("in-memory store stored " + stored + " reports for " + JOBS[i]
            + " but " + expected + " were sent");
      }
    }
  }


  @Benchmark
  @Threads(1)
  public void single(BenchReporter r) {
    store.apply(r.next().toUpdate("single"));
    sent[0].increment();
  }

  @Benchmark
  @Threads(2)
  public void distinct2(BenchReporter r) {
    int j = 1 + (r.index % 2);
    store.apply(r.next().toUpdate(JOBS[j]));
    sent[j].increment();
  }

  @Benchmark
  @Threads(8)
  public void hot8(BenchReporter r) {
    store.apply(r.next().toUpdate("hot"));
    sent[3].increment();
  }
}

package dev.headway.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/** One reporter per benchmark thread, with its own name and increasing seq. */
@State(Scope.Thread)
public class BenchReporter {
  String name;
  long seq;
  int index;

  @Setup(Level.Trial)
  public void init(ThreadParams params) {
    start(params.getThreadIndex());
  }

  void start(int threadIndex) {
    index = threadIndex;
    name = "w" + index + "-" + System.nanoTime(); // unique per trial, so no window is shared
  }

  Report next() {
    return Report.of(name, ++seq);
  }
}

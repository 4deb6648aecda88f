package dev.headway.jdbc;

import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.report.ProgressReporter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The worker of {@link KilledRunResumeTest}: starts job {@value #JOB} under a lease on an H2 file
 * database and processes items 1..{@value #ITEMS} in order through a {@link ProgressReporter},
 * checkpointing after every {@value #CHECKPOINT_EVERY}th item. Before it counts an item it prints
 * {@code done <item>}, so the parent knows every item this run touched, even after a SIGKILL.
 */
public final class RunWorkerChild {
  static final String JOB = "sync-orders";
  static final long ITEMS = 20_000;
  static final int CHECKPOINT_EVERY = 25;
  static final Duration LEASE = Duration.ofSeconds(2);

  private RunWorkerChild() {}

  /** Processes items {@code from}..ITEMS, printing each, then completes the job. */
  static void work(ProgressReporter reporter, long from, PrintStream out, long pauseNanosPerItem) {
    for (long item = from; item <= ITEMS; item++) {
      out.println("done " + item);
      reporter.increment("orders");
      if (item % CHECKPOINT_EVERY == 0) {
        reporter.checkpoint(item);
      }
      if (pauseNanosPerItem > 0) {
        long until = System.nanoTime() + pauseNanosPerItem;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
    }
    reporter.complete();
  }

  public static void main(String[] args) throws Exception {
    // args[0]: the H2 database path
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    try (JdbcProgressStore store = JdbcProgressStore.open("jdbc:h2:file:" + args[0]);
        ProgressReporter reporter = ProgressReporter.start(store,
            ProgressUpdate.builder(JOB).type("sync").totalItems(ITEMS).build(),
            LeaseRequest.of("child-" + ProcessHandle.current().pid(), LEASE))) {
      out.println("started");
      // About 100 µs an item: long enough for the parent to kill the run half-way.
      work(reporter, 1, out, 100_000);
    }
    out.println("finished");
  }
}

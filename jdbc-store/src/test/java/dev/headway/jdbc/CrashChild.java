package dev.headway.jdbc;

import dev.headway.ApplyResult;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The child of {@link H2CrashTest}: applies updates to a few jobs in an H2 file database, round
 * robin, and after each {@code apply} returns prints {@code committed <jobId> <seq>}. It runs until
 * it is killed (or for at most a minute, so a lost parent does not leave it running).
 *
 * <p>Update {@code seq} of a job adds 1 to {@code itemsByType.issues}, sets
 * {@code processedItems} to {@code seq}, and every {@value #CHECKPOINT_EVERY}th one adds a
 * {@code checkpoint} event with its seq, so a job that holds k updates has exactly version k,
 * k issues, processedItems k and checkpoints 10, 20, ... up to k.
 */
public final class CrashChild {
  static final String[] JOBS = {"crash-a", "crash-b", "crash-c"};
  static final String REPORTER = "crash-child";
  static final String CHECKPOINT = "checkpoint";
  static final int CHECKPOINT_EVERY = 10;

  private CrashChild() {}

  /** The update {@code seq} of a job, as the child sends it. */
  static ProgressUpdate update(String jobId, long seq) {
    ProgressUpdate.Builder b = ProgressUpdate.builder(jobId)
        .reporter(REPORTER, seq)
        .items("issues", 1)
        .processedItems(seq)
        .status("processing");
    if (seq % CHECKPOINT_EVERY == 0) {
      b.event(CHECKPOINT, Map.of("seq", seq));
    }
    return b.build();
  }

  public static void main(String[] args) throws Exception {
    // args[0]: the H2 database path, without a WRITE_DELAY: the store's default must be durable.
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
        StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + 60_000_000_000L;
    try (JdbcProgressStore store = JdbcProgressStore.open("jdbc:h2:file:" + args[0])) {
      out.println("open");
      out.flush();
      long[] next = new long[JOBS.length];
      for (int i = 0; System.nanoTime() < deadline; i = (i + 1) % JOBS.length) {
        long seq = ++next[i];
        ApplyResult r = store.apply(update(JOBS[i], seq));
        if (r.outcome() != Outcome.APPLIED || r.snapshot().version() != seq) {
          System.err.println("unexpected result for " + JOBS[i] + " seq " + seq + ": " + r.outcome()
              + " at version " + r.snapshot().version());
          System.exit(3);
        }
        out.println("committed " + JOBS[i] + " " + seq);
        out.flush();
      }
    }
    System.err.println("not killed within a minute");
    System.exit(2);
  }
}

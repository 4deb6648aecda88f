package dev.headway.examples;

import dev.headway.LeaseHeldException;
import dev.headway.LeaseRequest;
import dev.headway.Resumption;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Resumes a job that a crashed run may still hold. A run killed without clean-up leaves its lease
 * in place until it expires; rather than make people wait that out by hand, this waits for it
 * (saying so) and then takes the job over. A lease that is renewed meanwhile belongs to a run that
 * is alive, and that run is left alone.
 */
public final class LeaseWait {
  private static final Duration MARGIN = Duration.ofMillis(100);

  private LeaseWait() {}

  /**
   * {@link ProgressStore#resume(String, LeaseRequest)}, waiting for another owner's lease to
   * expire and then taking over.
   *
   * @throws Main.CommandFailedException when the other owner renewed its lease while we waited
   */
  public static Resumption resume(ProgressStore store, String jobId, LeaseRequest lease, Consumer<String> say)
      throws InterruptedException {
    LeaseRequest request = lease;
    Instant waitedUntil = null;
    while (true) {
      try {
        return store.resume(jobId, request);
      } catch (LeaseHeldException e) {
        if (e.expired()) {
          if (request.takeover()) {
            throw e;
          }
          request = lease.withTakeover(); // the run is gone; no sweeper has marked it yet
          continue;
        }
        if (waitedUntil != null && e.expiresAt().isAfter(waitedUntil)) {
          throw new Main.CommandFailedException("Job " + jobId + " is being run by " + e.owner()
              + ", which renewed its lease until " + e.expiresAt() + "; let that run finish or stop it first.");
        }
        say.accept("Waiting for the lease of " + e.owner() + " to expire at " + e.expiresAt() + " ...");
        Duration left = Duration.between(store.clock().instant(), e.expiresAt()).plus(MARGIN);
        Thread.sleep(Math.max(MARGIN.toMillis(), left.toMillis()));
        waitedUntil = e.expiresAt();
        request = lease.withTakeover();
      }
    }
  }
}

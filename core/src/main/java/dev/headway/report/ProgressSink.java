package dev.headway.report;

import static java.util.Objects.requireNonNull;

import dev.headway.Lease;
import dev.headway.LeaseLostException;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.store.ProgressStore;
import java.time.Duration;

/**
 * Where a {@link ProgressReporter} sends its updates: a {@link ProgressStore} in this process
 * ({@link #of}), or anything else that can deliver an update, such as an HTTP client posting to
 * a Headway endpoint in another process.
 *
 * <p>Implementations throw on any failure to deliver; the reporter then sends the very same
 * update again (same reporter and seq), so a delivery that did land before the failure is
 * recognised as a duplicate and never counted twice.
 */
public interface ProgressSink {
  /**
   * Delivers one update.
   *
   * @return what the store did with it; STALE means the job has moved on to another attempt
   * @throws dev.headway.InvalidUpdateException when the update was refused as invalid (sending it
   *     again cannot help)
   * @throws RuntimeException on any failure to deliver (worth a retry)
   */
  Outcome send(ProgressUpdate update);

  /**
   * Renews {@code owner}'s lease on a job: the reporter's heartbeat. Sinks without leases return
   * null and the reporter sends no heartbeats.
   *
   * @throws LeaseLostException when the owner no longer holds the job
   */
  default Lease renew(String jobId, String owner, Duration ttl) {
    return null;
  }

  /** A sink that applies updates to {@code store} directly. */
  static ProgressSink of(ProgressStore store) {
    requireNonNull(store, "store");
    return new ProgressSink() {
      @Override
      public Outcome send(ProgressUpdate update) {
        return store.apply(update).outcome();
      }

      @Override
      public Lease renew(String jobId, String owner, Duration ttl) {
        return store.renew(jobId, owner, ttl);
      }

      @Override
      public String toString() {
        return "ProgressSink.of(" + store + ")";
      }
    };
  }
}

package dev.headway.store;

import static java.util.Objects.requireNonNull;

import dev.headway.JobSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ProgressStore#interruptStale} now ({@link #sweepOnce()}) or every so often on a
 * daemon thread of its own ({@link #start()}), so jobs whose run died without a word become
 * INTERRUPTED, and resumable, without anyone fixing them by hand. Any number of sweepers, in any
 * number of processes, may run against one store: each job is interrupted once.
 *
 * <pre>{@code
 * try (StaleJobSweeper sweeper = StaleJobSweeper.every(store, Duration.ofSeconds(15)).start()) {
 *   ... serve ...
 * }
 * }</pre>
 */
public final class StaleJobSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StaleJobSweeper.class);

  private final ProgressStore store;
  private final Duration period;
  private final Duration unleasedSilence;
  private ScheduledExecutorService timer; // guarded by this

  private StaleJobSweeper(ProgressStore store, Duration period, Duration unleasedSilence) {
    this.store = requireNonNull(store, "store");
    this.period = requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period (" + period + ") must be positive");
    }
    if (unleasedSilence != null && (unleasedSilence.isNegative() || unleasedSilence.isZero())) {
      throw new IllegalArgumentException("unleasedSilence (" + unleasedSilence + ") must be positive");
    }
    this.unleasedSilence = unleasedSilence;
  }

  /** A sweeper of jobs whose lease expired, run every {@code period} once started. */
  public static StaleJobSweeper every(ProgressStore store, Duration period) {
    return new StaleJobSweeper(store, period, null);
  }

  /**
   * The same sweeper that also interrupts RUNNING jobs without a lease (reported by plain
   * updates, as over HTTP) after {@code silence} without a report.
   */
  public StaleJobSweeper withUnleasedSilence(Duration silence) {
    return new StaleJobSweeper(store, period, requireNonNull(silence, "silence"));
  }

  /** Sweeps once, now. */
  public List<JobSnapshot> sweepOnce() {
    List<JobSnapshot> swept = store.interruptStale(unleasedSilence);
    for (JobSnapshot s : swept) {
      log.info("job {} interrupted: its run stopped renewing its lease or reporting", s.jobId());
    }
    return swept;
  }

  /**
   * Starts sweeping every period on a daemon thread; a failed sweep is logged and the next one
   * runs on time.
   *
   * @throws IllegalStateException when already started
   */
  public synchronized StaleJobSweeper start() {
    if (timer != null) {
      throw new IllegalStateException("this sweeper is already started");
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "headway-sweeper");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        sweepOnce();
      } catch (RuntimeException e) {
        log.warn("stale-job sweep failed: {}", e.getMessage());
      }
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops sweeping; a sweep in progress finishes. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdown();
      timer = null;
    }
  }
}

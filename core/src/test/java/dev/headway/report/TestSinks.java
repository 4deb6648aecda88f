package dev.headway.report;

import dev.headway.JobSnapshot;
import dev.headway.Lease;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Sinks for reporter tests: counting, scripted failures, outages and crashes over a real store. */
final class TestSinks {
  private TestSinks() {}

  /** What a scripted sink does with one send. */
  enum Step {
    /** Delivers. */
    OK,
    /** Throws before the store sees the update: the delivery did not land. */
    FAIL_BEFORE,
    /** Applies the update, then throws: the delivery landed but the reporter cannot know. */
    FAIL_AFTER
  }

  /** Counts sends and keeps every update the store saw, in order. */
  static class Counting implements ProgressSink {
    final ProgressSink target;
    final AtomicInteger sends = new AtomicInteger();
    final List<ProgressUpdate> seen = new ArrayList<>(); // guarded by this

    Counting(ProgressStore store) {
      this.target = ProgressSink.of(store);
    }

    @Override
    public Outcome send(ProgressUpdate update) {
      sends.incrementAndGet();
      synchronized (this) {
        seen.add(update);
      }
      return target.send(update);
    }

    @Override
    public Lease renew(String jobId, String owner, Duration ttl) {
      return target.renew(jobId, owner, ttl);
    }

    synchronized List<ProgressUpdate> seen() {
      return List.copyOf(seen);
    }
  }

  /** Follows a script of steps, one per send; OK once the script runs out. */
  static final class Scripted extends Counting {
    private final List<Step> script;
    private int next; // guarded by this
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger landedFailures = new AtomicInteger();

    Scripted(ProgressStore store, List<Step> script) {
      super(store);
      this.script = List.copyOf(script);
    }

    @Override
    public Outcome send(ProgressUpdate update) {
      Step step;
      synchronized (this) {
        step = next < script.size() ? script.get(next++) : Step.OK;
      }
      switch (step) {
        case FAIL_BEFORE -> {
          sends.incrementAndGet();
          failures.incrementAndGet();
          throw new IllegalStateException("connection reset before the update was sent");
        }
        case FAIL_AFTER -> {
          super.send(update);
          failures.incrementAndGet();
          landedFailures.incrementAndGet();
          throw new IllegalStateException("connection reset before the answer arrived");
        }
        default -> {
          return super.send(update);
        }
      }
    }
  }

  /** Throws while {@link #down} is set, sends and renewals alike. */
  static final class Outage extends Counting {
    volatile boolean down;
    final AtomicInteger refused = new AtomicInteger();

    Outage(ProgressStore store) {
      super(store);
    }

    @Override
    public Outcome send(ProgressUpdate update) {
      if (down) {
        refused.incrementAndGet();
        throw new IllegalStateException("store unreachable");
      }
      return super.send(update);
    }

    @Override
    public Lease renew(String jobId, String owner, Duration ttl) {
      if (down) {
        throw new IllegalStateException("store unreachable");
      }
      return super.renew(jobId, owner, ttl);
    }
  }

  /**
   * Delivers until {@code crashAfter} sends have landed, then throws forever (the worker's
   * process died, as far as the store can tell); with {@code landLast}, the first failing send
   * still lands.
   */
  static final class Crash extends Counting {
    private final int crashAfter;
    private final boolean landLast;
    private int landed; // guarded by this
    volatile boolean crashed;

    Crash(ProgressStore store, int crashAfter, boolean landLast) {
      super(store);
      this.crashAfter = crashAfter;
      this.landLast = landLast;
    }

    @Override
    public Outcome send(ProgressUpdate update) {
      synchronized (this) {
        if (landed >= crashAfter) {
          if (!crashed && landLast) {
            crashed = true;
            super.send(update);
          }
          crashed = true;
          throw new IllegalStateException("crashed");
        }
        landed++;
      }
      return super.send(update);
    }

    @Override
    public Lease renew(String jobId, String owner, Duration ttl) {
      if (crashed) {
        throw new IllegalStateException("crashed");
      }
      return super.renew(jobId, owner, ttl);
    }
  }

  /** A number from the job's document, 0 when absent. */
  static long number(JobSnapshot job, String path) {
    Object v = job.field(path);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** Waits for a condition set by the reporter's thread; fails after 20 s. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}

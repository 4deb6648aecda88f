package dev.headway.report;

import static dev.headway.report.ProgressReporter.MAX_EVENTS_PER_UPDATE;
import static dev.headway.report.ProgressReporter.TRIES_PER_ROUND;

import dev.headway.InvalidUpdateException;
import dev.headway.Lease;
import dev.headway.LeaseLostException;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reporter's background thread ({@code headway-reporter-<jobId>}): decides when an update is
 * due, has {@link PendingProgress} build it, sends it through the sink, retries it unchanged with
 * backoff and jitter until it is settled, logs outages, and renews the lease.
 *
 * <p><b>Threads.</b> The in-flight update and the flush tickets are guarded by the reporter's
 * lock, the same that guards {@link PendingProgress}; the thread holds it only to pick or settle
 * an update, never while sending. Retry, timing and heartbeat state is the thread's own. The
 * hot path reaches it only through {@link #itemsCounted}: a volatile flag, and an unpark when the
 * thread waits for items.
 *
 * <p><b>Flush tickets.</b> {@link #requestFlush} hands out increasing tickets; {@code flushDone}
 * is the highest ticket whose reports are all settled (delivered, or refused as invalid). An
 * update completes the tickets requested before it was built, unless it left something reported
 * before it for a later update (a backlog, or counts after a checkpoint's capture); then a later
 * one will.
 */
final class Flusher {
  // The reporter's logger: users configure one logger for everything a reporter says.
  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  private final ProgressReporter reporter;
  private final ReentrantLock lock; // the reporter's
  private final Condition progressed; // an update was settled, or the thread stopped
  private final PendingProgress pending; // guarded by lock
  private final ProgressSink sink;
  private final String jobId;
  private final String reporterId;
  private final int flushItems;
  private final long flushIntervalNanos;
  private final int eventsDue; // buffered events and errors that make an update due at once
  private final Duration leaseTtl; // null: no heartbeat
  private final long beatNanos;
  private final long retryInitialNanos;
  private final long retryMaxNanos;
  private final Thread thread;

  private volatile boolean needWake = true; // the thread waits for items; the hot path may unpark it

  // ---- guarded by lock ----
  private ProgressUpdate inflight;
  private long inflightCovers; // flush ticket the in-flight update completes
  private long flushRequested;
  private long flushDone;

  // ---- read anywhere, written by the thread (stopped: by close) ----
  private volatile long writes;
  private volatile long failedSends;
  private volatile boolean stale;
  private volatile boolean leaseLost;
  private volatile boolean stopped;
  private volatile boolean dead;

  // ---- the thread's own ----
  private int tries;
  private long retryAt;
  private long lastBuildAt;
  private long dueAt;
  private long nextBeatAt;
  private boolean finalBuilt; // the final status is on its way: no more heartbeats
  private boolean outageLogged;
  private boolean beatFailing;

  Flusher(ProgressReporter.Builder b, String reporterId, ProgressReporter reporter, ReentrantLock lock,
      PendingProgress pending) {
    this.reporter = reporter;
    this.lock = lock;
    this.progressed = lock.newCondition();
    this.pending = pending;
    this.sink = b.sink;
    this.jobId = b.jobId;
    this.reporterId = reporterId;
    this.flushItems = b.flushItems;
    this.flushIntervalNanos = b.flushInterval.toNanos();
    this.eventsDue = Math.min(MAX_EVENTS_PER_UPDATE, Math.max(1, b.maxBufferedEvents / 2));
    this.leaseTtl = b.leaseTtl;
    this.beatNanos = leaseTtl == null ? 0 : leaseTtl.toNanos() / 3;
    this.retryInitialNanos = b.retryInitial.toNanos();
    this.retryMaxNanos = b.retryMax.toNanos();
    this.thread = new Thread(this::run, "headway-reporter-" + b.jobId);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  // ---------------------------------------------------------------- other threads' side

  /** Hot path: a stripe crossed its quantum. Wakes the thread if it waits for items; allocates nothing. */
  void itemsCounted() {
    if (needWake) {
      needWake = false;
      LockSupport.unpark(thread);
    }
  }

  /** Makes the thread look at once (a final status was set). */
  void wake() {
    LockSupport.unpark(thread);
  }

  /** Asks for everything reported so far to be sent at once; the ticket to {@link #awaitDelivery}. */
  long requestFlush() {
    long ticket;
    lock.lock();
    try {
      ticket = ++flushRequested;
    } finally {
      lock.unlock();
    }
    LockSupport.unpark(thread);
    return ticket;
  }

  /**
   * Waits until every report of {@code ticket} is settled; false when {@code nanos} passed first,
   * the reporter was superseded, or the thread died.
   */
  boolean awaitDelivery(long ticket, long nanos) {
    lock.lock();
    try {
      while (flushDone < ticket) {
        if (isSuperseded() || dead || nanos <= 0) {
          return false;
        }
        nanos = progressed.awaitNanos(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the thread and the heartbeat; whatever is undelivered stays so. */
  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  boolean isStopped() {
    return stopped;
  }

  boolean isSuperseded() {
    return stale || leaseLost;
  }

  boolean isLeaseLost() {
    return leaseLost;
  }

  long writes() {
    return writes;
  }

  long failedSends() {
    return failedSends;
  }

  // ---------------------------------------------------------------- the thread

  private void run() {
    try {
      long now = System.nanoTime();
      lastBuildAt = now;
      retryAt = now;
      nextBeatAt = leaseTtl == null ? Long.MAX_VALUE : now + beatNanos;
      while (!stopped && !isSuperseded()) {
        now = System.nanoTime();
        if (beating() && now - nextBeatAt >= 0) {
          beat(now);
          continue;
        }
        if (now - retryAt >= 0) {
          ProgressUpdate u = nextUpdate(now);
          if (u != null) {
            deliver(u);
            continue;
          }
        }
        long wake = now - retryAt < 0 ? retryAt : dueAt;
        if (beating() && nextBeatAt - wake < 0) {
          wake = nextBeatAt;
        }
        long nanos = wake - now;
        if (nanos > 0) {
          LockSupport.parkNanos(reporter, nanos);
        }
      }
    } catch (Throwable t) {
      // A bug (or an Error): say so loudly once; workers are unaffected, waiters are released.
      log.error("progress reporter for job {} stopped sending", jobId, t);
      dead = true;
    } finally {
      lock.lock();
      try {
        progressed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  // Renewals stop once the final status is built: the store releases the lease when the job finishes.
  private boolean beating() {
    return nextBeatAt != Long.MAX_VALUE && !finalBuilt;
  }

  // The update to send now (the one in flight, or a new one when one is due), or null; then
  // dueAt says when to look again.
  private ProgressUpdate nextUpdate(long now) {
    lock.lock();
    try {
      if (inflight != null) {
        return inflight;
      }
      long items = pending.unsentItems();
      boolean flushWanted = flushRequested > flushDone;
      if (items == 0 && !pending.hasUnsentReports()) {
        if (flushWanted) {
          flushDone = flushRequested;
          progressed.signalAll();
        }
        dueAt = now + flushIntervalNanos;
        needWake = true;
        return null;
      }
      boolean due = flushWanted || pending.finalStatusPending() || pending.hasBacklog() || items >= flushItems
          || now - lastBuildAt >= flushIntervalNanos || pending.bufferedEntries() >= eventsDue;
      if (!due) {
        dueAt = lastBuildAt + flushIntervalNanos;
        needWake = true;
        return null;
      }
      lastBuildAt = now;
      inflight = pending.build();
      inflightCovers = pending.lastBuildWasPartial() ? flushDone : flushRequested;
      if (inflight.status() != null) {
        finalBuilt = true;
      }
      return inflight;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(ProgressUpdate u) {
    Outcome outcome;
    try {
      outcome = sink.send(u);
    } catch (InvalidUpdateException e) {
      log.warn("progress update {} of job {} was refused and is dropped: {}", u.seq(), jobId, e.getMessage());
      done(u, false, true); // as good as it gets: a flush waiting for it is released
      return;
    } catch (RuntimeException e) {
      failed(e);
      return;
    }
    if (outcome == Outcome.STALE) {
      log.warn("job {} answered STALE to update {} of attempt {}: another run owns the job, so this "
          + "reporter stops sending", jobId, u.seq(), u.attempt());
      stale = true;
      reporter.stopAccepting();
      done(u, false, false); // a flush waiting for it fails: it was not delivered and never will be
      return;
    }
    done(u, true, true);
  }

  private void done(ProgressUpdate u, boolean delivered, boolean settled) {
    tries = 0;
    retryAt = System.nanoTime();
    if (delivered && outageLogged) {
      log.info("progress reports for job {} are delivered again", jobId);
      outageLogged = false;
    }
    lock.lock();
    try {
      if (inflight == u) {
        inflight = null;
        if (delivered) {
          writes++;
        }
        if (settled) {
          flushDone = Math.max(flushDone, inflightCovers);
        }
      }
      progressed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // The same update goes again later: the failed delivery may have landed, and only its seq lets
  // the store recognise it.
  private void failed(RuntimeException e) {
    failedSends++;
    tries++;
    long now = System.nanoTime();
    long delay;
    if (tries % TRIES_PER_ROUND == 0) {
      if (!outageLogged) {
        outageLogged = true;
        log.warn("progress reports for job {} could not be delivered in {} tries ({}); they are kept "
            + "and retried every {} ms or so", jobId, tries, e.toString(), TimeUnit.NANOSECONDS.toMillis(retryMaxNanos));
      }
      delay = retryMaxNanos;
    } else {
      int shift = Math.min((tries - 1) % TRIES_PER_ROUND, 30);
      delay = Math.min(retryMaxNanos, retryInitialNanos << shift);
    }
    log.debug("sending progress of job {} failed (try {}): {}", jobId, tries, e.toString());
    // Full jitter over the upper half: retries of many reporters do not arrive together.
    retryAt = now + delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
  }

  private void beat(long now) {
    nextBeatAt = now + beatNanos;
    try {
      Lease lease = sink.renew(jobId, reporterId, leaseTtl);
      if (lease == null) {
        nextBeatAt = Long.MAX_VALUE; // a sink without leases
      }
      if (beatFailing) {
        log.info("lease renewals for job {} succeed again", jobId);
        beatFailing = false;
      }
    } catch (LeaseLostException e) {
      log.warn("progress reporter for job {} lost its lease ({}); it stops sending", jobId, e.getMessage());
      leaseLost = true;
      reporter.stopAccepting();
      lock.lock();
      try {
        progressed.signalAll(); // flush and close stop waiting
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      if (!beatFailing) {
        beatFailing = true;
        log.warn("lease renewal for job {} failed ({}); retrying at the next beat", jobId, e.toString());
      }
    }
  }
}

package dev.headway.jdbc;

import dev.headway.ApplyResult;
import dev.headway.ProgressUpdate;
import java.util.concurrent.locks.LockSupport;

/**
 * One caller's update waiting in a stripe's queue for a group commit, and its answer. The answer
 * is written under the stripe's lock before the volatile {@code done}, so the waiting caller, which
 * reads {@code done} without the lock, sees it.
 */
final class PendingApply {
  private final ProgressUpdate update;
  private final Thread owner;
  private ApplyResult result;
  private RuntimeException failure;
  private volatile boolean done;

  PendingApply(ProgressUpdate update, Thread owner) {
    this.update = update;
    this.owner = owner;
  }

  ProgressUpdate update() {
    return update;
  }

  boolean isDone() {
    return done;
  }

  void succeed(ApplyResult r) {
    if (!done) {
      result = r;
      done = true;
      wake();
    }
  }

  void fail(RuntimeException e) {
    if (!done) {
      failure = e;
      done = true;
      wake();
    }
  }

  /** Unparks the caller waiting for this update. */
  void wake() {
    LockSupport.unpark(owner);
  }

  /** The answer; throws what applying the update threw. */
  ApplyResult result() {
    if (failure != null) {
      throw failure;
    }
    return result;
  }
}

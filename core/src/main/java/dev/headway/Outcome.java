package dev.headway;

/** What a store did with an update. */
public enum Outcome {
  /** The update was merged into the job. */
  APPLIED,
  /** The update had been applied before (same updateId, or same reporter and seq); nothing changed. */
  DUPLICATE,
  /**
   * The update's seq is older than its reporter's dedupe window, so the store can no longer tell
   * whether it was applied; it was refused and nothing changed.
   */
  STALE
}

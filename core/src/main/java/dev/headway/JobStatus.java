package dev.headway;

import java.util.Locale;
import java.util.Map;

/**
 * The lifecycle of a job.
 *
 * <pre>
 * QUEUED -> RUNNING <-> PAUSED
 * RUNNING -> COMPLETED | FAILED | CANCELLED | SKIPPED | INTERRUPTED
 * INTERRUPTED, FAILED -> RUNNING only through an explicit resume (attempt + 1)
 * </pre>
 *
 * Terminal statuses are sticky: a late report never reopens a job.
 */
public enum JobStatus {
  QUEUED,
  RUNNING,
  PAUSED,
  COMPLETED,
  FAILED,
  CANCELLED,
  SKIPPED,
  INTERRUPTED;

  // The words the seeds' systems use for these states, all accepted case-insensitively.
  private static final Map<String, JobStatus> WORDS = Map.ofEntries(
      Map.entry("pending", QUEUED),
      Map.entry("queued", QUEUED),
      Map.entry("started", RUNNING),
      Map.entry("processing", RUNNING),
      Map.entry("in_progress", RUNNING),
      Map.entry("running", RUNNING),
      Map.entry("paused", PAUSED),
      Map.entry("completed", COMPLETED),
      Map.entry("failed", FAILED),
      Map.entry("cancelled", CANCELLED),
      Map.entry("skipped", SKIPPED),
      Map.entry("interrupted", INTERRUPTED));

  /**
   * Maps a status word from a report onto a status, ignoring case.
   *
   * @throws InvalidUpdateException naming {@code status} for any other word
   */
  public static JobStatus parse(String word) {
    JobStatus status = word == null ? null : WORDS.get(word.trim().toLowerCase(Locale.ROOT));
    if (status == null) {
      throw new InvalidUpdateException("status", word,
          "is not a known status (pending, queued, started, processing, in_progress, running, "
              + "paused, completed, failed, cancelled, skipped, interrupted)");
    }
    return status;
  }

  /** True for statuses a job never leaves on its own. */
  public boolean isTerminal() {
    return switch (this) {
      case COMPLETED, FAILED, CANCELLED, SKIPPED, INTERRUPTED -> true;
      default -> false;
    };
  }

  /** True for terminal statuses an explicit resume may reopen. */
  public boolean isResumable() {
    return this == INTERRUPTED || this == FAILED || this == PAUSED;
  }

  /**
   * Whether a report may move a job from this status to {@code next}. A report may skip
   * RUNNING (a tiny job that reports only "completed"); nothing leaves a terminal status.
   */
  public boolean canMoveTo(JobStatus next) {
    if (next == this) {
      return true;
    }
    return switch (this) {
      case QUEUED -> true;
      case RUNNING -> next != QUEUED;
      case PAUSED -> next != QUEUED;
      default -> false;
    };
  }

  /** The status in lower case, as the seeds' payloads spell it. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}

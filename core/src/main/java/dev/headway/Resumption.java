package dev.headway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What a resumed run needs to carry on exactly where the last one stopped.
 *
 * <p>The job's counters (every field merged by SUM, MAX or MIN) were rolled back to their values
 * at the checkpoint, or removed when there was none: the run starts again right after the
 * checkpoint's cursor and reports those items again, so each is counted once.
 *
 * @param job the job, now RUNNING
 * @param checkpoint the last checkpoint, or null: start from the beginning
 * @param pendingChildren for a batch, its children that still have work (not COMPLETED or
 *     SKIPPED), oldest first; each is resumed or started on its own
 */
public record Resumption(JobSnapshot job, Checkpoint checkpoint, List<JobSnapshot> pendingChildren) {
  public Resumption {
    requireNonNull(job, "job");
    pendingChildren = List.copyOf(pendingChildren);
  }

  /** The cursor to resume after, or null to start from the beginning. */
  public Object cursor() {
    return checkpoint == null ? null : checkpoint.cursor();
  }

  /** The progress document the run resumes from: the counters at the checkpoint. */
  public Map<String, Object> progress() {
    return job.progress();
  }

  /** The attempt number of the resumed run. */
  public int attempt() {
    return job.attempt();
  }
}

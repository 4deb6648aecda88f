package dev.headway.merge;

import static java.util.Objects.requireNonNull;

import dev.headway.JobSnapshot;
import java.util.Map;

/**
 * Everything a store keeps for one job: the public snapshot plus the idempotency state that
 * guards it. Stores write all three together, atomically. Immutable.
 *
 * @param stamps the last writer of each LAST field, by dotted path ({@code (status)} for status)
 */
public record JobState(JobSnapshot snapshot, DedupeState dedupe, Map<String, FieldStamp> stamps) {
  /** Key of the status in {@link #stamps()}. */
  public static final String STATUS_STAMP = "(status)";
  /** Key of the checkpoint in {@link #stamps()}. */
  public static final String CHECKPOINT_STAMP = "(checkpoint)";

  public JobState {
    requireNonNull(snapshot, "snapshot");
    requireNonNull(dedupe, "dedupe");
    stamps = Map.copyOf(stamps);
  }

  public String jobId() {
    return snapshot.jobId();
  }
}

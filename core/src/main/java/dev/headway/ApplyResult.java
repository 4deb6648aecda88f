package dev.headway;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The answer to one applied update: the job as it now is, what happened to the update, and the
 * timeline events the update produced (empty unless {@link Outcome#APPLIED}).
 */
public record ApplyResult(JobSnapshot snapshot, Outcome outcome, List<TimelineEvent> newEvents) {
  public ApplyResult {
    requireNonNull(snapshot, "snapshot");
    requireNonNull(outcome, "outcome");
    newEvents = List.copyOf(newEvents);
  }

  /** True when the update changed the job. */
  public boolean applied() {
    return outcome == Outcome.APPLIED;
  }

  /** True when the update was recognised as already applied. */
  public boolean duplicate() {
    return outcome == Outcome.DUPLICATE;
  }
}

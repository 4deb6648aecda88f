package dev.headway.merge;

import static java.util.Objects.requireNonNull;

import dev.headway.ApplyResult;

/**
 * One step of the engine: the job's state after an update or command, and the answer for the
 * caller. When nothing changed, {@link #state()} is the very state passed in.
 */
public record Step(JobState state, ApplyResult result) {
  public Step {
    requireNonNull(state, "state");
    requireNonNull(result, "result");
  }

  /** True when the state changed and must be written. */
  public boolean changed() {
    return result.applied();
  }
}

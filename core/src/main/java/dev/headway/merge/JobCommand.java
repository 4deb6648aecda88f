package dev.headway.merge;

import dev.headway.store.ProgressStore;
import java.time.Instant;

/**
 * One engine operation on one job, run by {@link ProgressStore#execute} inside the store's atomic
 * section for that job. Commands are pure: all they read is their arguments, all they change is
 * the {@link Step} they return, so a store may run one again after a lost race.
 */
@FunctionalInterface
public interface JobCommand {
  /**
   * @param engine the store's engine (its policy)
   * @param current the job's state, or null when the store has no such job
   * @param now the store's time
   */
  Step run(ProgressEngine engine, JobState current, Instant now);
}

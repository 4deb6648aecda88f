package dev.headway.store;

import dev.headway.ApplyResult;
import dev.headway.IllegalTransitionException;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.NoSuchJobException;
import dev.headway.ProgressUpdate;
import dev.headway.merge.MergePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where merged progress lives. Implementations are thread-safe and linearizable per job:
 * concurrent updates to one job act as if applied one at a time, in some order, each exactly once
 * when it carries an updateId or reporter+seq; different jobs do not block each other.
 *
 * <p>Every implementation runs {@link dev.headway.merge.ProgressEngine} inside its own atomic
 * section and passes the contract test suite shipped in core's test-jar.
 */
public interface ProgressStore extends AutoCloseable {

  /**
   * Applies one update.
   *
   * @return the job after the update, and whether it was applied, a duplicate or stale
   * @throws InvalidUpdateException when the update cannot be applied; nothing is changed
   */
  ApplyResult apply(ProgressUpdate update);

  /**
   * Applies updates in order as one step: either all are applied (or recognised as duplicates)
   * or, when one is rejected, none is. The exception names the rejected update's index, as in
   * {@code [3].itemsByType.issues}.
   *
   * @return one result per update, in order
   * @throws InvalidUpdateException when any update cannot be applied; nothing is changed
   */
  List<ApplyResult> applyAll(List<ProgressUpdate> updates);

  /** The job, or empty when there is none. */
  Optional<JobSnapshot> find(String jobId);

  /**
   * The job.
   *
   * @throws NoSuchJobException when there is none
   */
  default JobSnapshot get(String jobId) {
    return find(jobId).orElseThrow(() -> new NoSuchJobException(jobId));
  }

  /** Jobs matching the query, in its order, at most its limit. */
  List<JobSnapshot> query(JobQuery query);

  /** A batch's children, oldest first (at most {@link JobQuery#MAX_LIMIT}). */
  default List<JobSnapshot> children(String parentId) {
    return query(JobQuery.all().withParentId(parentId).withOrder(JobQuery.Order.CREATED_ASC)
        .withLimit(JobQuery.MAX_LIMIT));
  }

  /**
   * Resumes an INTERRUPTED or FAILED job as a new attempt, or a PAUSED one.
   *
   * @throws NoSuchJobException when there is no such job
   * @throws IllegalTransitionException from any other status
   */
  JobSnapshot resume(String jobId);

  /**
   * Moves a job to a status by an explicit command, with a reason recorded on its timeline.
   *
   * @throws NoSuchJobException when there is no such job
   * @throws IllegalTransitionException when the status machine does not allow it
   */
  JobSnapshot transition(String jobId, JobStatus to, String reason);

  /**
   * Deletes jobs in a terminal status that finished before {@code cutoff}, with all their
   * descendants.
   *
   * @return how many jobs were deleted
   */
  int purgeFinishedBefore(Instant cutoff);

  /** Deletes finished jobs older than {@code age} by the store's clock; see {@link #purgeFinishedBefore}. */
  default int purgeFinishedOlderThan(Duration age) {
    return purgeFinishedBefore(clock().instant().minus(age));
  }

  /** Registers a listener; close the returned handle to remove it. */
  AutoCloseable addListener(StoreListener listener);

  /** The policy updates are merged by. */
  MergePolicy policy();

  /** The clock this store stamps changes with. */
  Clock clock();

  @Override
  default void close() {}

  /** An in-memory store with the default policy and the system clock. */
  static ProgressStore inMemory() {
    return new InMemoryProgressStore(MergePolicy.defaults(), Clock.systemUTC());
  }

  /** An in-memory store with the given policy and clock. */
  static ProgressStore inMemory(MergePolicy policy, Clock clock) {
    return new InMemoryProgressStore(policy, clock);
  }
}

package dev.headway.store;

import static java.util.Objects.requireNonNull;

import dev.headway.ApplyResult;
import dev.headway.HeadwayException;
import dev.headway.IllegalTransitionException;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.Lease;
import dev.headway.LeaseHeldException;
import dev.headway.LeaseLostException;
import dev.headway.LeaseRequest;
import dev.headway.NoSuchJobException;
import dev.headway.ProgressUpdate;
import dev.headway.Resumption;
import dev.headway.internal.Ids;
import dev.headway.merge.JobCommand;
import dev.headway.merge.MergePolicy;
import dev.headway.merge.ProgressEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
   * Runs an engine command on one job atomically, as {@link #apply} runs an update: the SPI
   * primitive behind {@link #start}, {@link #resume}, {@link #renew}, {@link #transition} and
   * {@link #interruptStale}, so every store gets the same semantics from the engine.
   *
   * @return the command's answer; listeners hear of it when it changed the job
   * @throws HeadwayException whatever the command throws; nothing is changed
   */
  ApplyResult execute(String jobId, JobCommand command);

  /**
   * Starts a job under a lease: applies {@code first} (as RUNNING when it names no status) and
   * gives the job to {@code lease.owner()}, in one step. Starting again with the same owner
   * renews the lease.
   *
   * @throws LeaseHeldException when another owner holds the running job
   * @throws IllegalTransitionException when the job is finished, or interrupted/failed/paused
   *     (those are resumed, not started)
   * @throws InvalidUpdateException when {@code first} cannot be applied
   */
  default JobSnapshot start(ProgressUpdate first, LeaseRequest lease) {
    requireNonNull(first, "first");
    requireNonNull(lease, "lease");
    return execute(first.jobId(), (engine, state, now) -> engine.start(state, first, lease, now)).snapshot();
  }

  /** Resumes a job without taking a lease; see {@link #resume(String, LeaseRequest)}. */
  default Resumption resume(String jobId) {
    return resume(jobId, null);
  }

  /**
   * Resumes an INTERRUPTED or FAILED job as a new attempt (attempt + 1), or a PAUSED one, and
   * returns where to carry on: the last checkpoint, the counters at that point (the job's counters
   * are rolled back to them, see {@link Resumption}) and, for a batch, the children that still
   * have work. With a lease, the job is given to its owner; with takeover, a RUNNING job whose
   * lease expired is interrupted and resumed in one step.
   *
   * @param lease the lease to take, or null for none
   * @throws NoSuchJobException when there is no such job
   * @throws LeaseHeldException when another owner holds the job (live, or expired without takeover)
   * @throws IllegalTransitionException from COMPLETED, CANCELLED, SKIPPED, or a RUNNING job
   *     without a lease to take over
   */
  default Resumption resume(String jobId, LeaseRequest lease) {
    Ids.check("jobId", jobId);
    JobSnapshot job = execute(jobId, (engine, state, now) -> engine.resume(state, jobId, lease, now)).snapshot();
    List<JobSnapshot> pending = new ArrayList<>();
    for (JobSnapshot child : children(jobId)) {
      if (child.status() != JobStatus.COMPLETED && child.status() != JobStatus.SKIPPED) {
        pending.add(child);
      }
    }
    return new Resumption(job, job.checkpoint(), pending);
  }

  /**
   * Renews {@code owner}'s lease on a job for another {@code ttl}, by the store's clock: the
   * reporter's heartbeat.
   *
   * @return the renewed lease
   * @throws LeaseLostException when {@code owner} no longer holds the job, or it no longer exists
   */
  default Lease renew(String jobId, String owner, Duration ttl) {
    Ids.check("jobId", jobId);
    LeaseRequest request = LeaseRequest.of(owner, ttl);
    return execute(jobId, (engine, state, now) -> engine.renew(state, jobId, request, now)).snapshot().lease();
  }

  /**
   * Moves a job to a status by an explicit command, with a reason recorded on its timeline.
   *
   * @throws NoSuchJobException when there is no such job
   * @throws IllegalTransitionException when the status machine does not allow it
   */
  default JobSnapshot transition(String jobId, JobStatus to, String reason) {
    Ids.check("jobId", jobId);
    requireNonNull(to, "to");
    return execute(jobId, (engine, state, now) -> engine.transition(state, jobId, to, reason, now)).snapshot();
  }

  /**
   * The stale-job sweep: marks INTERRUPTED every RUNNING job whose lease expired by the store's
   * clock and, when {@code unleasedSilence} is given, every RUNNING job without a lease that has
   * not been heard from for that long; each gets a timeline event saying why. Safe to run from
   * several processes at once: each job is re-checked under its lock, so it is interrupted once.
   * One call looks at the {@link JobQuery#MAX_LIMIT} least recently updated running jobs.
   *
   * @param unleasedSilence how long a job without a lease may be silent, or null to leave such
   *     jobs alone
   * @return the jobs this call interrupted
   */
  default List<JobSnapshot> interruptStale(Duration unleasedSilence) {
    List<JobSnapshot> out = new ArrayList<>();
    for (String jobId : staleCandidates(clock().instant(), unleasedSilence)) {
      try {
        ApplyResult r = execute(jobId,
            (engine, state, at) -> engine.interruptIfStale(state, jobId, unleasedSilence, at));
        if (r.applied()) {
          out.add(r.snapshot());
        }
      } catch (NoSuchJobException purged) {
        // purged since the query: nothing to sweep
      }
    }
    return out;
  }

  /**
   * The jobs a sweep at {@code now} would interrupt, as {@link ProgressEngine#isStale} judges
   * them, among the {@link JobQuery#MAX_LIMIT} least recently updated RUNNING jobs, in that order.
   * {@link #interruptStale} checks each again under its lock, so a store may judge them from a
   * cheaper read than whole snapshots (the JDBC store reads no timeline).
   */
  default List<String> staleCandidates(Instant now, Duration unleasedSilence) {
    List<String> out = new ArrayList<>();
    for (JobSnapshot s : query(JobQuery.all().withStatus(JobStatus.RUNNING)
        .withOrder(JobQuery.Order.UPDATED_ASC).withLimit(JobQuery.MAX_LIMIT))) {
      if (ProgressEngine.isStale(s, now, unleasedSilence)) {
        out.add(s.jobId());
      }
    }
    return out;
  }

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

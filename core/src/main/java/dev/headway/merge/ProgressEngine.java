package dev.headway.merge;

import static java.util.Objects.requireNonNull;

import dev.headway.ApplyResult;
import dev.headway.Checkpoint;
import dev.headway.Lease;
import dev.headway.LeaseHeldException;
import dev.headway.LeaseLostException;
import dev.headway.LeaseRequest;
import dev.headway.IllegalTransitionException;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.NoSuchJobException;
import dev.headway.Outcome;
import dev.headway.ProgressSample;
import dev.headway.ProgressUpdate;
import dev.headway.ReportedEvent;
import dev.headway.Timeline;
import dev.headway.TimelineEvent;
import dev.headway.internal.FrozenMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validates, deduplicates and merges: the one pure function every store calls inside its own
 * atomic section, so the in-memory and JDBC stores cannot disagree. No I/O, no clock reads, no
 * locks: time comes in as an argument. Thread-safe (it holds only the immutable policy).
 *
 * <p>Order of one update: dedupe first (a retried update must never reach SUM, or
 * {@code itemsByType.*} would count the same items twice), then checks against the job, then the
 * document merge, status machine, errors and timeline. Any rejection throws
 * {@link InvalidUpdateException} before anything is returned, so nothing is half-applied.
 */
public final class ProgressEngine {
  /** Rate samples kept per job. */
  static final int SAMPLES = 12;
  /** Samples closer together than this are coalesced, so a burst of updates spans real time. */
  static final Duration SAMPLE_SPACING = Duration.ofSeconds(5);

  private final MergePolicy policy;

  public ProgressEngine(MergePolicy policy) {
    this.policy = requireNonNull(policy, "policy");
  }

  public MergePolicy policy() {
    return policy;
  }

  /**
   * Applies one update to a job's state.
   *
   * @param current the job's state, or null when the store has no such job yet
   * @param update the update
   * @param now the store's time
   * @return the new state and the answer; a DUPLICATE or STALE step returns {@code current}
   * @throws InvalidUpdateException when the update cannot be applied; nothing is changed
   */
  public Step apply(JobState current, ProgressUpdate update, Instant now) {
    requireNonNull(update, "update");
    requireNonNull(now, "now");
    if (current != null) {
      Outcome seen = dedupe(current.dedupe(), update);
      if (seen != Outcome.APPLIED) {
        return new Step(current, new ApplyResult(current.snapshot(), seen, List.of()));
      }
      // Fencing: a run that was taken over (or swept and resumed) must not count into the next.
      if (update.attempt() != null && update.attempt() != current.snapshot().attempt()) {
        return new Step(current, new ApplyResult(current.snapshot(), Outcome.STALE, List.of()));
      }
    }
    JobSnapshot old = current == null ? null : current.snapshot();
    JobState base = current != null ? current : newJob(update.jobId(), now);
    JobSnapshot before = base.snapshot();
    checkIdentity(old, update);

    DocumentMerger merger = new DocumentMerger(policy, update.reporter(), update.seq(), base.stamps());
    FrozenMap doc = merger.merge(before.progress(), update.fields());
    Map<String, FieldStamp> stamps = merger.stamps();

    JobSnapshot.Builder next = before.toBuilder()
        .progress(doc)
        .version(current == null ? 1 : before.version() + 1)
        .updatedAt(later(before.updatedAt(), now))
        .heartbeatAt(now);
    if (before.type() == null && update.type() != null) {
      next.type(update.type());
    }
    if (before.parentId() == null && update.parentId() != null) {
      next.parentId(update.parentId());
    }

    if (update.checkpoint() != null && !(before.status().isTerminal() && !before.status().isResumable())) {
      stamps = applyCheckpoint(next, doc, update, stamps, now);
    }
    List<TimelineEvent> events = new ArrayList<>(2 + update.events().size());
    if (update.status() != null) {
      stamps = applyReportedStatus(before, next, update, stamps, now, events);
    }
    Object oldStage = before.progress().get("stage");
    Object newStage = doc.get("stage");
    if (update.fields().containsKey("stage") && !Objects.equals(oldStage, newStage)) {
      Map<String, Object> d = new LinkedHashMap<>();
      if (oldStage != null) d.put("from", oldStage);
      if (newStage != null) d.put("to", newStage);
      events.add(TimelineEvent.of(now, TimelineEvent.STAGE_CHANGE, d));
    }
    if (update.error() != null) {
      next.errors(before.errors().plus(now, update.error()));
      events.add(TimelineEvent.of(now, TimelineEvent.ERROR,
          Map.of("category", update.error().category(), "message", update.error().message())));
    }
    for (ReportedEvent e : update.events()) {
      Map<String, Object> details = e.details();
      if (e.at() != null) {
        details = new LinkedHashMap<>(details);
        details.put("reportedAt", e.at().toString());
      }
      events.add(TimelineEvent.of(now, e.type(), details));
    }
    next.timeline(before.timeline().append(events, policy.timelineCap()));
    // A finished job's speed is its overall rate; its samples would only cost memory.
    next.samples(next.status().isTerminal() ? List.of() : sampled(before, doc, now));

    JobSnapshot after = next.build();
    DedupeState dedupe = base.dedupe().record(update.updateId(), update.reporter(), update.seq(),
        after.version(), policy);
    return new Step(new JobState(after, dedupe, stamps), new ApplyResult(after, Outcome.APPLIED, events));
  }

  /**
   * Starts a job under a lease: applies {@code first} (as RUNNING when it names no status) and
   * gives the job to the lease's owner. Starting again with the same owner renews the lease.
   *
   * @throws LeaseHeldException when another owner holds the running job
   * @throws IllegalTransitionException when the job is finished or must be resumed instead
   */
  public Step start(JobState current, ProgressUpdate first, LeaseRequest lease, Instant now) {
    requireNonNull(first, "first");
    requireNonNull(lease, "lease");
    if (current != null) {
      JobSnapshot s = current.snapshot();
      Lease held = s.lease();
      boolean mine = held != null && held.owner().equals(lease.owner());
      if (!mine) {
        if (held != null) {
          throw new LeaseHeldException(s.jobId(), held.owner(), held.expiresAt(), !held.isLiveAt(now));
        }
        if (s.status() == JobStatus.RUNNING || s.status() == JobStatus.PAUSED) {
          throw new IllegalTransitionException(s.jobId(), s.status(), JobStatus.RUNNING,
              "it is already running without a lease; resume it with takeover to take it over");
        }
        if (s.status().isResumable()) {
          throw new IllegalTransitionException(s.jobId(), s.status(), JobStatus.RUNNING,
              "use resume, which starts a new attempt from the last checkpoint");
        }
        if (s.status().isTerminal()) {
          throw new IllegalTransitionException(s.jobId(), s.status(), JobStatus.RUNNING, s.status() + " is terminal");
        }
      }
    }
    Step step = apply(current, first.status() == null ? first.withStatus(JobStatus.RUNNING) : first, now);
    JobSnapshot after = step.state().snapshot();
    if (after.status().isTerminal()) {
      return step; // a job that finished in its first report holds no lease
    }
    JobSnapshot.Builder leased = after.toBuilder().lease(new Lease(lease.owner(), now.plus(lease.ttl())));
    if (!step.changed()) {
      // A retried start: its update was applied before, only the lease is new.
      leased.version(after.version() + 1).updatedAt(later(after.updatedAt(), now)).heartbeatAt(now);
    }
    JobSnapshot out = leased.build();
    JobState state = step.state();
    return new Step(new JobState(out, state.dedupe(), state.stamps()),
        new ApplyResult(out, Outcome.APPLIED, step.result().newEvents()));
  }

  /**
   * Resumes an INTERRUPTED or FAILED job (attempt + 1, counters rolled back to the last
   * checkpoint) or a PAUSED one (same attempt, nothing rolled back), optionally under a lease.
   * With takeover, a RUNNING job whose lease expired (or that holds none) is interrupted and
   * resumed in one step.
   *
   * @param lease the lease to take, or null
   * @throws NoSuchJobException when there is no such job
   * @throws LeaseHeldException when another owner holds the job
   * @throws IllegalTransitionException from any other status
   */
  public Step resume(JobState current, String jobId, LeaseRequest lease, Instant now) {
    if (current == null) {
      throw new NoSuchJobException(jobId);
    }
    JobSnapshot s = current.snapshot();
    Lease held = s.lease();
    boolean mine = held != null && lease != null && held.owner().equals(lease.owner());
    if (held != null && !mine && held.isLiveAt(now)) {
      throw new LeaseHeldException(s.jobId(), held.owner(), held.expiresAt(), false);
    }
    List<TimelineEvent> events = new ArrayList<>(4);
    JobSnapshot from = s;
    if (s.status() == JobStatus.RUNNING) {
      if (lease == null || !lease.takeover() || mine) {
        if (held != null && !mine) {
          throw new LeaseHeldException(s.jobId(), held.owner(), held.expiresAt(), true);
        }
        throw new IllegalTransitionException(s.jobId(), s.status(), JobStatus.RUNNING, mine
            ? "it is already running under this owner's lease"
            : "it is already running; resume with takeover to take over a run that stopped reporting");
      }
      // Takeover: the old run is interrupted first, so the timeline tells the whole story.
      String why = "taken over by " + lease.owner() + (held != null
          ? "; the lease of " + held.owner() + " expired at " + held.expiresAt() : "; it held no lease");
      events.add(statusChange(now, JobStatus.RUNNING, JobStatus.INTERRUPTED, why));
      from = s.toBuilder().status(JobStatus.INTERRUPTED).build();
    }
    if (!from.status().isResumable()) {
      throw new IllegalTransitionException(s.jobId(), s.status(), JobStatus.RUNNING,
          "only INTERRUPTED, FAILED or PAUSED jobs can be resumed");
    }
    boolean paused = from.status() == JobStatus.PAUSED;
    int attempt = paused ? s.attempt() : s.attempt() + 1;
    JobSnapshot.Builder next = s.toBuilder();
    if (!paused) {
      // The resumed run starts right after the checkpoint: counts reported since are undone.
      CounterRollback rollback = new CounterRollback(policy);
      Checkpoint cp = s.checkpoint();
      next.progress(rollback.rollback(s.progress(), cp == null ? null : cp.progress()));
      if (!rollback.changes().isEmpty()) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (cp != null) {
          d.put("checkpointAt", cp.at().toString());
        }
        d.put("counters", limited(rollback.changes(), 20));
        events.add(TimelineEvent.of(now, TimelineEvent.ROLLED_BACK, d));
      }
      next.samples(List.of()); // rates from before the rollback would be wrong
    }
    events.add(TimelineEvent.of(now, TimelineEvent.RESUMED, Map.of("from", from.status().name(), "attempt", attempt)));
    events.add(statusChange(now, from.status(), JobStatus.RUNNING, "resume"));
    next.status(JobStatus.RUNNING)
        .attempt(attempt)
        .finishedAt(null)
        .startedAt(s.startedAt() == null ? now : s.startedAt())
        .updatedAt(later(s.updatedAt(), now))
        .version(s.version() + 1)
        .lease(lease == null ? null : new Lease(lease.owner(), now.plus(lease.ttl())))
        .timeline(s.timeline().append(events, policy.timelineCap()));
    if (lease != null) {
      next.heartbeatAt(now);
    }
    JobSnapshot after = next.build();
    return new Step(withStatusStampCleared(current, after), new ApplyResult(after, Outcome.APPLIED, events));
  }

  /**
   * Renews the lease of {@code request.owner()} for another {@code request.ttl()} from now.
   *
   * @throws LeaseLostException when the owner no longer holds the job, or it is gone
   */
  public Step renew(JobState current, String jobId, LeaseRequest request, Instant now) {
    if (current == null) {
      throw new LeaseLostException(jobId, request.owner(), "there is no such job (was it purged?)");
    }
    JobSnapshot s = current.snapshot();
    Lease held = s.lease();
    if (held == null || !held.owner().equals(request.owner())) {
      throw new LeaseLostException(jobId, request.owner(), held != null ? "it is held by " + held.owner()
          : "it is " + s.status() + " and holds no lease");
    }
    JobSnapshot after = s.toBuilder()
        .lease(new Lease(held.owner(), now.plus(request.ttl())))
        .heartbeatAt(now)
        .updatedAt(later(s.updatedAt(), now))
        .version(s.version() + 1)
        .build();
    return new Step(new JobState(after, current.dedupe(), current.stamps()),
        new ApplyResult(after, Outcome.APPLIED, List.of()));
  }

  /**
   * True when a sweep should interrupt the job: it is RUNNING and its lease expired, or it has
   * no lease and was silent for longer than {@code unleasedSilence} (when that is given).
   */
  public static boolean isStale(JobSnapshot s, Instant now, Duration unleasedSilence) {
    if (s.status() != JobStatus.RUNNING) {
      return false;
    }
    if (s.lease() != null) {
      return !s.lease().isLiveAt(now);
    }
    Instant heard = s.heartbeatAt() != null ? s.heartbeatAt() : s.updatedAt();
    return unleasedSilence != null && heard.plus(unleasedSilence).isBefore(now);
  }

  /**
   * Interrupts a job the sweeper found stale, after checking again that it still is; a job that
   * is no longer stale (renewed, finished, already swept by another process) is left alone.
   *
   * @throws NoSuchJobException when there is no such job
   */
  public Step interruptIfStale(JobState current, String jobId, Duration unleasedSilence, Instant now) {
    if (current == null) {
      throw new NoSuchJobException(jobId);
    }
    JobSnapshot s = current.snapshot();
    if (!isStale(s, now, unleasedSilence)) {
      return new Step(current, new ApplyResult(s, Outcome.DUPLICATE, List.of()));
    }
    Map<String, Object> d = new LinkedHashMap<>();
    String why;
    if (s.lease() != null) {
      d.put("owner", s.lease().owner());
      d.put("expiredAt", s.lease().expiresAt().toString());
      why = "the lease of " + s.lease().owner() + " expired at " + s.lease().expiresAt();
    } else {
      why = "no report for longer than " + unleasedSilence;
    }
    if (s.heartbeatAt() != null) {
      d.put("lastHeartbeatAt", s.heartbeatAt().toString());
    }
    d.put("reason", why);
    List<TimelineEvent> events = List.of(
        TimelineEvent.of(now, TimelineEvent.LEASE_EXPIRED, d),
        statusChange(now, s.status(), JobStatus.INTERRUPTED, why));
    JobSnapshot.Builder next = s.toBuilder()
        .updatedAt(later(s.updatedAt(), now))
        .version(s.version() + 1)
        .samples(List.of());
    moveTo(next, s, JobStatus.INTERRUPTED, now);
    JobSnapshot after = next.timeline(s.timeline().append(events, policy.timelineCap())).build();
    return new Step(withStatusStampCleared(current, after), new ApplyResult(after, Outcome.APPLIED, events));
  }

  /**
   * An explicit status change through the API (cancel, pause, mark skipped...).
   *
   * @throws NoSuchJobException when there is no such job
   * @throws IllegalTransitionException when the status machine does not allow it
   */
  public Step transition(JobState current, String jobId, JobStatus to, String reason, Instant now) {
    requireNonNull(to, "to");
    if (current == null) {
      throw new NoSuchJobException(jobId);
    }
    JobSnapshot s = current.snapshot();
    if (s.status() == to) {
      return new Step(current, new ApplyResult(s, Outcome.DUPLICATE, List.of()));
    }
    if (!s.status().canMoveTo(to)) {
      throw new IllegalTransitionException(s.jobId(), s.status(), to,
          s.status().isResumable() && to == JobStatus.RUNNING
              ? "use resume, which starts a new attempt" : s.status() + " is terminal");
    }
    JobSnapshot.Builder next = s.toBuilder()
        .updatedAt(later(s.updatedAt(), now))
        .version(s.version() + 1);
    moveTo(next, s, to, now);
    if (to.isTerminal()) {
      next.samples(List.of());
    }
    List<TimelineEvent> events = List.of(statusChange(now, s.status(), to, reason));
    JobSnapshot after = next.timeline(s.timeline().append(events, policy.timelineCap())).build();
    return new Step(withStatusStampCleared(current, after), new ApplyResult(after, Outcome.APPLIED, events));
  }

  // The checkpoint follows its reporter's seq like a LAST field, so a late older one loses.
  private static Map<String, FieldStamp> applyCheckpoint(JobSnapshot.Builder next, FrozenMap doc,
      ProgressUpdate u, Map<String, FieldStamp> stamps, Instant now) {
    if (supersededBy(stamps.get(JobState.CHECKPOINT_STAMP), u)) {
      return stamps;
    }
    next.checkpoint(new Checkpoint(u.checkpoint(), doc, now));
    return stamped(stamps, JobState.CHECKPOINT_STAMP, u);
  }

  /** True when the same reporter already applied a newer value of this stamped field. */
  private static boolean supersededBy(FieldStamp stamp, ProgressUpdate u) {
    return u.reporter() != null && stamp != null && stamp.reporter().equals(u.reporter()) && stamp.seq() > u.seq();
  }

  /** The stamps with {@code key} written by {@code u}: its reporter and seq, or none without a reporter. */
  private static Map<String, FieldStamp> stamped(Map<String, FieldStamp> stamps, String key, ProgressUpdate u) {
    Map<String, FieldStamp> out = new java.util.HashMap<>(stamps);
    if (u.reporter() != null) {
      out.put(key, new FieldStamp(u.reporter(), u.seq()));
    } else {
      out.remove(key);
    }
    return out;
  }

  private static Map<String, Object> limited(Map<String, Object> m, int max) {
    if (m.size() <= max) {
      return m;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (out.size() == max) {
        break;
      }
      out.put(e.getKey(), e.getValue());
    }
    out.put("(more)", m.size() - max);
    return out;
  }

  private Outcome dedupe(DedupeState dedupe, ProgressUpdate u) {
    if (u.updateId() != null && dedupe.seenUpdateId(u.updateId())) {
      return Outcome.DUPLICATE;
    }
    if (u.reporter() != null) {
      return switch (dedupe.check(u.reporter(), u.seq())) {
        case NEW -> Outcome.APPLIED;
        case DUPLICATE -> Outcome.DUPLICATE;
        case STALE -> Outcome.STALE;
      };
    }
    return Outcome.APPLIED;
  }

  private static void checkIdentity(JobSnapshot old, ProgressUpdate u) {
    if (old == null) {
      return;
    }
    if (u.type() != null && old.type() != null && !old.type().equals(u.type())) {
      throw new InvalidUpdateException("type", u.type(),
          "differs from the job's type " + old.type() + "; a job's type never changes");
    }
    if (u.parentId() != null && old.parentId() != null && !old.parentId().equals(u.parentId())) {
      throw new InvalidUpdateException("parentId", u.parentId(),
          "differs from the job's parent " + old.parentId() + "; a job's parent never changes");
    }
  }

  private Map<String, FieldStamp> applyReportedStatus(JobSnapshot before, JobSnapshot.Builder next,
      ProgressUpdate u, Map<String, FieldStamp> stamps, Instant now, List<TimelineEvent> events) {
    JobStatus from = before.status();
    JobStatus to = u.status();
    if (supersededBy(stamps.get(JobState.STATUS_STAMP), u)) {
      return stamps; // superseded by a newer report from the same reporter, delivered earlier
    }
    if (from != to) {
      if (!from.canMoveTo(to)) {
        // Terminal states are sticky: a late "processing" after "completed" never reopens a job.
        events.add(TimelineEvent.of(now, TimelineEvent.STATUS_IGNORED, Map.of(
            "requested", to.name(), "current", from.name(),
            "reason", from.isTerminal() ? from + " is terminal" : "cannot go back to " + to)));
        return stamps;
      }
      moveTo(next, before, to, now);
      events.add(statusChange(now, from, to, null));
    }
    // Stamp even a repeated status, so an older report of another status delivered later loses.
    return stamped(stamps, JobState.STATUS_STAMP, u);
  }

  private static void moveTo(JobSnapshot.Builder next, JobSnapshot before, JobStatus to, Instant now) {
    next.status(to);
    if (to != JobStatus.QUEUED && before.startedAt() == null) {
      next.startedAt(now);
    }
    if (to.isTerminal()) {
      next.finishedAt(now);
      next.lease(null); // a finished run holds nothing: a resume may take the job at once
      if (!to.isResumable()) {
        next.checkpoint(null);
      }
    }
  }

  private static TimelineEvent statusChange(Instant now, JobStatus from, JobStatus to, String reason) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("from", from.name());
    d.put("to", to.name());
    if (reason != null) {
      d.put("reason", reason);
    }
    return TimelineEvent.of(now, TimelineEvent.STATUS_CHANGE, d);
  }

  // An explicit command restarts the status's ordering: reports after it win by arrival.
  private static JobState withStatusStampCleared(JobState current, JobSnapshot after) {
    Map<String, FieldStamp> stamps = current.stamps();
    if (stamps.containsKey(JobState.STATUS_STAMP)) {
      stamps = new java.util.HashMap<>(stamps);
      stamps.remove(JobState.STATUS_STAMP);
    }
    return new JobState(after, current.dedupe(), stamps);
  }

  private static List<ProgressSample> sampled(JobSnapshot before, Map<String, Object> doc, Instant now) {
    Object p = doc.get(JobSnapshot.PROCESSED_ITEMS);
    if (!(p instanceof Number n)) {
      return before.samples();
    }
    long processed = n.longValue();
    List<ProgressSample> samples = before.samples();
    if (!samples.isEmpty() && samples.get(samples.size() - 1).processed() == processed) {
      return samples;
    }
    List<ProgressSample> out = new ArrayList<>(samples.size() + 1);
    out.addAll(samples);
    ProgressSample sample = new ProgressSample(now, processed);
    if (out.size() >= 2
        && Duration.between(out.get(out.size() - 2).at(), now).compareTo(SAMPLE_SPACING) < 0) {
      out.set(out.size() - 1, sample);
    } else {
      out.add(sample);
    }
    if (out.size() > SAMPLES) {
      out = out.subList(out.size() - SAMPLES, out.size());
    }
    return out;
  }

  private static JobState newJob(String jobId, Instant now) {
    JobSnapshot s = JobSnapshot.builder(jobId, now).version(1).build();
    return new JobState(s, DedupeState.EMPTY, Map.of());
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}

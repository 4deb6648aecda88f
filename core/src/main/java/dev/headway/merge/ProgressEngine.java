package dev.headway.merge;

import static java.util.Objects.requireNonNull;

import dev.headway.ApplyResult;
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
   * Resumes an INTERRUPTED or FAILED job (attempt + 1) or a PAUSED one (same attempt).
   *
   * @throws NoSuchJobException when there is no such job
   * @throws IllegalTransitionException from any other status
   */
  public Step resume(JobState current, String jobId, Instant now) {
    if (current == null) {
      throw new NoSuchJobException(jobId);
    }
    JobSnapshot s = current.snapshot();
    if (!s.status().isResumable()) {
      throw new IllegalTransitionException(s.jobId(), s.status(), JobStatus.RUNNING,
          s.status() == JobStatus.RUNNING ? "it is already running"
              : "only INTERRUPTED, FAILED or PAUSED jobs can be resumed");
    }
    int attempt = s.status() == JobStatus.PAUSED ? s.attempt() : s.attempt() + 1;
    List<TimelineEvent> events = List.of(
        TimelineEvent.of(now, TimelineEvent.RESUMED, Map.of("from", s.status().name(), "attempt", attempt)),
        statusChange(now, s.status(), JobStatus.RUNNING, "resume"));
    JobSnapshot after = s.toBuilder()
        .status(JobStatus.RUNNING)
        .attempt(attempt)
        .finishedAt(null)
        .startedAt(s.startedAt() == null ? now : s.startedAt())
        .updatedAt(later(s.updatedAt(), now))
        .version(s.version() + 1)
        .timeline(s.timeline().append(events, policy.timelineCap()))
        .build();
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
    FieldStamp stamp = stamps.get(JobState.STATUS_STAMP);
    if (u.reporter() != null && stamp != null && stamp.reporter().equals(u.reporter())
        && stamp.seq() > u.seq()) {
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
    Map<String, FieldStamp> out = new java.util.HashMap<>(stamps);
    if (u.reporter() != null) {
      out.put(JobState.STATUS_STAMP, new FieldStamp(u.reporter(), u.seq()));
    } else {
      out.remove(JobState.STATUS_STAMP);
    }
    return out;
  }

  private static void moveTo(JobSnapshot.Builder next, JobSnapshot before, JobStatus to, Instant now) {
    next.status(to);
    if (to != JobStatus.QUEUED && before.startedAt() == null) {
      next.startedAt(now);
    }
    if (to.isTerminal()) {
      next.finishedAt(now);
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

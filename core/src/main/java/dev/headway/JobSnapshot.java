package dev.headway;

import static java.util.Objects.requireNonNull;

import dev.headway.internal.Ids;
import dev.headway.internal.JsonValues;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One job's state at one version. Immutable: every store returns a new snapshot for every change,
 * and {@link #version()} increases by one with each.
 *
 * @param jobId the job's id
 * @param type the job's type, or null when no report named one
 * @param parentId the batch this job belongs to, or null
 * @param status the lifecycle status
 * @param attempt 1 for the first run, plus one per explicit resume
 * @param progress the merged progress document: {@code processedItems}, {@code itemsByType},
 *     {@code stage}, ..., and any field a user declared
 * @param timeline the bounded timeline
 * @param errors error counts by category and the newest messages
 * @param createdAt when the store first saw the job
 * @param startedAt when it first ran, or null
 * @param updatedAt when it last changed
 * @param finishedAt when it reached a terminal status, or null
 * @param heartbeatAt when a report last reached it, or null
 * @param version the number of changes applied, starting at 1
 * @param samples a few recent (time, processed) points for the smoothed rate, oldest first
 * @param lease who runs the job and until when, or null when no run holds it
 * @param checkpoint where a resumed run starts from, or null; kept only while a job can still be
 *     resumed
 */
public record JobSnapshot(
    String jobId,
    String type,
    String parentId,
    JobStatus status,
    int attempt,
    Map<String, Object> progress,
    Timeline timeline,
    ErrorSummary errors,
    Instant createdAt,
    Instant startedAt,
    Instant updatedAt,
    Instant finishedAt,
    Instant heartbeatAt,
    long version,
    List<ProgressSample> samples,
    Lease lease,
    Checkpoint checkpoint) {

  /** Document field holding the monotonic processed count. */
  public static final String PROCESSED_ITEMS = "processedItems";
  /** Document field holding the expected total. */
  public static final String TOTAL_ITEMS = "totalItems";
  /** Document field holding per-type counters. */
  public static final String ITEMS_BY_TYPE = "itemsByType";

  public JobSnapshot {
    Ids.check("jobId", jobId);
    requireNonNull(status, "status");
    requireNonNull(timeline, "timeline");
    requireNonNull(errors, "errors");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt (" + attempt + ") must be at least 1");
    }
    if (version < 1) {
      throw new IllegalArgumentException("version (" + version + ") must be at least 1");
    }
    progress = progress == null ? Map.of() : JsonValues.normalizeObject("progress", progress);
    samples = samples == null ? List.of() : List.copyOf(samples);
  }

  /** {@code processedItems} of the document, or 0 when none was reported. */
  public long processedItems() {
    return progress.get(PROCESSED_ITEMS) instanceof Number n ? n.longValue() : 0L;
  }

  /** {@code totalItems} of the document, or null when the total is unknown. */
  public Long totalItems() {
    return progress.get(TOTAL_ITEMS) instanceof Number n ? n.longValue() : null;
  }

  /** A field of the progress document by dotted path, or null. */
  public Object field(String dottedPath) {
    Object node = progress;
    for (String key : dottedPath.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(key);
    }
    return node;
  }

  /** A builder seeded with this snapshot's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder for a new snapshot of a job; stores use it to rebuild stored state. */
  public static Builder builder(String jobId, Instant createdAt) {
    return new Builder(jobId, createdAt);
  }

  /** Builds snapshots. Not thread-safe. */
  public static final class Builder {
    private String jobId;
    private String type;
    private String parentId;
    private JobStatus status = JobStatus.QUEUED;
    private int attempt = 1;
    private Map<String, Object> progress = Map.of();
    private Timeline timeline = Timeline.EMPTY;
    private ErrorSummary errors = ErrorSummary.EMPTY;
    private Instant createdAt;
    private Instant startedAt;
    private Instant updatedAt;
    private Instant finishedAt;
    private Instant heartbeatAt;
    private long version = 1;
    private List<ProgressSample> samples = List.of();
    private Lease lease;
    private Checkpoint checkpoint;

    private Builder(String jobId, Instant createdAt) {
      this.jobId = jobId;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }

    private Builder(JobSnapshot s) {
      jobId = s.jobId;
      type = s.type;
      parentId = s.parentId;
      status = s.status;
      attempt = s.attempt;
      progress = s.progress;
      timeline = s.timeline;
      errors = s.errors;
      createdAt = s.createdAt;
      startedAt = s.startedAt;
      updatedAt = s.updatedAt;
      finishedAt = s.finishedAt;
      heartbeatAt = s.heartbeatAt;
      version = s.version;
      samples = s.samples;
      lease = s.lease;
      checkpoint = s.checkpoint;
    }

    public Builder type(String v) { type = v; return this; }
    public Builder parentId(String v) { parentId = v; return this; }
    public Builder status(JobStatus v) { status = v; return this; }
    public Builder attempt(int v) { attempt = v; return this; }
    public Builder progress(Map<String, Object> v) { progress = v; return this; }
    public Builder timeline(Timeline v) { timeline = v; return this; }
    public Builder errors(ErrorSummary v) { errors = v; return this; }
    public Builder createdAt(Instant v) { createdAt = v; return this; }
    public Builder startedAt(Instant v) { startedAt = v; return this; }
    public Builder updatedAt(Instant v) { updatedAt = v; return this; }
    public Builder finishedAt(Instant v) { finishedAt = v; return this; }
    public Builder heartbeatAt(Instant v) { heartbeatAt = v; return this; }
    public Builder version(long v) { version = v; return this; }
    public Builder samples(List<ProgressSample> v) { samples = v; return this; }
    public Builder lease(Lease v) { lease = v; return this; }
    public Builder checkpoint(Checkpoint v) { checkpoint = v; return this; }

    /** The status set so far, for code that decides what follows from it. */
    public JobStatus status() { return status; }

    public JobSnapshot build() {
      return new JobSnapshot(jobId, type, parentId, status, attempt, progress, timeline, errors,
          createdAt, startedAt, updatedAt, finishedAt, heartbeatAt, version, samples, lease, checkpoint);
    }
  }
}

package dev.headway;

import dev.headway.internal.Ids;
import dev.headway.internal.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One progress report: the unit reporters send and stores apply. Immutable.
 *
 * <p>Its JSON form (see {@code ProgressCodec}) is a superset of the crawler payload of seed 003:
 * the envelope fields named by {@link #ENVELOPE} plus any number of document fields
 * ({@code processedItems}, {@code itemsByType}, {@code stage}, {@code metadata}, or a user's own),
 * which are merged into the job's progress document by the rules of a
 * {@link dev.headway.merge.MergePolicy}. Only {@code jobId} is required.
 *
 * <p>Exactly once: give an update an {@code updateId}, or a {@code reporter} plus a
 * {@code seq} that increases with each update that reporter sends, and a store applies it once
 * however often it is delivered. With neither, it is applied every time it arrives
 * (at-least-once).
 *
 * @param jobId the job reported on
 * @param updateId a unique id of this update, or null
 * @param reporter the sending reporter, or null; set together with seq
 * @param seq the reporter's sequence number of this update, or null
 * @param type the job's type, or null
 * @param parentId the batch the job belongs to, or null
 * @param status the status the reporter reports, or null for no change
 * @param fields the document fields, a deeply immutable JSON object
 * @param events timeline events the reporter adds
 * @param error an error the reporter reports, or null
 * @param attempt the attempt the reporter works for, or null; an update for another attempt than
 *     the job's is STALE and changes nothing, so a run that was taken over cannot count into the
 *     run that replaced it
 * @param checkpoint a cursor to resume after (any JSON), or null; stored with the document as
 *     this update leaves it (see {@link Checkpoint})
 */
public record ProgressUpdate(
    String jobId,
    String updateId,
    String reporter,
    Long seq,
    String type,
    String parentId,
    JobStatus status,
    Map<String, Object> fields,
    List<ReportedEvent> events,
    ReportedError error,
    Integer attempt,
    Object checkpoint) {

  /** Top-level names that are not document fields. */
  public static final Set<String> ENVELOPE = Set.of(
      "jobId", "updateId", "reporter", "seq", "type", "parentId", "status", "timeline", "error",
      "attempt", "checkpoint");

  /** Longest {@code type} accepted. */
  public static final int MAX_TYPE_LENGTH = 100;

  public ProgressUpdate {
    Ids.check("jobId", jobId);
    Ids.checkOptional("updateId", updateId);
    Ids.checkOptional("reporter", reporter);
    Ids.checkOptional("parentId", parentId);
    if (reporter != null && seq == null) {
      throw new InvalidUpdateException("seq", null, "is required when reporter is given");
    }
    if (seq != null && reporter == null) {
      throw new InvalidUpdateException("reporter", null, "is required when seq is given");
    }
    if (seq != null && seq < 0) {
      throw new InvalidUpdateException("seq", seq, "must not be negative");
    }
    if (type != null && (type.isBlank() || type.length() > MAX_TYPE_LENGTH)) {
      throw new InvalidUpdateException("type", type, "must be 1-" + MAX_TYPE_LENGTH + " characters");
    }
    if (jobId.equals(parentId)) {
      throw new InvalidUpdateException("parentId", parentId, "must not be the job's own id");
    }
    fields = fields == null ? Map.of() : JsonValues.normalizeObject("", fields);
    for (String name : fields.keySet()) {
      if (ENVELOPE.contains(name)) {
        throw new InvalidUpdateException(name, null, "is an envelope field, not a document field");
      }
    }
    events = events == null ? List.of() : List.copyOf(events);
    if (attempt != null && attempt < 1) {
      throw new InvalidUpdateException("attempt", attempt, "must be at least 1");
    }
    checkpoint = checkpoint == null ? null : JsonValues.normalize("checkpoint", checkpoint);
  }

  /** The same update with another status. */
  public ProgressUpdate withStatus(JobStatus s) {
    return new ProgressUpdate(jobId, updateId, reporter, seq, type, parentId, s, fields, events,
        error, attempt, checkpoint);
  }

  /** A builder for an update of {@code jobId}. */
  public static Builder builder(String jobId) {
    return new Builder(jobId);
  }

  /** Builds updates. Not thread-safe; each {@link #build()} validates and copies. */
  public static final class Builder {
    private final String jobId;
    private String updateId;
    private String reporter;
    private Long seq;
    private String type;
    private String parentId;
    private JobStatus status;
    private final LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
    private final List<ReportedEvent> events = new ArrayList<>();
    private ReportedError error;
    private Integer attempt;
    private Object checkpoint;

    private Builder(String jobId) {
      this.jobId = jobId;
    }

    public Builder updateId(String id) { updateId = id; return this; }

    /** Names the reporter and this update's sequence number, for exactly-once delivery. */
    public Builder reporter(String name, long sequence) {
      reporter = name;
      seq = sequence;
      return this;
    }

    public Builder type(String v) { type = v; return this; }
    public Builder parentId(String v) { parentId = v; return this; }
    public Builder status(JobStatus v) { status = v; return this; }

    /** Sets a status by one of the words the seeds use ({@code processing}, {@code in_progress}...). */
    public Builder status(String word) { status = JobStatus.parse(word); return this; }

    /** Sets a document field; its merge rule comes from the store's policy. */
    public Builder field(String name, Object value) { fields.put(name, value); return this; }

    public Builder processedItems(long n) { return field(JobSnapshot.PROCESSED_ITEMS, n); }
    public Builder totalItems(long n) { return field(JobSnapshot.TOTAL_ITEMS, n); }
    public Builder stage(String v) { return field("stage", v); }
    public Builder currentDataType(String v) { return field("currentDataType", v); }
    public Builder lastProcessedId(String v) { return field("lastProcessedId", v); }

    /** Adds {@code n} to {@code itemsByType.<type>} (a SUM field by default). */
    @SuppressWarnings("unchecked")
    public Builder items(String itemType, long n) {
      Object current = fields.get(JobSnapshot.ITEMS_BY_TYPE);
      Map<String, Object> byType = current instanceof LinkedHashMap<?, ?> m
          ? (Map<String, Object>) m : new LinkedHashMap<>();
      byType.merge(itemType, n, (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
      fields.put(JobSnapshot.ITEMS_BY_TYPE, byType);
      return this;
    }

    /** Sets {@code metadata}, merged into the stored metadata as an RFC 7396 merge patch. */
    public Builder metadata(Map<String, ?> patch) { return field("metadata", patch); }

    public Builder event(String eventType, Map<String, ?> details) {
      events.add(ReportedEvent.of(eventType, details));
      return this;
    }

    /** Marks the update as part of attempt {@code n}; see {@link ProgressUpdate#attempt()}. */
    public Builder attempt(int n) { attempt = n; return this; }

    /** Stores {@code cursor} as the job's checkpoint, atomically with this update's counters. */
    public Builder checkpoint(Object cursor) { checkpoint = cursor; return this; }

    public Builder error(String category, String message) {
      error = new ReportedError(category, message);
      return this;
    }

    /**
     * @throws InvalidUpdateException naming the first field that is not acceptable
     */
    public ProgressUpdate build() {
      return new ProgressUpdate(jobId, updateId, reporter, seq, type, parentId, status,
          fields, events, error, attempt, checkpoint);
    }
  }
}

package dev.headway;

import static java.util.Objects.requireNonNull;

import dev.headway.internal.JsonValues;
import java.time.Instant;
import java.util.Map;

/**
 * One entry of a job's timeline: when, what kind of event, and details as a JSON object.
 * Immutable; {@code details} is a deep, unmodifiable copy.
 */
public record TimelineEvent(Instant at, String type, Map<String, Object> details) {
  // Event types Headway records by itself.
  public static final String STATUS_CHANGE = "status_change";
  public static final String STAGE_CHANGE = "stage_change";
  public static final String ERROR = "error";
  public static final String STATUS_IGNORED = "status_ignored";
  public static final String RESUMED = "resumed";
  /** A run's lease ran out (or a run without one went silent) and the sweeper interrupted it. */
  public static final String LEASE_EXPIRED = "lease_expired";
  /** A resume put counters back to the checkpoint; details list what changed. */
  public static final String ROLLED_BACK = "rolled_back";

  public TimelineEvent {
    requireNonNull(at, "at");
    requireNonNull(type, "type");
    details = details == null ? Map.of() : JsonValues.normalizeObject("details", details);
  }

  public static TimelineEvent of(Instant at, String type, Map<String, ?> details) {
    return new TimelineEvent(at, type, details == null ? Map.of() : JsonValues.normalizeObject("details", details));
  }
}

package dev.headway;

import dev.headway.internal.JsonValues;
import java.time.Instant;
import java.util.Map;

/**
 * A timeline event as a reporter sends it. {@code at} is the reporter's own time and may be null;
 * the store stamps events with its own clock and keeps the reporter's time in the details
 * as {@code reportedAt}, because reporters' clocks are not trusted for ordering.
 */
public record ReportedEvent(String type, Map<String, Object> details, Instant at) {
  /** Longest event type accepted. */
  public static final int MAX_TYPE_LENGTH = 100;

  public ReportedEvent {
    if (type == null || type.isBlank()) {
      throw new InvalidUpdateException("event", type, "is required and must not be blank");
    }
    if (type.length() > MAX_TYPE_LENGTH) {
      throw new InvalidUpdateException("event", type, "is longer than " + MAX_TYPE_LENGTH + " characters");
    }
    details = details == null ? Map.of() : JsonValues.normalizeObject("details", details);
  }

  public static ReportedEvent of(String type, Map<String, ?> details) {
    return new ReportedEvent(type, details == null ? null : JsonValues.normalizeObject("details", details), null);
  }
}

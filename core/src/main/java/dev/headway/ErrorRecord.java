package dev.headway;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One error a job reported, as kept among its most recent errors. */
public record ErrorRecord(Instant at, String category, String message) {
  public ErrorRecord {
    requireNonNull(at, "at");
    requireNonNull(category, "category");
    requireNonNull(message, "message");
  }
}

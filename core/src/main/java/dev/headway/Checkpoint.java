package dev.headway;

import static java.util.Objects.requireNonNull;

import dev.headway.internal.JsonValues;
import java.time.Instant;
import java.util.Map;

/**
 * Where a job can resume from: the cursor a worker reported ({@code lastProcessedId}, a page
 * token, any JSON) and the progress document as it was when that cursor was stored, written by
 * the same update and so atomically with it. Immutable.
 *
 * @param cursor the reported cursor: a string, number, boolean, list or object
 * @param progress the progress document right after the update that carried the cursor
 * @param at when the store applied that update
 */
public record Checkpoint(Object cursor, Map<String, Object> progress, Instant at) {
  public Checkpoint {
    requireNonNull(cursor, "cursor");
    requireNonNull(at, "at");
    cursor = JsonValues.normalize("checkpoint", cursor);
    progress = progress == null ? Map.of() : JsonValues.normalizeObject("checkpoint.progress", progress);
  }
}

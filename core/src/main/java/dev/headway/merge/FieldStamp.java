package dev.headway.merge;

import static java.util.Objects.requireNonNull;

/**
 * Which reporter update last wrote a LAST field (or the status), so that a late delivery of an
 * older update from the same reporter does not overwrite a newer value.
 */
public record FieldStamp(String reporter, long seq) {
  public FieldStamp {
    requireNonNull(reporter, "reporter");
  }
}

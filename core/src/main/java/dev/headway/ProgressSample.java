package dev.headway;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** The processed count at one moment, kept (a few, bounded) to compute a smoothed rate. */
public record ProgressSample(Instant at, long processed) {
  public ProgressSample {
    requireNonNull(at, "at");
  }
}

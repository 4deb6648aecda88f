package dev.headway.internal;

import java.time.Instant;

/** Instants as microseconds since the epoch: how stores keep time, compactly and sortably. */
public final class EpochMicros {
  private EpochMicros() {}

  /** Microseconds since the epoch; finer parts of {@code t} are dropped. */
  public static long of(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /** The instant {@code micros} microseconds after the epoch. */
  public static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}

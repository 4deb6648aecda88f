package dev.headway.merge;

import java.util.Arrays;

/**
 * One reporter's anti-replay window, as in IPsec: the highest seq seen and a bitmap of which of
 * the {@code width} sequence numbers at and below it were applied. Immutable.
 *
 * @param highWater the highest seq applied from this reporter
 * @param lastSeenVersion the job version at which this reporter was last applied (for eviction)
 */
public record ReporterWindow(long highWater, long[] bits, long lastSeenVersion) {

  /** What a window says of a sequence number. */
  public enum Verdict { NEW, DUPLICATE, STALE }

  public ReporterWindow {
    bits = bits.clone();
  }

  /** A window that has seen only {@code seq}. */
  static ReporterWindow first(long seq, int width, long version) {
    long[] bits = new long[width / 64];
    bits[0] = 1L;
    return new ReporterWindow(seq, bits, version);
  }

  /** Width in sequence numbers. */
  public int width() {
    return bits.length * 64;
  }

  /** Bitmap words; bit i of the window (seq = highWater - i) is bit i%64 of word i/64. */
  @Override
  public long[] bits() {
    return bits.clone();
  }

  /** Number of bitmap words, {@code width() / 64}. */
  public int words() {
    return bits.length;
  }

  /** Bitmap word {@code i}, without copying the bitmap. */
  public long word(int i) {
    return bits[i];
  }

  Verdict check(long seq) {
    if (seq > highWater) {
      return Verdict.NEW;
    }
    long offset = highWater - seq;
    if (offset >= width()) {
      return Verdict.STALE;
    }
    return (bits[(int) (offset >>> 6)] & (1L << (offset & 63))) != 0 ? Verdict.DUPLICATE : Verdict.NEW;
  }

  /** This window with {@code seq} marked applied; the caller has checked it is NEW. */
  ReporterWindow mark(long seq, long version) {
    long[] next;
    long high = highWater;
    if (seq > highWater) {
      next = shifted(seq - highWater);
      high = seq;
    } else {
      next = bits.clone();
    }
    long offset = high - seq;
    next[(int) (offset >>> 6)] |= 1L << (offset & 63);
    return new ReporterWindow(high, next, version);
  }

  // Moves every bit up by `by` places (towards older seqs); bits beyond the width fall off.
  private long[] shifted(long by) {
    long[] out = new long[bits.length];
    if (by >= width()) {
      return out;
    }
    int words = (int) (by >>> 6);
    int rest = (int) (by & 63);
    for (int i = out.length - 1; i >= words; i--) {
      long v = bits[i - words] << rest;
      if (rest != 0 && i - words - 1 >= 0) {
        v |= bits[i - words - 1] >>> (64 - rest);
      }
      out[i] = v;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReporterWindow w && w.highWater == highWater
        && w.lastSeenVersion == lastSeenVersion && Arrays.equals(w.bits, bits);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(highWater) * 31 + Arrays.hashCode(bits);
  }

  @Override
  public String toString() {
    return "ReporterWindow[highWater=" + highWater + ", width=" + width() + "]";
  }
}

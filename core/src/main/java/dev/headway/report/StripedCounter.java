package dev.headway.report;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A counter many threads add to at once without sharing a cache line: one padded cell per
 * stripe, the stripe chosen from the calling thread's id. Like {@link
 * java.util.concurrent.atomic.LongAdder}, but {@link #add} returns whether the caller's cell
 * crossed a multiple of a power of two, so the reporter's hot path notices "about N items since
 * the last flush" without summing and without allocating. Thread-safe.
 *
 * <p>Threads that hash to the same stripe still count exactly (the add is atomic); they only
 * share a cache line. {@link #sum} is not a snapshot across cells: it includes every add that
 * happened-before the call, and adds running concurrently with it or not.
 */
final class StripedCounter {
  /** Cells per counter: a power of two, about four per core, 8 to 64. */
  static final int STRIPES = stripes(Runtime.getRuntime().availableProcessors());
  // 16 longs = 128 bytes between cells: two cache lines, because the adjacent-line prefetcher
  // pulls lines in pairs. One padding block before the first cell keeps it off the array header.
  private static final int PAD = 16;
  private static final int SHIFT = 64 - Integer.numberOfTrailingZeros(STRIPES);

  private final AtomicLongArray cells = new AtomicLongArray((STRIPES + 1) * PAD);

  /**
   * Adds {@code n} (at least 1) to the calling thread's cell.
   *
   * @param quantumShift log2 of the quantum
   * @return true when the cell crossed a multiple of {@code 1 << quantumShift}
   */
  boolean add(long n, int quantumShift) {
    long after = cells.addAndGet(cell(), n);
    return ((after - n) >>> quantumShift) != (after >>> quantumShift);
  }

  long sum() {
    long s = 0;
    for (int i = PAD; i < cells.length(); i += PAD) {
      s += cells.get(i);
    }
    return s;
  }

  // Fibonacci hashing: consecutive thread ids (a pool's workers) land on different stripes.
  private static int cell() {
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
    long id = Thread.currentThread().getId();
    return (int) (((id * 0x9E3779B97F4A7C15L) >>> SHIFT) + 1) * PAD;
  }

  static int stripes(int cores) {
    int want = Math.max(8, Math.min(64, cores * 4));
    return Integer.highestOneBit(want - 1) << 1;
  }
}

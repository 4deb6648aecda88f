package dev.headway.internal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable list that appends at the end and drops from the front in O(1), sharing storage with
 * the versions it came from, so that adding one event to a job's timeline never copies the events
 * before it.
 *
 * <p>Storage is chunks of {@value #CHUNK} slots. Versions share a chunk; a version may append into
 * a shared chunk only after claiming the next slot with a CAS on the chunk's claim counter. The
 * first successor of a version wins the slot; any other successor of the same version (a branch:
 * the same state updated twice, as a rejected batch or a test may do) copies the chunk instead.
 * A slot is written before the version that holds it is published, and no version ever reads a slot
 * at or beyond its own size, so readers need no locks.
 */
public final class AppendLog<T> extends AbstractList<T> implements RandomAccess {
  static final int CHUNK = 32;

  private static final AppendLog<?> EMPTY = new AppendLog<>(new Chunk[0], 0, 0);

  private static final class Chunk {
    final Object[] items = new Object[CHUNK];
    final AtomicInteger claimed;

    Chunk(int claimed) {
      this.claimed = new AtomicInteger(claimed);
    }
  }

  private final Chunk[] chunks;
  private final int offset; // index of the first element within chunks[0]
  private final int size;

  private AppendLog(Chunk[] chunks, int offset, int size) {
    this.chunks = chunks;
    this.offset = offset;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <T> AppendLog<T> empty() {
    return (AppendLog<T>) EMPTY;
  }

  public static <T> AppendLog<T> of(List<? extends T> items) {
    AppendLog<T> log = empty();
    for (T item : items) {
      log = log.append(item);
    }
    return log;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size);
    }
    int pos = offset + index;
    return (T) chunks[pos / CHUNK].items[pos % CHUNK];
  }

  @Override
  public int size() {
    return size;
  }

  /** This list with {@code item} added at the end. */
  public AppendLog<T> append(T item) {
    int pos = offset + size;
    int ci = pos / CHUNK;
    int slot = pos % CHUNK;
    if (ci < chunks.length) {
      Chunk last = chunks[ci];
      if (last.claimed.compareAndSet(slot, slot + 1)) {
        last.items[slot] = item;
        return new AppendLog<>(chunks, offset, size + 1);
      }
      // Another version already appended here: branch off with a copy of this chunk.
      Chunk copy = new Chunk(slot + 1);
      System.arraycopy(last.items, 0, copy.items, 0, slot);
      copy.items[slot] = item;
      Chunk[] next = chunks.clone();
      next[ci] = copy;
      return new AppendLog<>(next, offset, size + 1);
    }
    Chunk fresh = new Chunk(1);
    fresh.items[0] = item;
    Chunk[] next = Arrays.copyOf(chunks, chunks.length + 1);
    next[ci] = fresh;
    return new AppendLog<>(next, offset, size + 1);
  }

  /** This list without its first element. */
  public AppendLog<T> dropFirst() {
    if (size == 0) {
      throw new IllegalStateException("list is empty");
    }
    if (size == 1) {
      return empty();
    }
    if (offset + 1 == CHUNK) {
      return new AppendLog<>(Arrays.copyOfRange(chunks, 1, chunks.length), 0, size - 1);
    }
    return new AppendLog<>(chunks, offset + 1, size - 1);
  }

  /** The last element, or null when empty. */
  public T last() {
    return size == 0 ? null : get(size - 1);
  }
}

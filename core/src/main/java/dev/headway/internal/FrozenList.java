package dev.headway.internal;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** A deeply immutable JSON array of the stored model; see {@link FrozenMap}. */
public final class FrozenList extends AbstractList<Object> implements RandomAccess {
  static final FrozenList EMPTY = new FrozenList(new Object[0]);

  private final Object[] items;

  private FrozenList(Object[] items) {
    this.items = items;
  }

  /** Wraps values that are all already normalized. */
  public static FrozenList adopt(List<Object> normalized) {
    return normalized.isEmpty() ? EMPTY : new FrozenList(normalized.toArray());
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }
}

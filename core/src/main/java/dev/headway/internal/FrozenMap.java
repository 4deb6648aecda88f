package dev.headway.internal;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A deeply immutable JSON object of the stored model. Only {@link JsonValues} and the merge
 * engine make them, from values they have already checked, so a FrozenMap is known to be
 * normalized and is shared instead of copied again.
 */
public final class FrozenMap extends AbstractMap<String, Object> {
  static final FrozenMap EMPTY = new FrozenMap(new LinkedHashMap<>());

  private final Map<String, Object> delegate;

  FrozenMap(LinkedHashMap<String, Object> owned) {
    this.delegate = owned;
  }

  /** Wraps a map whose values are all already normalized; the caller gives up {@code owned}. */
  public static FrozenMap adopt(LinkedHashMap<String, Object> owned) {
    return owned.isEmpty() ? EMPTY : new FrozenMap(owned);
  }

  public static FrozenMap empty() {
    return EMPTY;
  }

  @Override
  public Object get(Object key) {
    return delegate.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return delegate.containsKey(key);
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return Collections.unmodifiableMap(delegate).entrySet();
  }

  /** A mutable copy for building the next version. */
  public LinkedHashMap<String, Object> mutableCopy() {
    return new LinkedHashMap<>(delegate);
  }
}

package dev.headway.merge;

import dev.headway.InvalidUpdateException;
import dev.headway.internal.FrozenList;
import dev.headway.internal.FrozenMap;
import dev.headway.internal.JsonValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges reported document fields into a stored document by the policy's rules. Pure: it builds a
 * new document and never touches the old one, so an exception part-way leaves nothing applied.
 * Not thread-safe; one instance per merge.
 */
final class DocumentMerger {
  private final MergePolicy policy;
  private final String reporter;
  private final long seq;
  private final Map<String, FieldStamp> oldStamps;
  private Map<String, FieldStamp> newStamps;

  DocumentMerger(MergePolicy policy, String reporter, Long seq, Map<String, FieldStamp> stamps) {
    this.policy = policy;
    this.reporter = reporter;
    this.seq = seq == null ? -1 : seq;
    this.oldStamps = stamps;
  }

  /** The stamps after {@link #merge}; the old map when no LAST field changed hands. */
  Map<String, FieldStamp> stamps() {
    return newStamps == null ? oldStamps : newStamps;
  }

  FrozenMap merge(Map<String, Object> document, Map<String, Object> fields) {
    if (fields.isEmpty()) {
      return asFrozen(document);
    }
    return mergeObject(new ArrayList<>(4), asFrozen(document), fields);
  }

  private FrozenMap mergeObject(List<String> path, FrozenMap existing, Map<?, ?> incoming) {
    LinkedHashMap<String, Object> out = existing.mutableCopy();
    for (Map.Entry<?, ?> e : incoming.entrySet()) {
      String key = (String) e.getKey();
      Object value = e.getValue();
      path.add(key);
      MergePolicy.Resolution r = policy.resolve(path);
      Object old = out.get(key);
      Object merged;
      if (r.rule() != null && (r.literal() || !r.deeper() || !(value instanceof Map))) {
        merged = applyRule(r, path, old, value);
      } else if (r.deeper() && value instanceof Map<?, ?> sub) {
        merged = mergeObject(path, old instanceof FrozenMap m ? m : FrozenMap.empty(), sub);
      } else {
        merged = last(r.dotted(), old, value);
      }
      if (merged == null) {
        out.remove(key);
      } else if (out.put(key, merged) == null && out.size() > policy.maxKeys()) {
        // Name the key that did not fit, so the reporter knows which of its fields to drop.
        throw new InvalidUpdateException(dotted(path), null,
            "is a new key where its object already holds " + policy.maxKeys() + " (the policy's maxKeys)");
      }
      path.remove(path.size() - 1);
    }
    return FrozenMap.adopt(out);
  }

  private Object applyRule(MergePolicy.Resolution r, List<String> path, Object old, Object value) {
    MergeRule rule = r.rule();
    return switch (rule) {
      case MAX -> number(rule, path, value) == null ? old : max(old, value, true);
      case MIN -> number(rule, path, value) == null ? old : max(old, value, false);
      case SUM -> number(rule, path, value) == null ? old : sum(path, old, value);
      case LAST -> last(r.dotted(), old, value);
      case APPEND -> append(path, old, value);
      case UNION -> union(path, old, value);
      case MERGE_PATCH -> mergePatch(r.dotted(), old, value);
    };
  }

  // Null means "not reported" for numeric rules; anything else must be a finite number >= 0.
  private static Object number(MergeRule rule, List<String> path, Object value) {
    if (value == null) {
      return null;
    }
    if (!JsonValues.isNumber(value) || ((Number) value).doubleValue() < 0) {
      throw new InvalidUpdateException(dotted(path), value,
          "must be a non-negative number for rule " + rule);
    }
    return value;
  }

  private static Object max(Object old, Object value, boolean larger) {
    if (!JsonValues.isNumber(old)) {
      return value;
    }
    int c = compare((Number) old, (Number) value);
    return (larger ? c >= 0 : c <= 0) ? old : value;
  }

  private static int compare(Number a, Number b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return Double.compare(a.doubleValue(), b.doubleValue());
  }

  private static Object sum(List<String> path, Object old, Object value) {
    if (!JsonValues.isNumber(old)) {
      return value;
    }
    if (old instanceof Long x && value instanceof Long y) {
      try {
        return Math.addExact(x, y);
      } catch (ArithmeticException e) {
        throw new InvalidUpdateException(dotted(path), value, "would overflow the stored sum " + x);
      }
    }
    double d = ((Number) old).doubleValue() + ((Number) value).doubleValue();
    if (!Double.isFinite(d)) {
      throw new InvalidUpdateException(dotted(path), value, "would overflow the stored sum " + old);
    }
    return d;
  }

  // Last writer wins; within one reporter the higher seq wins in whatever order updates arrive.
  private Object last(String key, Object old, Object value) {
    FieldStamp stamp = oldStamps.get(key);
    if (reporter != null && stamp != null && stamp.reporter().equals(reporter) && stamp.seq() > seq) {
      return old;
    }
    if (reporter != null) {
      writableStamps().put(key, new FieldStamp(reporter, seq));
    } else if (stamp != null) {
      writableStamps().remove(key);
    }
    return value;
  }

  private Object append(List<String> path, Object old, Object value) {
    if (value == null) {
      return old;
    }
    List<Object> out = new ArrayList<>();
    if (old instanceof List<?> l) {
      out.addAll(l);
    }
    if (value instanceof List<?> l) {
      out.addAll(l);
    } else {
      out.add(value);
    }
    int cap = policy.listCap();
    // Keep the newest: an APPEND list is a log, and its end is what people look at.
    return FrozenList.adopt(out.size() > cap ? out.subList(out.size() - cap, out.size()) : out);
  }

  private Object union(List<String> path, Object old, Object value) {
    if (value == null) {
      return old;
    }
    List<Object> out = new ArrayList<>();
    if (old instanceof List<?> l) {
      out.addAll(l);
    }
    List<?> added = value instanceof List<?> l ? l : List.of(value);
    for (Object v : added) {
      if (v == null || v instanceof Map || v instanceof List) {
        throw new InvalidUpdateException(dotted(path), v,
            "must hold only strings, numbers or booleans for rule UNION");
      }
      if (!out.contains(v)) {
        out.add(v);
      }
    }
    if (out.size() > policy.listCap()) {
      throw new InvalidUpdateException(dotted(path), null,
          "would hold more than " + policy.listCap() + " elements (the policy's listCap)");
    }
    return FrozenList.adopt(out);
  }

  // RFC 7396: objects merge key by key, null removes, anything else replaces.
  private Object mergePatch(String field, Object target, Object patch) {
    if (!(patch instanceof Map<?, ?> p)) {
      return patch;
    }
    LinkedHashMap<String, Object> out = target instanceof FrozenMap m ? m.mutableCopy() : new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : p.entrySet()) {
      String key = (String) e.getKey();
      if (e.getValue() == null) {
        out.remove(key);
      } else {
        Object merged = mergePatch(field + "." + key, out.get(key), e.getValue());
        out.put(key, merged);
      }
    }
    if (out.size() > policy.maxKeys()) {
      throw new InvalidUpdateException(field, null,
          "would hold more than " + policy.maxKeys() + " keys (the policy's maxKeys)");
    }
    return FrozenMap.adopt(out);
  }

  private Map<String, FieldStamp> writableStamps() {
    if (newStamps == null) {
      newStamps = new HashMap<>(oldStamps);
    }
    return newStamps;
  }

  private static FrozenMap asFrozen(Map<String, Object> document) {
    return document instanceof FrozenMap m ? m : (FrozenMap) JsonValues.normalizeObject("progress", document);
  }

  static String dotted(List<String> path) {
    return String.join(".", path);
  }
}

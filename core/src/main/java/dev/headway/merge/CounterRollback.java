package dev.headway.merge;

import dev.headway.internal.FrozenMap;
import dev.headway.internal.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reconciliation rule of a resume: every counter (a number merged by SUM, MAX or MIN) goes
 * back to its value at the checkpoint, or is removed when the checkpoint had none; every other
 * field keeps its newest value. Counts reported after the checkpoint belong to items the resumed
 * run does again, so keeping them would count those items twice.
 */
final class CounterRollback {
  private final MergePolicy policy;
  /** Changed counters by dotted path: {from, to} (to is null when removed). */
  private final Map<String, Object> changes = new LinkedHashMap<>();

  CounterRollback(MergePolicy policy) {
    this.policy = policy;
  }

  FrozenMap rollback(Map<String, Object> document, Map<String, Object> atCheckpoint) {
    return object(new ArrayList<>(), document, atCheckpoint);
  }

  Map<String, Object> changes() {
    return changes;
  }

  private FrozenMap object(List<String> path, Map<String, Object> doc, Map<String, Object> at) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>(Math.max(4, doc.size() * 2));
    for (Map.Entry<String, Object> e : doc.entrySet()) {
      path.add(e.getKey());
      Object value = e.getValue();
      Object then = at == null ? null : at.get(e.getKey());
      MergePolicy.Resolution r = policy.resolve(path);
      if (value instanceof Map<?, ?> map) {
        if (r.rule() != null && !isCounter(r.rule()) && !r.deeper()) {
          out.put(e.getKey(), value); // a whole object under LAST or MERGE_PATCH: not counters
        } else {
          @SuppressWarnings("unchecked")
          Map<String, Object> child = (Map<String, Object>) map;
          @SuppressWarnings("unchecked")
          Map<String, Object> childThen = then instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
          out.put(e.getKey(), object(path, child, childThen));
        }
      } else if (JsonValues.isNumber(value) && r.rule() != null && isCounter(r.rule())) {
        Object back = JsonValues.isNumber(then) ? then : null;
        if (!value.equals(back)) {
          Map<String, Object> change = new LinkedHashMap<>();
          change.put("from", value);
          if (back != null) {
            change.put("to", back);
          }
          changes.put(DocumentMerger.dotted(path), change);
        }
        if (back != null) {
          out.put(e.getKey(), back);
        }
      } else {
        out.put(e.getKey(), value);
      }
      path.remove(path.size() - 1);
    }
    return FrozenMap.adopt(out);
  }

  private static boolean isCounter(MergeRule rule) {
    return rule == MergeRule.SUM || rule == MergeRule.MAX || rule == MergeRule.MIN;
  }
}

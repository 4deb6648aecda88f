package dev.headway.merge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job remembers to recognise redelivered updates. Immutable, and bounded by the policy:
 * the newest {@link MergePolicy#recentUpdateIds()} updateIds, and a window of
 * {@link MergePolicy#reporterWindow()} seqs for each of at most {@link MergePolicy#maxReporters()}
 * reporters (the one applied longest ago is forgotten first). Stores persist it with the job, in
 * the same write, so a retry after a crash is still recognised.
 */
public final class DedupeState {
  public static final DedupeState EMPTY = new DedupeState(List.of(), Map.of());

  private final List<String> recentIds;
  private final Map<String, ReporterWindow> reporters;

  private DedupeState(List<String> recentIds, Map<String, ReporterWindow> reporters) {
    this.recentIds = recentIds;
    this.reporters = reporters;
  }

  /** Rebuilds stored state; {@code recentIds} oldest first. */
  public static DedupeState of(List<String> recentIds, Map<String, ReporterWindow> reporters) {
    return new DedupeState(List.copyOf(recentIds), Map.copyOf(reporters));
  }

  /** Remembered updateIds, oldest first. */
  public List<String> recentUpdateIds() {
    return recentIds;
  }

  /** Windows by reporter name. */
  public Map<String, ReporterWindow> reporters() {
    return reporters;
  }

  boolean seenUpdateId(String id) {
    // A linear scan beats hashing for a few hundred short strings that are rarely looked up.
    for (int i = recentIds.size() - 1; i >= 0; i--) {
      if (recentIds.get(i).equals(id)) {
        return true;
      }
    }
    return false;
  }

  ReporterWindow.Verdict check(String reporter, long seq) {
    ReporterWindow w = reporters.get(reporter);
    return w == null ? ReporterWindow.Verdict.NEW : w.check(seq);
  }

  /** This state with an applied update recorded. */
  DedupeState record(String updateId, String reporter, Long seq, long version, MergePolicy policy) {
    List<String> ids = recentIds;
    if (updateId != null) {
      int keep = Math.min(recentIds.size(), policy.recentUpdateIds() - 1);
      List<String> next = new ArrayList<>(keep + 1);
      next.addAll(recentIds.subList(recentIds.size() - keep, recentIds.size()));
      next.add(updateId);
      ids = Collections.unmodifiableList(next);
    }
    Map<String, ReporterWindow> windows = reporters;
    if (reporter != null) {
      ReporterWindow w = reporters.get(reporter);
      ReporterWindow marked = w == null || w.width() != policy.reporterWindow()
          ? ReporterWindow.first(seq, policy.reporterWindow(), version)
          : w.mark(seq, version);
      if (w != null && reporters.size() == 1) {
        // The usual job: one reporter, whose window moves on. One small map, no copying.
        return new DedupeState(ids, Map.of(reporter, marked));
      }
      Map<String, ReporterWindow> next = new HashMap<>(reporters);
      next.put(reporter, marked);
      while (next.size() > policy.maxReporters()) {
        next.remove(leastRecent(next, reporter));
      }
      // Map.copyOf: a job usually has one or two reporters, and a compact map keeps it small.
      windows = Map.copyOf(next);
    }
    return new DedupeState(ids, windows);
  }

  private static String leastRecent(Map<String, ReporterWindow> windows, String keep) {
    String oldest = null;
    long oldestVersion = Long.MAX_VALUE;
    for (Map.Entry<String, ReporterWindow> e : windows.entrySet()) {
      if (!e.getKey().equals(keep) && e.getValue().lastSeenVersion() < oldestVersion) {
        oldest = e.getKey();
        oldestVersion = e.getValue().lastSeenVersion();
      }
    }
    return oldest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DedupeState d && d.recentIds.equals(recentIds) && d.reporters.equals(reporters);
  }

  @Override
  public int hashCode() {
    return recentIds.hashCode() * 31 + reporters.hashCode();
  }

  @Override
  public String toString() {
    return "DedupeState[" + recentIds.size() + " updateIds, " + reporters.size() + " reporters]";
  }
}

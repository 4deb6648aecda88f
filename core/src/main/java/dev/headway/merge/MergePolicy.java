package dev.headway.merge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@link MergeRule} each document field follows, and the bounds that keep a job's stored
 * state finite. Immutable and thread-safe.
 *
 * <p>Rules are declared per dotted field path; a segment may be {@code *}. For a reported field the
 * engine takes the most specific matching pattern (a literal segment beats {@code *} at the first
 * place they differ). A rule whose pattern has no {@code *} applies to the whole value at its path;
 * a wildcard rule on an object yields to rules declared deeper inside it. An object with no rule is
 * merged key by key; any other field with no rule follows {@link MergeRule#LAST}.
 *
 * <p>Defaults ({@link #defaults()}): {@code processedItems}, {@code totalItems} MAX;
 * {@code itemsByType.*} SUM; {@code stage}, {@code currentDataType}, {@code operationType},
 * {@code lastProcessedId} LAST; {@code metadata} MERGE_PATCH. The timeline always appends.
 */
public final class MergePolicy {
  /** Default cap on timeline events kept per job. */
  public static final int DEFAULT_TIMELINE_CAP = 1000;
  /** Default cap on the length of APPEND and UNION lists. */
  public static final int DEFAULT_LIST_CAP = 1000;
  /** Default cap on the keys of any one object in the document. */
  public static final int DEFAULT_MAX_KEYS = 1000;
  /** Default width of each reporter's dedupe window, in sequence numbers. */
  public static final int DEFAULT_REPORTER_WINDOW = 1024;
  /** Default number of reporters whose dedupe state a job keeps. */
  public static final int DEFAULT_MAX_REPORTERS = 64;
  /** Default number of recent updateIds a job remembers. */
  public static final int DEFAULT_RECENT_UPDATE_IDS = 256;

  private static final Set<String> RESERVED = Set.of(
      "jobId", "updateId", "reporter", "seq", "type", "parentId", "status", "timeline", "error",
      "attempt", "checkpoint");

  private static final MergePolicy DEFAULTS = new Builder()
      .rule("processedItems", MergeRule.MAX)
      .rule("totalItems", MergeRule.MAX)
      .rule("itemsByType.*", MergeRule.SUM)
      .rule("stage", MergeRule.LAST)
      .rule("currentDataType", MergeRule.LAST)
      .rule("operationType", MergeRule.LAST)
      .rule("lastProcessedId", MergeRule.LAST)
      .rule("metadata", MergeRule.MERGE_PATCH)
      .build();

  private final Map<String, MergeRule> declared;
  private final List<FieldPattern> patterns;
  private final List<MergeRule> rules;
  private final int timelineCap;
  private final int listCap;
  private final int maxKeys;
  private final int reporterWindow;
  private final int maxReporters;
  private final int recentUpdateIds;
  /**
   * Resolutions by path: every update asks for the same few paths, and matching each against
   * every pattern was a tenth of a merge. Bounded, so documents with ever-new keys cannot grow it.
   */
  private final ConcurrentHashMap<List<String>, Resolution> resolved = new ConcurrentHashMap<>();
  private static final int MAX_RESOLVED = 4096;

  private MergePolicy(Builder b) {
    this.declared = Collections.unmodifiableMap(new LinkedHashMap<>(b.rules));
    List<FieldPattern> ps = new ArrayList<>();
    List<MergeRule> rs = new ArrayList<>();
    b.rules.forEach((text, rule) -> {
      ps.add(FieldPattern.parse(text));
      rs.add(rule);
    });
    this.patterns = List.copyOf(ps);
    this.rules = List.copyOf(rs);
    this.timelineCap = b.timelineCap;
    this.listCap = b.listCap;
    this.maxKeys = b.maxKeys;
    this.reporterWindow = b.reporterWindow;
    this.maxReporters = b.maxReporters;
    this.recentUpdateIds = b.recentUpdateIds;
  }

  /** The default policy, for the crawler and sync payloads of the seeds. */
  public static MergePolicy defaults() {
    return DEFAULTS;
  }

  /** An empty builder: no rules, default bounds. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's rules and bounds, to extend. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.rules.putAll(declared);
    b.timelineCap = timelineCap;
    b.listCap = listCap;
    b.maxKeys = maxKeys;
    b.reporterWindow = reporterWindow;
    b.maxReporters = maxReporters;
    b.recentUpdateIds = recentUpdateIds;
    return b;
  }

  /** The declared patterns and their rules, in declaration order. */
  public Map<String, MergeRule> declaredRules() {
    return declared;
  }

  /**
   * How a path resolves: the rule of the most specific pattern matching exactly this path (or
   * none), whether that pattern has no wildcard, and whether some pattern reaches below the path.
   */
  Resolution resolve(List<String> path) {
    Resolution r = resolved.get(path); // a mutable path is fine to look up with: List equality
    if (r == null) {
      r = resolveUncached(path);
      if (resolved.size() < MAX_RESOLVED) {
        resolved.put(List.copyOf(path), r);
      }
    }
    return r;
  }

  private Resolution resolveUncached(List<String> path) {
    FieldPattern best = null;
    MergeRule bestRule = null;
    boolean deeper = false;
    for (int i = 0; i < patterns.size(); i++) {
      FieldPattern p = patterns.get(i);
      if (p.matches(path)) {
        if (best == null || p.moreSpecificThan(best)) {
          best = p;
          bestRule = rules.get(i);
        }
      } else if (!deeper && p.reachesBelow(path)) {
        deeper = true;
      }
    }
    return new Resolution(best == null ? null : bestRule, best != null && best.wildcards() == 0, deeper,
        String.join(".", path));
  }

  /** The rule a field at this dotted path follows when its value is not an object. */
  public MergeRule ruleFor(String dottedPath) {
    Resolution r = resolve(List.of(dottedPath.split("\\.")));
    return r.rule() == null ? MergeRule.LAST : r.rule();
  }

  public int timelineCap() { return timelineCap; }
  public int listCap() { return listCap; }
  public int maxKeys() { return maxKeys; }
  public int reporterWindow() { return reporterWindow; }
  public int maxReporters() { return maxReporters; }
  public int recentUpdateIds() { return recentUpdateIds; }

  @Override
  public String toString() {
    return "MergePolicy" + declared + " timelineCap=" + timelineCap + " listCap=" + listCap
        + " maxKeys=" + maxKeys + " reporterWindow=" + reporterWindow
        + " maxReporters=" + maxReporters + " recentUpdateIds=" + recentUpdateIds;
  }

  /**
   * How a path resolved: the rule (or null), whether it was declared without wildcards, whether
   * some declared pattern reaches below the path, and the path dotted (the key of its LAST stamp,
   * built once here rather than on every merge).
   */
  record Resolution(MergeRule rule, boolean literal, boolean deeper, String dotted) {}

  /** Builds a policy; every setter checks its argument. Not thread-safe. */
  public static final class Builder {
    private final Map<String, MergeRule> rules = new LinkedHashMap<>();
    private int timelineCap = DEFAULT_TIMELINE_CAP;
    private int listCap = DEFAULT_LIST_CAP;
    private int maxKeys = DEFAULT_MAX_KEYS;
    private int reporterWindow = DEFAULT_REPORTER_WINDOW;
    private int maxReporters = DEFAULT_MAX_REPORTERS;
    private int recentUpdateIds = DEFAULT_RECENT_UPDATE_IDS;

    private Builder() {}

    /**
     * Declares (or replaces) the rule of a field pattern such as {@code bytesSent} or
     * {@code errorsByHost.*}.
     *
     * @throws IllegalArgumentException for a malformed pattern or an envelope field name
     */
    public Builder rule(String pattern, MergeRule rule) {
      FieldPattern p = FieldPattern.parse(pattern);
      if (RESERVED.contains(p.segments()[0])) {
        throw new IllegalArgumentException("field pattern (" + pattern + ") names an envelope field; "
            + p.segments()[0] + " is not part of the progress document");
      }
      if (rule == null) {
        throw new IllegalArgumentException("rule for " + pattern + " must not be null");
      }
      rules.put(pattern, rule);
      return this;
    }

    public Builder timelineCap(int cap) { timelineCap = atLeast("timelineCap", cap, 10); return this; }
    public Builder listCap(int cap) { listCap = atLeast("listCap", cap, 1); return this; }
    public Builder maxKeys(int n) { maxKeys = atLeast("maxKeys", n, 1); return this; }

    /** Width of each reporter's anti-replay window; a multiple of 64, at least 64. */
    public Builder reporterWindow(int seqs) {
      atLeast("reporterWindow", seqs, 64);
      if (seqs % 64 != 0 || seqs > 65536) {
        throw new IllegalArgumentException("reporterWindow (" + seqs + ") must be a multiple of 64 up to 65536");
      }
      reporterWindow = seqs;
      return this;
    }

    public Builder maxReporters(int n) { maxReporters = atLeast("maxReporters", n, 1); return this; }
    public Builder recentUpdateIds(int n) { recentUpdateIds = atLeast("recentUpdateIds", n, 1); return this; }

    public MergePolicy build() {
      return new MergePolicy(this);
    }

    private static int atLeast(String name, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " (" + value + ") must be at least " + min);
      }
      return value;
    }
  }
}

package dev.headway.merge;

/**
 * How a document field combines the stored value with a reported one. All numeric rules take
 * finite, non-negative numbers: progress is counts, sizes and times.
 */
public enum MergeRule {
  /** Keeps the larger number: a monotonic field that never moves back. */
  MAX,
  /** Keeps the smaller number. */
  MIN,
  /** Adds the reported number: an additive counter. Exactly once with updateId or reporter+seq. */
  SUM,
  /**
   * The last writer wins. Within one reporter, the higher seq wins whatever order updates arrive
   * in; otherwise the update the store applied last wins (the store's clock orders them).
   */
  LAST,
  /** Appends reported elements to a list, keeping the newest up to the policy's list cap. */
  APPEND,
  /** Adds reported scalars to a set, up to the policy's list cap. */
  UNION,
  /** Applies the reported value as an RFC 7396 JSON merge patch; null removes a key. */
  MERGE_PATCH
}

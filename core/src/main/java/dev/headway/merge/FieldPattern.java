package dev.headway.merge;

import java.util.List;

/**
 * A dotted field path where a segment may be {@code *} (any one key). Package-private: users
 * write patterns as strings.
 */
record FieldPattern(String text, String[] segments, int wildcards) {

  static FieldPattern parse(String text) {
    if (text == null || text.isEmpty() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
      throw new IllegalArgumentException("field pattern (" + text + ") must be dotted keys such as itemsByType.*");
    }
    String[] segments = text.split("\\.");
    int wildcards = 0;
    for (String s : segments) {
      if (s.equals("*")) {
        wildcards++;
      } else if (s.contains("*")) {
        throw new IllegalArgumentException("field pattern (" + text + ") may use * only as a whole segment");
      }
    }
    return new FieldPattern(text, segments, wildcards);
  }

  boolean matches(List<String> path) {
    if (path.size() != segments.length) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      if (!segments[i].equals("*") && !segments[i].equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** True when this pattern is longer than {@code path} and could match something below it. */
  boolean reachesBelow(List<String> path) {
    if (segments.length <= path.size()) {
      return false;
    }
    for (int i = 0; i < path.size(); i++) {
      if (!segments[i].equals("*") && !segments[i].equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Orders patterns matching the same path: a literal segment beats * at the first difference. */
  boolean moreSpecificThan(FieldPattern other) {
    for (int i = 0; i < segments.length; i++) {
      boolean mine = segments[i].equals("*");
      boolean theirs = other.segments[i].equals("*");
      if (mine != theirs) {
        return !mine;
      }
    }
    return false;
  }
}

package dev.headway.internal;

import dev.headway.InvalidUpdateException;

/** Checks for identifiers: job ids, parent ids, reporter names, update ids, types. */
public final class Ids {
  /** Longest job id, parent id, reporter or update id accepted. */
  public static final int MAX_ID_LENGTH = 200;

  private Ids() {}

  /**
   * Returns {@code id} when it is 1-200 characters of {@code [A-Za-z0-9._:@/-]}.
   *
   * @throws InvalidUpdateException naming {@code field} otherwise
   */
  public static String check(String field, String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidUpdateException(field, null, "is required (1-200 characters of A-Z a-z 0-9 . _ : @ / -)");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new InvalidUpdateException(field, id, "is longer than " + MAX_ID_LENGTH + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      if (!allowed(id.charAt(i))) {
        throw new InvalidUpdateException(field, id,
            "may only contain A-Z a-z 0-9 . _ : @ / - (found '" + printable(id.charAt(i)) + "' at " + i + ")");
      }
    }
    return id;
  }

  /** Like {@link #check} but lets null through, for optional ids. */
  public static String checkOptional(String field, String id) {
    return id == null ? null : check(field, id);
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '-';
  }

  private static String printable(char c) {
    return Character.isISOControl(c) || Character.isWhitespace(c)
        ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}

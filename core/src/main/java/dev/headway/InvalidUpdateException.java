package dev.headway;

/**
 * An update (or a part of one) was rejected and nothing of it was applied.
 *
 * <p>{@link #field()} names the offending field as a dotted path ({@code itemsByType.issues},
 * {@code timeline[2].event}), or {@code (body)} when the payload as a whole was unreadable.
 * The message reads {@code field ("value") reason}, for example
 * {@code itemsByType.issues ("ten") must be a non-negative number for rule SUM}.
 */
public class InvalidUpdateException extends HeadwayException {
  /** Field name used when the error concerns the whole payload rather than one field. */
  public static final String BODY = "(body)";

  private static final int MAX_SHOWN_VALUE = 60;

  private final String field;
  private final String rejectedValue;
  private final String reason;

  public InvalidUpdateException(String field, Object rejectedValue, String reason) {
    super(format(field, rejectedValue, reason));
    this.field = field;
    this.rejectedValue = rejectedValue == null ? null : shorten(String.valueOf(rejectedValue));
    this.reason = reason;
  }

  /** The dotted path of the field that was rejected, or {@link #BODY}. */
  public String field() {
    return field;
  }

  /** The rejected value, shortened for display, or null when there was none. */
  public String rejectedValue() {
    return rejectedValue;
  }

  /** What the value should have been, without the field name. */
  public String reason() {
    return reason;
  }

  /** The same error, with its field path placed under {@code prefix} (e.g. an array index). */
  public InvalidUpdateException under(String prefix) {
    String path = BODY.equals(field) ? prefix : prefix + "." + field;
    return new InvalidUpdateException(path, rejectedValue, reason);
  }

  private static String format(String field, Object value, String reason) {
    if (value == null) {
      return field + " " + reason;
    }
    // Bounded like Jdbi's StatementExceptions: a huge payload must not become a huge message.
    return field + " (\"" + shorten(String.valueOf(value)) + "\") " + reason;
  }

  private static String shorten(String s) {
    return s.length() <= MAX_SHOWN_VALUE ? s : s.substring(0, MAX_SHOWN_VALUE) + "...";
  }
}

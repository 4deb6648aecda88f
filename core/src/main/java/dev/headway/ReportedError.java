package dev.headway;

/**
 * An error as a reporter sends it. The category is normalized ({@link ErrorCategory#normalize});
 * messages longer than {@value #MAX_MESSAGE_LENGTH} characters are cut, since upstream errors
 * can carry whole response bodies.
 */
public record ReportedError(String category, String message) {
  public static final int MAX_MESSAGE_LENGTH = 1000;

  public ReportedError {
    category = ErrorCategory.normalize(category);
    message = message == null ? "" : message;
    if (message.length() > MAX_MESSAGE_LENGTH) {
      message = message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }
  }
}

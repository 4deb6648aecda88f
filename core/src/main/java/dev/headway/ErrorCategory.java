package dev.headway;

import java.util.Locale;
import java.util.Map;

/**
 * Error categories: the six of the seeds plus any a user names. Names are upper case; the
 * spellings the seeds' systems use ({@code RATE_LIMITED}, {@code NETWORK_ERROR},
 * {@code INVALID_CREDENTIALS}, ...) map onto the standard ones.
 */
public final class ErrorCategory {
  public static final String RATE_LIMIT = "RATE_LIMIT";
  public static final String NETWORK = "NETWORK";
  public static final String AUTHENTICATION = "AUTHENTICATION";
  public static final String VALIDATION = "VALIDATION";
  public static final String SYSTEM = "SYSTEM";
  public static final String UNKNOWN = "UNKNOWN";

  private static final int MAX_LENGTH = 64;

  private static final Map<String, String> ALIASES = Map.of(
      "RATE_LIMITED", RATE_LIMIT,
      "NETWORK_ERROR", NETWORK,
      "TIMEOUT", NETWORK,
      "INVALID_CREDENTIALS", AUTHENTICATION,
      "AUTH", AUTHENTICATION,
      "VALIDATION_ERROR", VALIDATION,
      "SYSTEM_ERROR", SYSTEM,
      "INTERNAL", SYSTEM);

  private ErrorCategory() {}

  /**
   * Normalizes a category name: null or blank is {@link #UNKNOWN}, case is ignored, aliases map
   * onto standard names, and any other word of letters, digits and underscores is kept.
   *
   * @throws InvalidUpdateException naming {@code error.category} for anything else
   */
  public static String normalize(String category) {
    if (category == null || category.isBlank()) {
      return UNKNOWN;
    }
    String upper = category.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    if (upper.length() > MAX_LENGTH || !upper.matches("[A-Z0-9_]+")) {
      throw new InvalidUpdateException("error.category", category,
          "must be 1-" + MAX_LENGTH + " letters, digits or underscores");
    }
    return ALIASES.getOrDefault(upper, upper);
  }
}

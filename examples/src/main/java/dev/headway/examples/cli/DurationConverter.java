package dev.headway.examples.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every duration option of the CLI: {@code 1500ms}, {@code 5s}, {@code 2m}, {@code 12h},
 * {@code 30d}, or ISO-8601 ({@code PT5S}). Registered once for {@link Duration}, so all commands
 * read durations alike.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  @Override
  public Duration convert(String text) {
    return parse(text);
  }

  /**
   * The duration {@code text} names.
   *
   * @throws TypeConversionException with a sentence saying what is accepted
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + text + "' is not a duration such as 5s, 1500ms, 30d or PT5S");
    }
  }
}

package dev.headway;

/**
 * Base of every error Headway throws on purpose. Unchecked, like Jdbi's {@code JdbiException}:
 * callers decide where to handle it. Messages never carry secrets or stack traces meant for
 * end users; they name what was wrong and, where there is one, the field.
 */
public abstract class HeadwayException extends RuntimeException {
  protected HeadwayException(String message) {
    super(message);
  }

  protected HeadwayException(String message, Throwable cause) {
    super(message, cause);
  }
}

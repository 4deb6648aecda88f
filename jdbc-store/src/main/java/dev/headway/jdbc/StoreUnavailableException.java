package dev.headway.jdbc;

/**
 * The database stayed unreachable, or kept failing the transaction with deadlocks or
 * serialization failures, through every retry. Nothing of the call was stored; call again later.
 */
public final class StoreUnavailableException extends JdbcStoreException {
  private final int attempts;

  public StoreUnavailableException(String operation, int attempts, Throwable cause) {
    super(operation + " failed after " + attempts + " attempts: " + SqlFailures.describe(cause), cause);
    this.attempts = attempts;
  }

  /** How many times the operation was tried. */
  public int attempts() {
    return attempts;
  }
}

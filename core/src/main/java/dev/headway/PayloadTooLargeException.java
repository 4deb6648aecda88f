package dev.headway;

/** A payload was larger than the configured limit; nothing of it was read or applied. */
public final class PayloadTooLargeException extends InvalidUpdateException {
  private final long limitBytes;

  public PayloadTooLargeException(long limitBytes) {
    super(BODY, null, "is larger than the limit of " + limitBytes + " bytes");
    this.limitBytes = limitBytes;
  }

  public long limitBytes() {
    return limitBytes;
  }
}

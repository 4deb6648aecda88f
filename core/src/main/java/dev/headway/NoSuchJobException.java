package dev.headway;

/** A job that was expected to exist does not. */
public final class NoSuchJobException extends HeadwayException {
  private final String jobId;

  public NoSuchJobException(String jobId) {
    super("job " + jobId + " does not exist");
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }
}

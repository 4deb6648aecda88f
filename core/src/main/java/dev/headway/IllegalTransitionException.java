package dev.headway;

/**
 * An explicit status change asked for through the API is impossible from the job's current
 * status (for example resuming a COMPLETED job). The job is unchanged.
 */
public final class IllegalTransitionException extends HeadwayException {
  private final String jobId;
  private final JobStatus from;
  private final JobStatus to;

  public IllegalTransitionException(String jobId, JobStatus from, JobStatus to, String why) {
    super("job " + jobId + " cannot go from " + from + " to " + to + ": " + why);
    this.jobId = jobId;
    this.from = from;
    this.to = to;
  }

  public String jobId() {
    return jobId;
  }

  public JobStatus from() {
    return from;
  }

  public JobStatus to() {
    return to;
  }
}

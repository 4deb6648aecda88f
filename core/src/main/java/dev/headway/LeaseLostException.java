package dev.headway;

/**
 * A renewal failed because the owner no longer holds the job's lease: the job was swept,
 * finished, taken over by another run, or purged. The run should stop working on the job.
 */
public final class LeaseLostException extends HeadwayException {
  private final String jobId;
  private final String owner;

  public LeaseLostException(String jobId, String owner, String why) {
    super("job " + jobId + " is no longer held by " + owner + ": " + why);
    this.jobId = jobId;
    this.owner = owner;
  }

  public String jobId() { return jobId; }

  public String owner() { return owner; }
}

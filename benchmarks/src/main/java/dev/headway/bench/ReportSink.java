package dev.headway.bench;

import java.util.List;

/**
 * One way of persisting progress reports: Headway, or a baseline. Each sink owns its tables and
 * connections; {@link #close()} releases them. Implementations are thread-safe when
 * {@link #supportsSharedJob()} says several threads may report on one job.
 */
public interface ReportSink extends AutoCloseable {

  /** Creates whatever one job needs before reports arrive (a row, a job execution...). */
  void prepare(String jobId);

  /** Persists one report in a transaction of its own. */
  void report(String jobId, Report report);

  /** Persists reports in one transaction. */
  void reportBatch(String jobId, List<Report> reports);

  /** How many reports the store counted for the job; must equal the number sent. */
  long countedReports(String jobId);

  /** False where the baseline has no way to express a batch of reports in one commit. */
  default boolean supportsBatch() {
    return true;
  }

  /** False where the baseline cannot take concurrent reports on one job. */
  default boolean supportsSharedJob() {
    return true;
  }

  @Override
  void close();
}

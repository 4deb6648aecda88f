package dev.headway.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JobRepositoryFactoryBean;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Spring Batch baseline: what users who outgrow hand-written JSON updates reach for. Each report
 * does what a chunk commit does in a step: in one transaction, bump the step's counters and
 * {@code JobRepository.update(stepExecution)}, put the progress fields into the step's
 * {@link ExecutionContext} and {@code JobRepository.updateExecutionContext(stepExecution)}.
 *
 * <p>The repository is built the plain way, with {@link JobRepositoryFactoryBean} on a
 * {@link DataSourceTransactionManager}, no application context and no Boot, on a fresh copy of
 * Spring Batch's own schema script for the database. The execution context is serialised with
 * Spring Batch's default serializer, as an application that does not configure one gets it.
 *
 * <p>A batch of reports in one commit, and several threads reporting on one job, have no
 * counterpart in Spring Batch: a {@link StepExecution} is versioned, owned by the one thread running
 * the step, and written once per chunk commit. {@link #supportsBatch()} and
 * {@link #supportsSharedJob()} say so, so the table can show it instead of faking it. Different
 * jobs on different threads work (each job has its own step execution).
 */
public final class SpringBatchSink implements ReportSink {

  static {
    // Spring logs the database type, the repository setup and each script at INFO; the benchmark
    // table is the output that matters. An explicit setting by the caller wins.
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.springframework", "warn");
  }

  /** The step every job runs, as a crawler's one step would be called. */
  static final String STEP = "crawl";

  /** Timeline entries kept in the step's execution context by default, the oldest dropped first. */
  public static final int TIMELINE_CAP = 100;

  private static final String WRITE_COUNT_SQL =
      "SELECT WRITE_COUNT FROM BATCH_STEP_EXECUTION WHERE STEP_EXECUTION_ID = ?";

  private final BenchDb db;
  private final HikariDataSource pool;
  private final JobRepository jobRepository;
  private final TransactionTemplate tx;
  private final int timelineCap;
  private final Map<String, StepExecution> steps = new ConcurrentHashMap<>();

  /**
   * A fresh Spring Batch schema on {@code db} (named {@code name} on H2), with its own pool, keeping
   * the last {@value #TIMELINE_CAP} timeline entries in each step's execution context.
   */
  public SpringBatchSink(BenchDb db, String name) {
    this(db, name, TIMELINE_CAP);
  }

  /**
   * As {@link #SpringBatchSink(BenchDb, String)}, keeping the last {@code timelineCap} timeline
   * entries. The whole execution context is serialised and rewritten on every commit, so its size
   * sets much of the cost: 100 entries make it about 10 KB, past the 2,500 characters that fit in
   * SHORT_CONTEXT, so every report also writes a CLOB.
   */
  public SpringBatchSink(BenchDb db, String name, int timelineCap) {
    if (timelineCap < 0) {
      throw new IllegalArgumentException("timelineCap must not be negative: " + timelineCap);
    }
    this.db = db;
    this.timelineCap = timelineCap;
    this.pool = db.pool(name, 8);
    try {
      createSchema();
      DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(pool);
      JobRepositoryFactoryBean factory = new JobRepositoryFactoryBean();
      factory.setDataSource(pool);
      factory.setTransactionManager(transactionManager);
      factory.afterPropertiesSet();
      this.jobRepository = factory.getObject();
      this.tx = new TransactionTemplate(transactionManager);
    } catch (Exception e) {
      pool.close();
      throw new IllegalStateException("could not set up the Spring Batch job repository on " + db + ": " + e, e);
    }
  }

  private void createSchema() {
    String suffix = db == BenchDb.PG ? "postgresql" : "h2";
    ResourceDatabasePopulator drop = new ResourceDatabasePopulator(
        new ClassPathResource("org/springframework/batch/core/schema-drop-" + suffix + ".sql"));
    // Spring Batch's drop script says IF EXISTS for every table and sequence: it fails only for real.
    drop.execute(pool);
    new ResourceDatabasePopulator(
        new ClassPathResource("org/springframework/batch/core/schema-" + suffix + ".sql")).execute(pool);
  }

  /**
   * A job instance and execution named {@code jobId}, and its running "crawl" step execution, as a
   * job launcher and the step would create them.
   */
  @Override
  public synchronized void prepare(String jobId) {
    // Synchronised: the repository creates job executions at SERIALIZABLE isolation, where two
    // concurrent creations may fail on PostgreSQL; creating a job is not what is measured.
    try {
      JobExecution jobExecution = jobRepository.createJobExecution(jobId, new JobParameters());
      StepExecution step = jobExecution.createStepExecution(STEP);
      jobRepository.add(step);
      steps.put(jobId, step);
    } catch (Exception e) {
      throw new IllegalStateException("could not create the Spring Batch job " + jobId + ": " + e, e);
    }
  }

  @Override
  public void report(String jobId, Report r) {
    StepExecution step = step(jobId);
    // A step execution belongs to one thread; the lock only keeps a misuse from corrupting it.
    synchronized (step) {
      tx.executeWithoutResult(status -> {
        step.setReadCount(step.getReadCount() + r.issues());
        step.setWriteCount(step.getWriteCount() + r.issues());
        step.incrementCommitCount();
        ExecutionContext ctx = step.getExecutionContext();
        ctx.putLong("processedItems", r.processedItems());
        @SuppressWarnings("unchecked")
        Map<String, Long> byType = (Map<String, Long>) ctx.get("itemsByType");
        Map<String, Long> types = byType == null ? new HashMap<>() : new HashMap<>(byType);
        types.merge("groups", r.groups(), Long::sum);
        types.merge("issues", r.issues(), Long::sum);
        types.merge("commits", r.commits(), Long::sum);
        ctx.put("itemsByType", types);
        ctx.putString("stage", r.stage());
        ctx.putString("lastProcessedId", r.lastProcessedId());
        if (r.event() && timelineCap > 0) {
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> old = (List<Map<String, Object>>) ctx.get("timeline");
          List<Map<String, Object>> timeline = old == null ? new ArrayList<>() : new ArrayList<>(old);
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("type", "areas_discovered");
          entry.put("seq", r.seq());
          entry.put("at", System.currentTimeMillis());
          timeline.add(entry);
          if (timeline.size() > timelineCap) {
            timeline.subList(0, timeline.size() - timelineCap).clear();
          }
          ctx.put("timeline", timeline);
        }
        jobRepository.update(step);
        jobRepository.updateExecutionContext(step);
      });
    }
  }

  @Override
  public void reportBatch(String jobId, List<Report> reports) {
    throw new UnsupportedOperationException("Spring Batch writes a step execution once per chunk commit and "
        + "has no way to apply a batch of separate progress reports in one commit");
  }

  /** The step execution's write count as stored in BATCH_STEP_EXECUTION, not as held in memory. */
  @Override
  public long countedReports(String jobId) {
    StepExecution step = step(jobId);
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(WRITE_COUNT_SQL)) {
      ps.setLong(1, step.getId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no BATCH_STEP_EXECUTION row for job " + jobId);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the write count of job " + jobId + ": " + e.getMessage(), e);
    }
  }

  /** The step's execution context as Spring Batch reads it back from the database. */
  Map<String, Object> storedContext(String jobId) {
    StepExecution stored = jobRepository.getLastStepExecution(step(jobId).getJobExecution().getJobInstance(), STEP);
    if (stored == null) {
      throw new IllegalStateException("no stored step execution for job " + jobId);
    }
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, Object> e : stored.getExecutionContext().entrySet()) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  @Override
  public boolean supportsBatch() {
    return false;
  }

  @Override
  public boolean supportsSharedJob() {
    return false;
  }

  @Override
  public void close() {
    pool.close();
  }

  private StepExecution step(String jobId) {
    StepExecution step = steps.get(jobId);
    if (step == null) {
      throw new IllegalStateException("job " + jobId + " was not prepared");
    }
    return step;
  }

  @Override
  public String toString() {
    return "springbatch(" + db.rowName() + ")";
  }
}

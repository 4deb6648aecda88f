package dev.headway.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.headway.ApplyResult;
import dev.headway.HeadwayException;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.ProgressUpdate;
import dev.headway.TimelineEvent;
import dev.headway.internal.Ids;
import dev.headway.json.ProgressCodec;
import dev.headway.merge.JobCommand;
import dev.headway.merge.JobState;
import dev.headway.merge.MergePolicy;
import dev.headway.merge.ProgressEngine;
import dev.headway.merge.Step;
import dev.headway.store.JobQuery;
import dev.headway.store.ProgressStore;
import dev.headway.store.StoreListener;
import dev.headway.store.StoreListeners;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProgressStore} in a relational database: H2 (embedded, the default), PostgreSQL, or
 * MariaDB/MySQL. Thread-safe, and safe for several processes sharing one database.
 *
 * <p>Concurrency: every write commits the job's row (state and dedupe windows together) and its
 * new timeline rows atomically. A job this store wrote before is cached: the engine runs on that
 * state and the row is written with an UPDATE naming the version it replaces, which checks and
 * locks in one statement. When another process moved the row on, the write is redone the locked
 * way: {@code SELECT ... FOR UPDATE}, engine, write, commit. Locks rather than optimistic retries
 * for anything contended, because progress has hot rows: eight workers on one crawl would make
 * optimistic writers fail over and over, while a lock queues them. Inside one JVM, writers of one
 * job also take a striped lock first, so they queue in memory, the cached state stays theirs, and
 * listeners hear one job's changes in version order. A batch locks its jobs in id order, so two
 * batches cannot deadlock each other; deadlocks with other programs, serialization failures and
 * lost connections are retried a bounded number of times, after which
 * {@link StoreUnavailableException} says nothing was stored.
 *
 * <p>Durability: the commit is the database's. PostgreSQL's commit is durable. H2 never forces a
 * commit to disk; an H2 file URL without its own {@code WRITE_DELAY} gets {@code WRITE_DELAY=0},
 * so a committed update survives the process being killed (an OS crash may still lose recent
 * commits).
 */
public final class JdbcProgressStore implements ProgressStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcProgressStore.class);

  /** The embedded default: an H2 file {@code headway.mv.db} in the working directory. */
  public static final String DEFAULT_URL = "jdbc:h2:file:./headway";
  /** Default table and index name prefix. */
  public static final String DEFAULT_PREFIX = "headway_";

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,29}");
  private static final int STRIPES = 64;
  /** Most updates one group commit carries. */
  private static final int MAX_GROUP = 64;
  /** Longest a combiner waits for the stripe's other writers to queue their updates. */
  private static final long COMPANY_WAIT_NANOS = 50_000;

  private final Jdbi jdbi;
  private final DataSource dataSource;
  private final Dialect dialect;
  private final JobTable table;
  private final ProgressEngine engine;
  private final Clock clock;
  private final StateCache cache;
  private final int maxRetries;
  private final HikariDataSource ownedPool;
  private final boolean readCommittedByDefault;
  private final StoreListeners listeners = new StoreListeners();
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  @SuppressWarnings("unchecked")
  private final ConcurrentLinkedQueue<PendingApply>[] queues = new ConcurrentLinkedQueue[STRIPES];
  /** Threads inside {@link #apply} per stripe: queued, combining, or just answered. */
  private final AtomicInteger[] writers = new AtomicInteger[STRIPES];

  private JdbcProgressStore(Builder b, DataSource dataSource, HikariDataSource ownedPool, Dialect dialect,
      boolean readCommittedByDefault, Clock clock) {
    this.jdbi = Jdbi.create(dataSource);
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.table = new JobTable(b.codec, dialect, b.prefix);
    this.engine = new ProgressEngine(b.policy);
    this.clock = clock;
    this.cache = new StateCache(b.cacheSize);
    this.maxRetries = b.maxRetries;
    this.ownedPool = ownedPool;
    this.readCommittedByDefault = readCommittedByDefault;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
      queues[i] = new ConcurrentLinkedQueue<>();
      writers[i] = new AtomicInteger();
    }
  }

  /** A builder; name a database with {@link Builder#url} or {@link Builder#dataSource}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A store on the database at {@code jdbcUrl}, with default settings. */
  public static JdbcProgressStore open(String jdbcUrl) {
    return builder().url(jdbcUrl).build();
  }

  /** A store on the embedded default, {@value #DEFAULT_URL}. */
  public static JdbcProgressStore openDefault() {
    return open(DEFAULT_URL);
  }

  /** Which database this store runs on: {@code H2}, {@code PostgreSQL} or {@code MariaDB}. */
  public String databaseName() {
    return dialect.displayName();
  }

  // ---- writes ----

  /**
   * Applies one update. Writers of jobs that share a stripe queue here; whoever holds the stripe
   * applies everything queued in one transaction (group commit), so eight threads reporting on one
   * hot job pay for a few commits instead of eight, and each call still returns only after its own
   * update committed.
   */
  @Override
  public ApplyResult apply(ProgressUpdate update) {
    requireNonNull(update, "update");
    int s = stripe(update.jobId());
    PendingApply mine = new PendingApply(update, Thread.currentThread());
    ConcurrentLinkedQueue<PendingApply> queue = queues[s];
    AtomicInteger writers = this.writers[s];
    writers.incrementAndGet();
    queue.add(mine);
    ReentrantLock stripe = stripes[s];
    try {
      // Flat combining: whoever gets the stripe applies the queue; the others wait to be answered
      // without taking the lock, so they are back with their next update while it commits.
      while (!mine.isDone()) {
        if (stripe.tryLock()) {
          try {
            if (!mine.isDone()) {
              awaitCompany(queue, writers);
              applyQueued(queue);
            }
          } finally {
            stripe.unlock();
          }
          PendingApply next = queue.peek();
          if (next != null) {
            next.wake(); // its owner combines next
          }
        } else {
          // Woken when answered or next in line; the bound covers a lock held by another kind of write.
          LockSupport.parkNanos(this, 1_000_000);
        }
      }
    } finally {
      writers.decrementAndGet();
    }
    return mine.result();
  }

  /**
   * Gives writers of the stripe that were just answered a moment to queue their next update before
   * the combiner commits, as PostgreSQL's commit_delay does for its siblings. Without it, a
   * combiner that is back first (its thread still on the CPU) commits its own update alone while
   * the others wait for a CPU, and eight writers on one hot job commit one or two updates at a time.
   * A lone writer never waits; the wait is bounded, far below the cost of the commit it fills.
   */
  private static void awaitCompany(ConcurrentLinkedQueue<PendingApply> queue, AtomicInteger writers) {
    if (writers.get() <= 1) {
      return;
    }
    long deadline = System.nanoTime() + COMPANY_WAIT_NANOS;
    while (queue.size() < Math.min(writers.get(), MAX_GROUP) && System.nanoTime() < deadline) {
      Thread.yield();
    }
  }

  /** Applies what is queued on a stripe, the caller holding it; every taken update is answered. */
  private void applyQueued(ConcurrentLinkedQueue<PendingApply> queue) {
    List<PendingApply> batch = new ArrayList<>();
    for (PendingApply p; batch.size() < MAX_GROUP && (p = queue.poll()) != null; ) {
      batch.add(p);
    }
    try {
      if (batch.size() > 1) {
        List<ProgressUpdate> updates = new ArrayList<>(batch.size());
        batch.forEach(p -> updates.add(p.update()));
        List<ApplyResult> results;
        try {
          results = applyAll(updates, true);
        } catch (InvalidUpdateException rejected) {
          results = null; // one of them is invalid: answer each on its own, below
        }
        if (results != null) {
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).succeed(results.get(i));
          }
          return;
        }
      }
      for (PendingApply p : batch) {
        try {
          ApplyResult fast = applyFromCache(p.update());
          p.succeed(fast != null ? fast : applyAll(List.of(p.update()), false).get(0));
        } catch (RuntimeException e) {
          p.fail(e);
        }
      }
    } catch (RuntimeException e) {
      for (PendingApply p : batch) {
        p.fail(e); // no-op for those already answered
      }
    }
  }

  private ApplyResult applyFromCache(ProgressUpdate update) {
    List<ApplyResult> results = applyFromCache(update.jobId(), List.of(update));
    return results == null ? null : results.get(0);
  }

  /**
   * The common case of a busy job: its state is cached. The engine runs on that state, once per
   * update (a batch's updates, all of this job, in order), and the row is written with an UPDATE
   * naming the version it replaces, which both checks and locks. When that is one statement (no
   * timeline row added, or the new events written with the row where the database can) it runs in
   * auto-commit: one round trip and one commit, like the raw floor; otherwise the timeline
   * statements follow in the same transaction. Anything else (no cached state, another writer got
   * there first, only duplicates, an invalid update, a transient failure) returns null and takes
   * the locked path, which judges the updates afresh on the row as it is.
   */
  private List<ApplyResult> applyFromCache(String jobId, List<ProgressUpdate> updates) {
    ReentrantLock stripe = stripes[stripe(jobId)];
    stripe.lock();
    try {
      JobState cached = cache.peek(jobId);
      if (cached == null) {
        return null;
      }
      Instant now = now();
      JobState state = cached;
      List<ApplyResult> results = new ArrayList<>(updates.size());
      List<TimelineEvent> newEvents = List.of();
      for (ProgressUpdate update : updates) {
        Step step;
        try {
          step = engine.apply(state, update, now);
        } catch (InvalidUpdateException e) {
          return null;
        }
        if (step.changed()) {
          state = step.state();
          newEvents = concat(newEvents, step.result().newEvents());
        }
        results.add(step.result());
      }
      if (state == cached) {
        return null; // a duplicate must be confirmed against the row, not the cache
      }
      boolean oneStatement = table.writesInOneStatement(cached, state, newEvents);
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        boolean ownTransaction = autoCommit && !oneStatement;
        if (ownTransaction) {
          c.setAutoCommit(false);
        }
        try {
          table.write(c, cached, state, newEvents);
          if (!c.getAutoCommit()) {
            c.commit();
          }
        } catch (RuntimeException | SQLException e) {
          if (!c.getAutoCommit()) {
            c.rollback();
          }
          throw e;
        } finally {
          if (ownTransaction) {
            c.setAutoCommit(true);
          }
        }
      } catch (SqlFailures.StaleCache e) {
        cache.remove(jobId);
        return null;
      } catch (SQLException | RuntimeException e) {
        if (e instanceof HeadwayException he) {
          throw he;
        }
        if (!SqlFailures.isTransient(e)) {
          throw new JdbcStoreException("apply failed on " + dialect.displayName() + ": " + SqlFailures.describe(e), e);
        }
        cache.remove(jobId); // it may or may not have committed: read the row next time
        return null;
      }
      cache.put(state);
      for (ApplyResult result : results) {
        if (result.applied()) {
          notifyChange(result);
        }
      }
      return results;
    } finally {
      stripe.unlock();
    }
  }

  @Override
  public List<ApplyResult> applyAll(List<ProgressUpdate> updates) {
    requireNonNull(updates, "updates");
    if (updates.isEmpty()) {
      return List.of();
    }
    String job = onlyJob(updates);
    if (job != null) {
      // A batch of one busy job, the common case of a worker that buffers its reports.
      List<ApplyResult> fast = applyFromCache(job, updates);
      if (fast != null) {
        return fast;
      }
    }
    return applyAll(updates, true);
  }

  /** Both lists' elements in order; either list itself when the other is empty (the one-update case). */
  private static List<TimelineEvent> concat(List<TimelineEvent> a, List<TimelineEvent> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    List<TimelineEvent> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }

  /** The job all the updates are of, or null when they are of several (or one is null). */
  private static String onlyJob(List<ProgressUpdate> updates) {
    String job = null;
    for (ProgressUpdate u : updates) {
      if (u == null || (job != null && !job.equals(u.jobId()))) {
        return null;
      }
      job = u.jobId();
    }
    return job;
  }

  private List<ApplyResult> applyAll(List<ProgressUpdate> updates, boolean indexErrors) {
    Set<String> ids = new TreeSet<>();
    for (ProgressUpdate u : updates) {
      ids.add(requireNonNull(u, "update").jobId());
    }
    return write("apply", ids, (h, now, trustCache) -> {
      // With a cached state the write is optimistic: the UPDATE names the version it replaces, so
      // one statement both checks and writes, and a busy job costs one round trip, not two.
      Map<String, JobState> before = new HashMap<>();
      Set<String> optimistic = new HashSet<>();
      for (String id : ids) {
        JobState cached = trustCache ? cache.peek(id) : null;
        if (cached != null) {
          before.put(id, cached);
          optimistic.add(id);
        } else {
          before.putAll(lockAndLoad(h, Set.of(id)));
        }
      }
      Map<String, JobState> after = new HashMap<>(before);
      Map<String, List<TimelineEvent>> events = new java.util.TreeMap<>();
      List<ApplyResult> results = new ArrayList<>(updates.size());
      for (int i = 0; i < updates.size(); i++) {
        ProgressUpdate u = updates.get(i);
        Step step;
        try {
          step = engine.apply(after.get(u.jobId()), u, now);
        } catch (InvalidUpdateException e) {
          if (optimistic.contains(u.jobId())) {
            table.checkCurrent(h.getConnection(), before.get(u.jobId())); // judged on the job as it really is
          }
          throw indexErrors ? e.under("[" + i + "]") : e;
        }
        if (step.changed()) {
          after.put(u.jobId(), step.state());
          events.computeIfAbsent(u.jobId(), k -> new ArrayList<>()).addAll(step.result().newEvents());
        }
        results.add(step.result());
      }
      List<JobState> written = new ArrayList<>();
      List<JobState> created = new ArrayList<>();
      for (String id : ids) {
        if (events.containsKey(id) && before.get(id) == null
            && after.get(id).snapshot().timeline().dropped() == 0) {
          created.add(after.get(id));
          written.add(after.get(id));
        } else if (events.containsKey(id)) {
          table.write(h.getConnection(), before.get(id), after.get(id), events.get(id));
          written.add(after.get(id));
        } else if (optimistic.contains(id)) {
          table.checkCurrent(h.getConnection(), before.get(id)); // a duplicate must be one of the current job
        }
      }
      if (!created.isEmpty()) {
        table.insertAll(h.getConnection(), created, events);
      }
      return new Written<>(results, written, results);
    });
  }

  @Override
  public ApplyResult execute(String jobId, JobCommand command) {
    Ids.check("jobId", jobId);
    requireNonNull(command, "command");
    return write("update", Set.of(jobId), (h, now, trustCache) -> {
      JobState before = lockAndLoad(h, Set.of(jobId)).get(jobId);
      Step step = command.run(engine, before, now);
      if (!step.changed()) {
        return new Written<>(step.result(), List.of(), List.of());
      }
      table.write(h.getConnection(), before, step.state(), step.result().newEvents());
      return new Written<>(step.result(), List.of(step.state()), List.of(step.result()));
    });
  }

  @Override
  public int purgeFinishedBefore(Instant cutoff) {
    requireNonNull(cutoff, "cutoff");
    List<String> purged = transaction("purge", TransactionIsolationLevel.READ_COMMITTED, h -> {
      List<String> all = new ArrayList<>(table.finishedBefore(h, cutoff));
      Set<String> seen = new HashSet<>(all);
      List<String> frontier = all;
      while (!frontier.isEmpty()) {
        List<String> next = new ArrayList<>();
        for (String child : table.childrenOf(h, frontier)) {
          if (seen.add(child)) {
            next.add(child);
          }
        }
        all.addAll(next);
        frontier = next;
      }
      table.delete(h, all);
      return all;
    });
    for (String id : purged) {
      cache.remove(id);
      listeners.purged(id);
    }
    return purged.size();
  }

  // ---- reads ----

  @Override
  public Optional<JobSnapshot> find(String jobId) {
    Ids.check("jobId", jobId);
    // REPEATABLE READ: the row and its timeline rows come from one snapshot of the database.
    return transaction("find", TransactionIsolationLevel.REPEATABLE_READ, h -> {
      Optional<JobTable.Stamp> stamp = table.stamp(h.getConnection(), jobId, false);
      if (stamp.isEmpty()) {
        return Optional.<JobSnapshot>empty();
      }
      JobState cached = cache.get(jobId, stamp.get().version(), stamp.get().createdMicros());
      if (cached != null) {
        return Optional.of(cached.snapshot());
      }
      Optional<JobState> loaded = table.load(h, jobId);
      loaded.ifPresent(cache::put);
      return loaded.map(JobState::snapshot);
    });
  }

  @Override
  public List<JobSnapshot> query(JobQuery q) {
    requireNonNull(q, "query");
    return transaction("query", TransactionIsolationLevel.REPEATABLE_READ, h -> {
      List<JobTable.Row> rows = table.query(h, q);
      Map<String, JobState> found = new HashMap<>();
      List<JobTable.Row> misses = new ArrayList<>();
      for (JobTable.Row r : rows) {
        JobState cached = cache.get(r.jobId(), r.version(), r.createdMicros());
        if (cached != null) {
          found.put(r.jobId(), cached);
        } else {
          misses.add(r);
        }
      }
      found.putAll(table.parse(h, misses));
      List<JobSnapshot> out = new ArrayList<>(rows.size());
      for (JobTable.Row r : rows) {
        out.add(found.get(r.jobId()).snapshot());
      }
      return out;
    });
  }

  /**
   * Judged from the rows alone: staleness needs a job's status, lease and heartbeat, which its
   * stored state holds, not its document or timeline. A sweeping process that has none of the
   * running jobs cached would otherwise read the timeline rows of every candidate, up to
   * {@link JobQuery#MAX_LIMIT} jobs a sweep.
   */
  @Override
  public List<String> staleCandidates(Instant now, Duration unleasedSilence) {
    JobQuery running = JobQuery.all().withStatus(JobStatus.RUNNING).withOrder(JobQuery.Order.UPDATED_ASC)
        .withLimit(JobQuery.MAX_LIMIT);
    return transaction("sweep", TransactionIsolationLevel.READ_COMMITTED, h -> {
      List<String> out = new ArrayList<>();
      for (JobTable.Row r : table.query(h, running)) {
        if (ProgressEngine.isStale(table.snapshotWithoutDocument(r), now, unleasedSilence)) {
          out.add(r.jobId());
        }
      }
      return out;
    });
  }

  // ---- plumbing ----

  @Override
  public AutoCloseable addListener(StoreListener listener) {
    return listeners.add(listener);
  }

  @Override
  public MergePolicy policy() {
    return engine.policy();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  /** Closes the connection pool this store opened (not a DataSource the caller passed in). */
  @Override
  public void close() {
    if (clock instanceof DatabaseClock owned) {
      owned.close();
    }
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  /** What a write transaction produced: the answer, the states to cache, the changes to announce. */
  private record Written<T>(T value, List<JobState> states, List<ApplyResult> changes) {}

  private interface WriteWork<T> {
    Written<T> run(Handle h, Instant now, boolean trustCache);
  }

  private <T> T write(String operation, Set<String> jobIds, WriteWork<T> work) {
    int[] order = jobIds.stream().mapToInt(this::stripe).distinct().sorted().toArray();
    for (int s : order) {
      stripes[s].lock();
    }
    try {
      Written<T> w;
      try {
        w = transaction(operation, TransactionIsolationLevel.READ_COMMITTED, h -> work.run(h, now(), true));
      } catch (SqlFailures.StaleCache e) {
        // Another process wrote one of the jobs: run again at once, reading every row under a lock.
        jobIds.forEach(cache::remove);
        try {
          w = transaction(operation, TransactionIsolationLevel.READ_COMMITTED, h -> work.run(h, now(), false));
        } catch (SqlFailures.StaleCache again) {
          // Under a row lock this means the row was changed outside Headway.
          throw new JdbcStoreException(operation + " failed: " + again.getMessage()
              + " while its row was locked; was the table edited by hand?", again);
        }
      }
      // Committed: only now may others see it.
      w.states().forEach(cache::put);
      for (ApplyResult change : w.changes()) {
        if (change.applied()) {
          notifyChange(change);
        }
      }
      return w.value();
    } finally {
      for (int i = order.length - 1; i >= 0; i--) {
        stripes[order[i]].unlock();
      }
    }
  }

  private Map<String, JobState> lockAndLoad(Handle h, Set<String> sortedIds) {
    Map<String, JobState> out = new HashMap<>();
    for (String id : sortedIds) {
      Optional<JobTable.Stamp> stamp = table.stamp(h.getConnection(), id, true);
      if (stamp.isEmpty()) {
        out.put(id, null);
        continue;
      }
      JobState cached = cache.get(id, stamp.get().version(), stamp.get().createdMicros());
      out.put(id, cached != null ? cached : table.load(h, id).orElseThrow());
    }
    return out;
  }

  private <T> T transaction(String operation, TransactionIsolationLevel level, HandleCallback<T, RuntimeException> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return level == TransactionIsolationLevel.READ_COMMITTED && readCommittedByDefault
            ? jdbi.inTransaction(work)
            : jdbi.inTransaction(level, work);
      } catch (HeadwayException | SqlFailures.StaleCache e) {
        throw e; // a rejected update or transition: the transaction rolled back, nothing to retry
      } catch (RuntimeException e) {
        if (!SqlFailures.isTransient(e)) {
          throw new JdbcStoreException(operation + " failed on " + dialect.displayName() + ": "
              + SqlFailures.describe(e), e);
        }
        if (attempt > maxRetries) {
          throw new StoreUnavailableException(operation + " on " + dialect.displayName(), attempt, e);
        }
        log.debug("{} on {} failed ({}), retrying", operation, dialect.displayName(), SqlFailures.describe(e));
        sleepBeforeRetry(attempt);
      }
    }
  }

  private static void sleepBeforeRetry(int attempt) {
    long base = Math.min(1000, 10L << Math.min(attempt, 7));
    try {
      Thread.sleep(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while retrying", attempt, e);
    }
  }

  private void notifyChange(ApplyResult result) {
    listeners.changed(result);
  }

  private int stripe(String jobId) {
    return (jobId.hashCode() & 0x7fffffff) % STRIPES;
  }

  // Timeline rows keep microseconds, so the engine never sees finer time than the database keeps.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Configures and opens a store. Not thread-safe. */
  public static final class Builder {
    private String url;
    private String user;
    private String password;
    private DataSource dataSource;
    private String prefix = DEFAULT_PREFIX;
    private MergePolicy policy = MergePolicy.defaults();
    private Clock clock; // null: the database's own time
    private ProgressCodec codec = ProgressCodec.defaults();
    private int maxRetries = 5;
    private int poolSize = 8;
    private int cacheSize = 1024;
    private boolean progressIndex;

    private Builder() {}

    /** The database's JDBC URL; the store opens (and closes) its own connection pool. */
    public Builder url(String jdbcUrl) {
      this.url = requireNonNull(jdbcUrl, "jdbcUrl");
      return this;
    }

    /** User and password for {@link #url}; the password is never logged. */
    public Builder credentials(String user, String password) {
      this.user = user;
      this.password = password;
      return this;
    }

    /** A DataSource the caller owns (and closes); pooling is the caller's. */
    public Builder dataSource(DataSource ds) {
      this.dataSource = requireNonNull(ds, "dataSource");
      return this;
    }

    /** Prefix of every table and index name: a lower-case letter, then up to 29 of a-z, 0-9, _. */
    public Builder tablePrefix(String p) {
      if (p == null || !PREFIX.matcher(p).matches()) {
        throw new IllegalArgumentException("tablePrefix (" + p + ") must be a lower-case letter followed by up to 29 "
            + "lower-case letters, digits or underscores");
      }
      this.prefix = p;
      return this;
    }

    public Builder policy(MergePolicy p) { this.policy = requireNonNull(p, "policy"); return this; }
    /**
     * The clock changes are stamped with and leases judged by. By default the database's own
     * time (read every few seconds), so processes on machines with skewed clocks agree.
     */
    public Builder clock(Clock c) { this.clock = requireNonNull(c, "clock"); return this; }
    public Builder codec(ProgressCodec c) { this.codec = requireNonNull(c, "codec"); return this; }

    /** Retries of a transaction that failed transiently (default 5). */
    public Builder maxRetries(int n) {
      if (n < 0 || n > 100) {
        throw new IllegalArgumentException("maxRetries (" + n + ") must be between 0 and 100");
      }
      this.maxRetries = n;
      return this;
    }

    /** Connections of the pool opened for {@link #url} (default 8). */
    public Builder poolSize(int n) {
      if (n < 1 || n > 1000) {
        throw new IllegalArgumentException("poolSize (" + n + ") must be between 1 and 1000");
      }
      this.poolSize = n;
      return this;
    }

    /** Job states kept in memory to skip re-reading busy jobs (default 1024; 0 turns it off). */
    public Builder cacheSize(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("cacheSize (" + n + ") must not be negative");
      }
      this.cacheSize = n;
      return this;
    }

    /**
     * Whether to index the progress document itself (a GIN index on PostgreSQL, as seed 003 has;
     * nothing on H2 and MariaDB), for SQL of your own that searches inside it. Off by default:
     * none of the store's queries uses it and it makes every write on PostgreSQL about 40%
     * slower. Turning it on creates the index if it is missing; turning it off never drops one.
     */
    public Builder progressIndex(boolean on) {
      this.progressIndex = on;
      return this;
    }

    /**
     * Opens the store: connects, checks the database is supported, and creates or upgrades the
     * tables.
     *
     * @throws UnsupportedDatabaseException for a database other than H2, PostgreSQL, MariaDB, MySQL
     * @throws JdbcStoreException when the database cannot be reached or set up
     */
    public JdbcProgressStore build() {
      if ((url == null) == (dataSource == null)) {
        throw new IllegalStateException("name exactly one of url(...) or dataSource(...)");
      }
      HikariDataSource pool = null;
      DataSource ds = dataSource;
      if (url != null) {
        Dialect.checkUrl(url);
        pool = openPool(durable(url));
        ds = pool;
      }
      try {
        Dialect dialect;
        boolean readCommitted;
        try (Connection c = ds.getConnection()) {
          dialect = Dialect.of(c.getMetaData().getDatabaseProductName());
          // Pools hand out connections at their default level; when that is READ COMMITTED, writes
          // need not set and reset it (two more driver calls, round trips on PostgreSQL).
          readCommitted = c.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED;
        }
        Schema.migrate(Jdbi.create(ds), dialect, prefix, progressIndex);
        JdbcProgressStore store = new JdbcProgressStore(this, ds, pool, dialect, readCommitted,
            clock != null ? clock : new DatabaseClock(ds, dialect));
        log.info("Headway store open on {} (tables {}*)", dialect.displayName(), prefix);
        return store;
      } catch (SQLException | RuntimeException e) {
        if (pool != null) {
          pool.close();
        }
        if (e instanceof HeadwayException he) {
          throw he;
        }
        throw new JdbcStoreException("could not open the store: " + SqlFailures.describe(e), e);
      }
    }

    private HikariDataSource openPool(String jdbcUrl) {
      HikariConfig config = new HikariConfig();
      // A password written into the URL is moved out of it: drivers and pools log URLs.
      String[] urlAndPassword = withoutPassword(jdbcUrl);
      config.setJdbcUrl(urlAndPassword[0]);
      if (user != null) {
        config.setUsername(user);
      }
      if (password != null) {
        config.setPassword(password);
      } else if (urlAndPassword[1] != null) {
        config.setPassword(urlAndPassword[1]);
      }
      config.setMaximumPoolSize(poolSize);
      config.setMinimumIdle(Math.min(2, poolSize));
      config.setPoolName("headway");
      config.setAutoCommit(true);
      // Set once per connection, so write transactions need not set and reset it every time.
      config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      try {
        return new HikariDataSource(config);
      } catch (RuntimeException e) {
        throw new JdbcStoreException("could not connect to the database: " + SqlFailures.describe(e), e);
      }
    }

    /** The URL without a {@code password=} parameter, and that password (or null). */
    static String[] withoutPassword(String jdbcUrl) {
      java.util.regex.Matcher m = Pattern.compile("([?&;])password=([^&;]*)", Pattern.CASE_INSENSITIVE).matcher(jdbcUrl);
      if (!m.find()) {
        return new String[] {jdbcUrl, null};
      }
      String pw = java.net.URLDecoder.decode(m.group(2), java.nio.charset.StandardCharsets.UTF_8);
      String before = jdbcUrl.substring(0, m.start());
      String after = jdbcUrl.substring(m.end());
      String sep = m.group(1);
      // Keep the URL well-formed: "?password=x&a=b" becomes "?a=b", "&password=x" disappears.
      if (sep.equals("?") && after.startsWith("&")) {
        after = "?" + after.substring(1);
      }
      return new String[] {before + after, pw};
    }

    /** H2 file URLs get WRITE_DELAY=0 unless they set their own, so commits survive a kill. */
    static String durable(String jdbcUrl) {
      String lower = jdbcUrl.toLowerCase(Locale.ROOT);
      if (lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:") && !lower.contains("write_delay")) {
        return jdbcUrl + ";WRITE_DELAY=0";
      }
      return jdbcUrl;
    }
  }
}

package dev.headway.jdbc;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.Timeline;
import dev.headway.TimelineEvent;
import dev.headway.internal.EpochMicros;
import dev.headway.json.ProgressCodec;
import dev.headway.merge.JobState;
import dev.headway.store.JobQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The SQL of the two tables: {@code <prefix>jobs}, one row per job (queryable columns, the progress
 * document as JSON, the rest of the state as JSON), and {@code <prefix>timeline}, one row per kept
 * event, numbered per job by {@code seq} in the order appended. Every value is a bound parameter;
 * only table names (from the validated prefix) and fixed fragments are part of the SQL text.
 *
 * <p>Timeline rows: the event appended n-th (from 0) has {@code seq = n}. The kept head is
 * {@code seq < headCount}; the kept tail is {@code seq >= headCount + dropped}. Appending inserts
 * only the new rows, so no event is ever rewritten. Rows that fell out of the timeline are deleted
 * in runs ({@link #deletesNow}): until then a reader skips them by their seq, which the row's
 * state bounds. So a job at its cap pays one DELETE per {@link #deleteRun} dropped events, not
 * one per event, and holds at most {@code deleteRun - 1} such rows between runs.
 */
final class JobTable {
  private static final int IN_CHUNK = 500;

  private final ProgressCodec codec;
  private final Dialect dialect;
  private final String jobs;
  private final String timeline;
  private final StatementCache statements = new StatementCache();
  private final String stampSql;
  private final String stampForUpdateSql;
  private final String insertSql;
  private final String updateSql;
  /** The same for the common report that changes only the document and state, not the other columns. */
  private final String narrowUpdateSql;
  private final String insertEventSql;
  private final String deleteEventsSql;
  /** H2: the row update and k new events in one statement, by k (index 0 unused). */
  private final String[] updateWithEventsSql;
  /** PostgreSQL: the row update and any number of new events (bound as arrays) in one statement. */
  private final String updateWithEventArraysSql;
  /** The same, also deleting the rows of events that fell out of the timeline. */
  private final String updateWithEventArraysDroppingSql;

  JobTable(ProgressCodec codec, Dialect dialect, String prefix) {
    this.codec = codec;
    this.dialect = dialect;
    this.jobs = prefix + "jobs";
    this.timeline = prefix + "timeline";
    this.stampSql = "SELECT version, created_at FROM " + jobs + " WHERE job_id = ?";
    this.stampForUpdateSql = stampSql + " FOR UPDATE";
    this.insertSql = "INSERT INTO " + jobs + " (job_id, type, parent_id, status, attempt, version, created_at, "
        + "updated_at, finished_at, progress, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, " + dialect.jsonPlaceholder() + ", ?)";
    this.updateSql = "UPDATE " + jobs + " SET type = ?, parent_id = ?, status = ?, attempt = ?, version = ?, "
        + "updated_at = ?, finished_at = ?, progress = " + dialect.jsonPlaceholder() + ", state = ? "
        + "WHERE job_id = ? AND version = ? AND created_at = ?";
    this.narrowUpdateSql = "UPDATE " + jobs + " SET version = ?, updated_at = ?, progress = "
        + dialect.jsonPlaceholder() + ", state = ? WHERE job_id = ? AND version = ? AND created_at = ?";
    this.insertEventSql = "INSERT INTO " + timeline + " (job_id, seq, at, event, details) VALUES (?, ?, ?, ?, ?)";
    this.deleteEventsSql = "DELETE FROM " + timeline + " WHERE job_id = ? AND seq >= ? AND seq < ?";
    // The INSERT (and the DELETE of events that fell out) take the job id from the rows the UPDATE
    // wrote: when the version check fails nothing is written, and the count says so.
    String insert = "INSERT INTO " + timeline
        + " (job_id, seq, at, event, details) SELECT moved.job_id, e.seq, e.at, e.event, e.details FROM ";
    int kinds = dialect == Dialect.H2 ? MAX_EVENTS_WITH_ROW_H2 + 1 : 0;
    this.updateWithEventsSql = new String[kinds];
    for (int k = 1; k < kinds; k++) {
      StringBuilder values = new StringBuilder(" CROSS JOIN (VALUES ");
      for (int i = 0; i < k; i++) {
        values.append(i == 0 ? "" : ", ").append("(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS VARCHAR))");
      }
      // H2 has no data-modifying WITH, but reads the rows an UPDATE wrote as a table.
      updateWithEventsSql[k] = insert + "FINAL TABLE (" + updateSql + ") moved" + values + ") AS e(seq, at, event, details)";
    }
    if (dialect == Dialect.POSTGRESQL) {
      // One text for any number of events, so one prepared statement; the parts of one statement
      // see the same snapshot, so the DELETE never sees the new rows.
      String moved = "WITH moved AS (" + updateSql + " RETURNING job_id)";
      String arrays = "moved CROSS JOIN UNNEST(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS VARCHAR[]), "
          + "CAST(? AS TEXT[])) AS e(seq, at, event, details)";
      this.updateWithEventArraysSql = moved + " " + insert + arrays;
      this.updateWithEventArraysDroppingSql = moved + ", gone AS (DELETE FROM " + timeline
          + " WHERE job_id IN (SELECT job_id FROM moved) AND seq >= ? AND seq < ?) " + insert + arrays;
    } else {
      this.updateWithEventArraysSql = null;
      this.updateWithEventArraysDroppingSql = null;
    }
  }

  /** Most new events {@link #write} sends with the row in one statement on H2 (a text per count). */
  private static final int MAX_EVENTS_WITH_ROW_H2 = 4;

  /** Most new events one statement can carry with the row here: none on MariaDB. */
  private int maxEventsWithRow() {
    return switch (dialect) {
      case POSTGRESQL -> Integer.MAX_VALUE;
      case H2 -> MAX_EVENTS_WITH_ROW_H2;
      case MARIADB -> 0;
    };
  }

  /**
   * Whether {@link #write} of this change is a single statement, so that in auto-commit it is one
   * round trip and one commit: a row update that adds no event and deletes no dropped ones, or one
   * that also adds its events, on PostgreSQL (a data-modifying WITH, any number of events, also
   * deleting the rows of dropped ones) and H2 (an INSERT from the FINAL TABLE of the UPDATE, up to
   * four). Embedded H2 has no round trips to save, but each statement and transaction costs about
   * as much as the row's own write. MariaDB has no such statement.
   */
  boolean writesInOneStatement(JobState before, JobState after, List<TimelineEvent> newEvents) {
    if (before == null) {
      return false;
    }
    Timeline old = before.snapshot().timeline();
    Timeline now = after.snapshot().timeline();
    if (newEvents.isEmpty()) {
      return !deletesNow(old, now);
    }
    if (newEvents.size() > maxEventsWithRow()) {
      return false;
    }
    if (!deletesNow(old, now)) {
      return true;
    }
    if (updateWithEventArraysDroppingSql == null) {
      return false; // the DELETE is a statement of its own here
    }
    // A new event that falls out at once must be inserted before it is deleted: not in one statement.
    long firstNew = old.size() + old.dropped();
    return firstNew >= tailStart(now) || firstNew + newEvents.size() <= now.headCount();
  }

  /** Most rows of dropped events a job holds between deletions (fewer for a small cap). */
  static final int MAX_DELETE_RUN = 100;

  /**
   * How many dropped events one DELETE of a job's timeline rows covers: a tenth of the kept
   * timeline, between 1 and {@link #MAX_DELETE_RUN}. A tenth keeps the table within 10% of what
   * the cap allows; the run spares the job one DELETE per dropped event, which on a job at its cap
   * was one more statement on every event report.
   */
  static long deleteRun(Timeline t) {
    return Math.max(1, Math.min(MAX_DELETE_RUN, t.size() / 10));
  }

  /**
   * Whether this write deletes the rows of dropped events: when the dropped count passes a multiple
   * of the run (so at most a run less one stay behind), or when the head shrank (a lowered cap).
   * The DELETE takes every row between the kept head and the kept tail, so each run clears all
   * that earlier writes left.
   */
  static boolean deletesNow(Timeline old, Timeline now) {
    if (now.headCount() < old.headCount()) {
      return true;
    }
    long run = deleteRun(now);
    return now.dropped() / run > old.dropped() / run;
  }

  /** Seq of the first event of the kept tail; events in [headCount, tailStart) are gone. */
  private static long tailStart(Timeline t) {
    return t.headCount() + t.dropped();
  }

  /** A JDBC failure on the write path, unwrapped by the store's retry logic like Jdbi's. */
  static final class SqlFailure extends RuntimeException {
    SqlFailure(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** A row's version and creation time (micros), which identify one state of one job. */
  record Stamp(long version, long createdMicros) {}

  /** A job row's stamp, or empty; with {@code lock} the row stays locked to the transaction's end. */
  Optional<Stamp> stamp(Connection c, String jobId, boolean lock) {
    try {
      PreparedStatement s = statements.get(c, lock ? stampForUpdateSql : stampSql);
      s.setString(1, jobId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Stamp(rs.getLong(1), rs.getLong(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /**
   * Checks a cached state is still the row's.
   *
   * @throws SqlFailures.StaleCache when another writer has changed or replaced the job
   */
  void checkCurrent(Connection c, JobState cached) {
    Optional<Stamp> now = stamp(c, cached.jobId(), false);
    if (now.isEmpty() || now.get().version() != cached.snapshot().version()
        || now.get().createdMicros() != micros(cached.snapshot().createdAt())) {
      throw new SqlFailures.StaleCache(cached.jobId());
    }
  }

  /** Loads a whole job: its row and its kept timeline. */
  Optional<JobState> load(Handle h, String jobId) {
    Optional<String[]> row = h.createQuery("SELECT progress, state FROM " + jobs + " WHERE job_id = :id")
        .bind("id", jobId)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
        .findOne();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(readState(row.get()[1], row.get()[0], events(h, List.of(jobId)).getOrDefault(jobId, List.of())));
  }

  /** A timeline row as read: its seq and its event. */
  private record StoredEvent(long seq, TimelineEvent event) {}

  /**
   * A job's state from its row's JSON and its timeline rows (by seq), leaving out the rows of
   * dropped events that await their run's DELETE: those between the kept head and the kept tail.
   */
  private JobState readState(String state, String progress, List<StoredEvent> rows) {
    List<TimelineEvent> events = new ArrayList<>(rows.size());
    for (StoredEvent r : rows) {
      events.add(r.event());
    }
    JobState read = codec.readStoredState(state, progress, events);
    Timeline t = read.snapshot().timeline();
    long tailStart = tailStart(t);
    List<TimelineEvent> kept = null;
    for (int i = t.headCount(); i < rows.size(); i++) {
      long seq = rows.get(i).seq();
      if (kept == null && seq < tailStart) {
        kept = new ArrayList<>(events.subList(0, i));
      } else if (kept != null && seq >= tailStart) {
        kept.add(rows.get(i).event());
      }
    }
    if (kept == null) {
      return read;
    }
    Timeline timeline = Timeline.of(kept, t.headCount(), t.droppedByType());
    return new JobState(read.snapshot().toBuilder().timeline(timeline).build(), read.dedupe(), read.stamps());
  }

  /** A row of a query result: the id and version, and the JSON to parse if the cache misses. */
  record Row(String jobId, long version, long createdMicros, String progress, String state) {}

  List<Row> query(Handle h, JobQuery q) {
    StringBuilder sql = new StringBuilder("SELECT job_id, version, created_at, progress, state FROM ").append(jobs).append(" WHERE 1 = 1");
    if (!q.statuses().isEmpty()) {
      sql.append(" AND status IN (<statuses>)");
    }
    if (q.type() != null) {
      sql.append(" AND type = :type");
    }
    if (q.parentId() != null) {
      sql.append(" AND parent_id = :parent");
    }
    if (q.updatedSince() != null) {
      sql.append(" AND updated_at >= :since");
    }
    sql.append(orderBy(q));
    sql.append(" LIMIT :limit");
    Query query = h.createQuery(sql.toString()).bind("limit", q.limit());
    if (!q.statuses().isEmpty()) {
      query.bindList("statuses", q.statuses().stream().map(JobStatus::name).sorted().toList());
    }
    if (q.type() != null) {
      query.bind("type", q.type());
    }
    if (q.parentId() != null) {
      query.bind("parent", q.parentId());
    }
    if (q.updatedSince() != null) {
      query.bind("since", micros(q.updatedSince()));
    }
    return query.map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)))
        .list();
  }

  private String orderBy(JobQuery q) {
    if (dialect == Dialect.H2 && q.statuses().size() == 1 && q.type() == null && q.parentId() == null
        && q.order() == JobQuery.Order.UPDATED_DESC) {
      // H2 reads rows in index order only when ORDER BY names the index's leading column too;
      // with one status it changes nothing, and the query walks the index instead of sorting.
      return " ORDER BY status, updated_at DESC, job_id DESC";
    }
    return switch (q.order()) {
      // Ties follow the direction of the order, so an index on (x, updated_at, job_id) serves both
      // directions by scanning forwards or backwards, never sorting.
      case UPDATED_DESC -> " ORDER BY updated_at DESC, job_id DESC";
      case UPDATED_ASC -> " ORDER BY updated_at, job_id";
      case CREATED_DESC -> " ORDER BY created_at DESC, job_id DESC";
      case CREATED_ASC -> " ORDER BY created_at, job_id";
      case ID_ASC -> " ORDER BY job_id";
    };
  }

  /** A row's snapshot from its stored state alone: no document, no timeline events (none are read). */
  JobSnapshot snapshotWithoutDocument(Row r) {
    return codec.readStoredSnapshotWithoutDocument(r.state());
  }

  /** Parses rows whose state was not cached, loading their timelines in one query. */
  Map<String, JobState> parse(Handle h, Collection<Row> rows) {
    Map<String, JobState> out = new HashMap<>();
    if (rows.isEmpty()) {
      return out;
    }
    Map<String, List<StoredEvent>> events = events(h, rows.stream().map(Row::jobId).toList());
    for (Row r : rows) {
      out.put(r.jobId(), readState(r.state(), r.progress(), events.getOrDefault(r.jobId(), List.of())));
    }
    return out;
  }

  private Map<String, List<StoredEvent>> events(Handle h, List<String> ids) {
    Map<String, List<StoredEvent>> out = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i += IN_CHUNK) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
      h.createQuery("SELECT job_id, seq, at, event, details FROM " + timeline
              + " WHERE job_id IN (<ids>) ORDER BY job_id, seq")
          .bindList("ids", chunk)
          .map((rs, ctx) -> {
            out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new StoredEvent(rs.getLong(2),
                new TimelineEvent(instant(rs.getLong(3)), rs.getString(4), codec.readObject(rs.getString(5)))));
            return Boolean.TRUE;
          })
          .list();
    }
    return out;
  }

  /**
   * Writes a job's new state over {@code before} (null for a new job): the row, the new timeline
   * events, and the deletion of events that fell out of the bounded timeline.
   *
   * @throws SqlFailures.ConcurrentInsert when another writer created the job first
   */
  void write(Connection c, JobState before, JobState after, List<TimelineEvent> newEvents) {
    JobSnapshot s = after.snapshot();
    String progress = codec.write(s.progress());
    String state = codec.writeStoredState(after);
    try {
      if (before == null) {
        PreparedStatement insert = statements.get(c, insertSql);
        bindInsert(insert, after, progress, state);
        try {
          insert.executeUpdate();
        } catch (SQLException e) {
          if (SqlFailures.isUniqueViolation(e)) {
            throw new SqlFailures.ConcurrentInsert(e);
          }
          throw e;
        }
      } else if (!newEvents.isEmpty() && writesInOneStatement(before, after, newEvents)) {
        Timeline old = before.snapshot().timeline();
        boolean drops = deletesNow(old, s.timeline());
        boolean arrays = updateWithEventArraysSql != null;
        PreparedStatement both = statements.get(c, !arrays ? updateWithEventsSql[newEvents.size()]
            : drops ? updateWithEventArraysDroppingSql : updateWithEventArraysSql);
        bindUpdate(both, before, s, progress, state);
        int at = 13;
        if (drops) {
          both.setLong(at++, s.timeline().headCount());
          both.setLong(at++, tailStart(s.timeline()));
        }
        long seq = old.size() + old.dropped();
        if (arrays) {
          int n = newEvents.size();
          Long[] seqs = new Long[n];
          Long[] ats = new Long[n];
          String[] types = new String[n];
          String[] details = new String[n];
          for (int i = 0; i < n; i++) {
            TimelineEvent e = newEvents.get(i);
            seqs[i] = seq++;
            ats[i] = micros(e.at());
            types[i] = e.type();
            details[i] = codec.write(e.details());
          }
          both.setArray(at++, c.createArrayOf("bigint", seqs));
          both.setArray(at++, c.createArrayOf("bigint", ats));
          both.setArray(at++, c.createArrayOf("varchar", types));
          both.setArray(at, c.createArrayOf("text", details));
        } else {
          for (TimelineEvent e : newEvents) {
            both.setLong(at++, seq++);
            both.setLong(at++, micros(e.at()));
            both.setString(at++, e.type());
            both.setString(at++, codec.write(e.details()));
          }
        }
        if (both.executeUpdate() != newEvents.size()) {
          throw new SqlFailures.StaleCache(s.jobId());
        }
        return;
      } else {
        PreparedStatement update;
        if (onlyStateChanged(before.snapshot(), s)) {
          update = statements.get(c, narrowUpdateSql);
          update.setLong(1, s.version());
          update.setLong(2, micros(s.updatedAt()));
          update.setString(3, progress);
          update.setString(4, state);
          update.setString(5, s.jobId());
          update.setLong(6, before.snapshot().version());
          update.setLong(7, micros(before.snapshot().createdAt()));
        } else {
          update = statements.get(c, updateSql);
          bindUpdate(update, before, s, progress, state);
        }
        if (update.executeUpdate() != 1) {
          // Written from a cached state that another process has since moved past (or, under a
          // row lock, a hand edit): the caller rolls back and runs again reading the row locked.
          throw new SqlFailures.StaleCache(s.jobId());
        }
      }
      writeTimeline(c, before == null ? Timeline.EMPTY : before.snapshot().timeline(), s, newEvents);
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /** Whether the columns a progress report rarely changes (type, parent, status, attempt, finish) stayed. */
  private static boolean onlyStateChanged(JobSnapshot before, JobSnapshot after) {
    return before.status() == after.status() && before.attempt() == after.attempt()
        && Objects.equals(before.type(), after.type())
        && Objects.equals(before.parentId(), after.parentId())
        && Objects.equals(before.finishedAt(), after.finishedAt());
  }

  private static void bindUpdate(PreparedStatement update, JobState before, JobSnapshot s, String progress, String state)
      throws SQLException {
    update.setString(1, s.type());
    update.setString(2, s.parentId());
    update.setString(3, s.status().name());
    update.setInt(4, s.attempt());
    update.setLong(5, s.version());
    update.setLong(6, micros(s.updatedAt()));
    setMicros(update, 7, s.finishedAt());
    update.setString(8, progress);
    update.setString(9, state);
    update.setString(10, s.jobId());
    update.setLong(11, before.snapshot().version());
    update.setLong(12, micros(before.snapshot().createdAt()));
  }

  /**
   * Inserts new jobs and their first timeline events with one batch per table: a batch endpoint
   * that creates many jobs at once pays one round trip per table, not one per job. The caller
   * passes only jobs whose first events all fit in the timeline.
   *
   * @throws SqlFailures.ConcurrentInsert when another writer created one of the jobs first
   */
  void insertAll(Connection c, List<JobState> created, Map<String, List<TimelineEvent>> events) {
    if (created.size() == 1) {
      JobState one = created.get(0);
      write(c, null, one, events.getOrDefault(one.jobId(), List.of()));
      return;
    }
    try {
      PreparedStatement insert = statements.get(c, insertSql);
      for (JobState state : created) {
        bindInsert(insert, state, codec.write(state.snapshot().progress()), codec.writeStoredState(state));
        insert.addBatch();
      }
      try {
        insert.executeBatch();
      } catch (SQLException e) {
        if (SqlFailures.isUniqueViolation(e)) {
          throw new SqlFailures.ConcurrentInsert(e);
        }
        throw e;
      }
      PreparedStatement insertEvent = statements.get(c, insertEventSql);
      int rows = 0;
      for (JobState state : created) {
        long seq = 0;
        for (TimelineEvent e : events.getOrDefault(state.jobId(), List.of())) {
          insertEvent.setString(1, state.jobId());
          insertEvent.setLong(2, seq++);
          insertEvent.setLong(3, micros(e.at()));
          insertEvent.setString(4, e.type());
          insertEvent.setString(5, codec.write(e.details()));
          insertEvent.addBatch();
          rows++;
        }
      }
      if (rows > 0) {
        insertEvent.executeBatch();
      }
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  private static void bindInsert(PreparedStatement insert, JobState state, String progress, String stored)
      throws SQLException {
    JobSnapshot s = state.snapshot();
    insert.setString(1, s.jobId());
    insert.setString(2, s.type());
    insert.setString(3, s.parentId());
    insert.setString(4, s.status().name());
    insert.setInt(5, s.attempt());
    insert.setLong(6, s.version());
    insert.setLong(7, micros(s.createdAt()));
    insert.setLong(8, micros(s.updatedAt()));
    setMicros(insert, 9, s.finishedAt());
    insert.setString(10, progress);
    insert.setString(11, stored);
  }

  private static void setMicros(PreparedStatement s, int index, Instant t) throws SQLException {
    if (t == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, micros(t));
    }
  }

  private void writeTimeline(Connection c, Timeline old, JobSnapshot s, List<TimelineEvent> newEvents) throws SQLException {
    long oldTotal = old.size() + old.dropped();
    if (!newEvents.isEmpty()) {
      PreparedStatement insert = statements.get(c, insertEventSql);
      long seq = oldTotal;
      for (TimelineEvent e : newEvents) {
        insert.setString(1, s.jobId());
        insert.setLong(2, seq++);
        insert.setLong(3, micros(e.at()));
        insert.setString(4, e.type());
        insert.setString(5, codec.write(e.details()));
        if (newEvents.size() == 1) {
          insert.executeUpdate();
        } else {
          insert.addBatch();
        }
      }
      if (newEvents.size() > 1) {
        insert.executeBatch();
      }
    }
    Timeline now = s.timeline();
    if (deletesNow(old, now)) {
      PreparedStatement delete = statements.get(c, deleteEventsSql);
      delete.setString(1, s.jobId());
      delete.setLong(2, now.headCount());
      delete.setLong(3, tailStart(now));
      delete.executeUpdate();
    }
  }

  /** Ids of finished jobs that finished before the cutoff. */
  List<String> finishedBefore(Handle h, Instant cutoff) {
    return h.createQuery("SELECT job_id FROM " + jobs + " WHERE finished_at < :cutoff AND status IN (<terminal>)")
        .bind("cutoff", micros(cutoff))
        .bindList("terminal", List.of("COMPLETED", "FAILED", "CANCELLED", "SKIPPED", "INTERRUPTED"))
        .mapTo(String.class)
        .list();
  }

  /** Ids of the children of the given jobs. */
  List<String> childrenOf(Handle h, List<String> parents) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < parents.size(); i += IN_CHUNK) {
      out.addAll(h.createQuery("SELECT job_id FROM " + jobs + " WHERE parent_id IN (<ids>)")
          .bindList("ids", parents.subList(i, Math.min(parents.size(), i + IN_CHUNK)))
          .mapTo(String.class)
          .list());
    }
    return out;
  }

  /** Deletes jobs and their timelines; returns how many job rows went. */
  int delete(Handle h, List<String> ids) {
    int deleted = 0;
    for (int i = 0; i < ids.size(); i += IN_CHUNK) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
      h.createUpdate("DELETE FROM " + timeline + " WHERE job_id IN (<ids>)").bindList("ids", chunk).execute();
      deleted += h.createUpdate("DELETE FROM " + jobs + " WHERE job_id IN (<ids>)").bindList("ids", chunk).execute();
    }
    return deleted;
  }

  static long micros(Instant t) {
    return EpochMicros.of(t);
  }

  static Instant instant(long micros) {
    return EpochMicros.toInstant(micros);
  }
}

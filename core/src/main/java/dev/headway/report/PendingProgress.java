package dev.headway.report;

import static dev.headway.report.ProgressReporter.EVENTS_DROPPED;
import static dev.headway.report.ProgressReporter.MAX_EVENTS_PER_UPDATE;

import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.ProgressUpdate;
import dev.headway.ReportedError;
import dev.headway.ReportedEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reporter was told and has not yet put in an update, and how the next update is built
 * from it ({@link #build}): per-type counts against what built updates already cover, stage and
 * total, buffered events and errors, the newest checkpoint's capture, and the final status.
 *
 * <p>Not thread-safe: the reporter's lock guards every method, and the counters it reads are
 * added to concurrently (a sum includes every add that happened-before it). Only {@link
 * #droppedEvents()} may be read without the lock.
 *
 * <p>Counts go out as deltas: {@code itemsByType.<type>} the count since the previous update,
 * {@code processedItems} the absolute total. An update with a checkpoint carries exactly the
 * counts of its capture, so counts made after the capture wait for the next update.
 */
final class PendingProgress {
  private final String jobId;
  private final String reporterId;
  private final Integer attempt;
  private final String type;
  private final String parentId;
  private final long baseProcessed;
  private final int maxBufferedEvents;
  private final StripedCounter untyped;

  private final List<TypeCounter> types = new ArrayList<>(); // in order of first sight
  private long untypedSent; // untyped total covered by built updates
  private long processedSent;
  private String stage;
  private boolean stageDirty;
  private final Map<String, Object> dirtyFields = new LinkedHashMap<>(); // newest value per field
  private long total;
  private boolean totalDirty;
  private final ArrayDeque<Object> entries = new ArrayDeque<>(); // ReportedEvent | ReportedError
  private long droppedUnsent;
  private volatile long droppedEvents; // written under the lock, read anywhere
  private Capture checkpoint;
  private JobStatus finalStatus; // set once
  private ReportedError finalError;
  private ReportedEvent finalEvent;
  private boolean statusPending;
  private boolean firstBuilt;
  private long nextSeq;
  private boolean backlog; // the last build left events, errors or the status behind
  private boolean checkpointLimited; // the last build stopped at a checkpoint's capture

  PendingProgress(ProgressReporter.Builder b, String reporterId, StripedCounter untyped) {
    this.jobId = b.jobId;
    this.reporterId = reporterId;
    this.attempt = b.attempt;
    this.type = b.type;
    this.parentId = b.parentId;
    this.baseProcessed = b.baseProcessed;
    this.processedSent = b.baseProcessed;
    this.maxBufferedEvents = b.maxBufferedEvents;
    this.untyped = untyped;
    this.nextSeq = ReporterIds.firstSeq(b.minSeq);
  }

  /** A type's counter and the total of it that built updates cover. */
  private static final class TypeCounter {
    final String name;
    final StripedCounter counter = new StripedCounter();
    long sent;

    TypeCounter(String name) {
      this.name = name;
    }
  }

  /** A checkpoint's cursor and the counts it covers; {@code types[i]} is {@code types.get(i)}. */
  private record Capture(Object cursor, long[] types, long untyped, Map<String, Object> fields) {}

  // ---------------------------------------------------------------- what the reporter is told

  /** Types counted so far. */
  int typeCount() {
    return types.size();
  }

  /** Starts counting {@code name} in {@code itemsByType}; returns the counter to add to. */
  StripedCounter addType(String name) {
    TypeCounter c = new TypeCounter(name);
    types.add(c);
    return c.counter;
  }

  void total(long n) {
    total = n;
    totalDirty = true;
  }

  void stage(String name) {
    stage = name;
    stageDirty = true;
  }

  /** Sets a document field for the next update; false when it would be one field too many. */
  boolean field(String name, Object value, int maxFields) {
    if (!dirtyFields.containsKey(name) && dirtyFields.size() >= maxFields) {
      return false;
    }
    dirtyFields.put(name, value);
    return true;
  }

  /**
   * Captures every count with {@code cursor} and the document fields that describe it, replacing
   * an unsent capture. Values of those fields set before now are superseded by the capture's.
   */
  void checkpoint(Object cursor, Map<String, Object> fields) {
    long[] totals = new long[types.size()];
    for (int i = 0; i < totals.length; i++) {
      totals[i] = types.get(i).counter.sum();
    }
    dirtyFields.keySet().removeAll(fields.keySet());
    checkpoint = new Capture(cursor, totals, untyped.sum(), fields);
  }

  /** Buffers a {@link ReportedEvent} or {@link ReportedError}, or counts it as dropped when full. */
  void offer(Object entry) {
    if (entries.size() >= maxBufferedEvents) {
      droppedUnsent++;
      droppedEvents++;
      return;
    }
    entries.addLast(entry);
  }

  /** Sets the final status and what goes with it; false, changing nothing, when one is set already. */
  boolean finish(JobStatus status, ReportedError error, ReportedEvent event) {
    if (finalStatus != null) {
      return false;
    }
    finalStatus = status;
    finalError = error;
    finalEvent = event;
    statusPending = true;
    return true;
  }

  // ---------------------------------------------------------------- what is pending

  /**
   * Items counted that no built update covers yet. Zero exactly when none were: counters only
   * grow, and what updates cover was read from them earlier, so no type's share is negative.
   */
  long unsentItems() {
    long pending = 0;
    for (TypeCounter c : types) {
      pending += c.counter.sum() - c.sent;
    }
    return pending + untyped.sum() - untypedSent;
  }

  /** True when something besides items waits for an update. */
  boolean hasUnsentReports() {
    return statusPending || stageDirty || totalDirty || !dirtyFields.isEmpty() || checkpoint != null
        || !entries.isEmpty()
        || droppedUnsent > 0;
  }

  boolean finalStatusPending() {
    return statusPending;
  }

  /** True when the last build left events, errors or the final status for the next update. */
  boolean hasBacklog() {
    return backlog;
  }

  /** True when the last build did not take everything reported before it. */
  boolean lastBuildWasPartial() {
    return backlog || checkpointLimited;
  }

  /** Events and errors buffered. */
  int bufferedEntries() {
    return entries.size();
  }

  /** Events and errors dropped because the buffer was full. May be read without the lock. */
  long droppedEvents() {
    return droppedEvents;
  }

  // ---------------------------------------------------------------- the next update

  /** Turns everything not yet covered into one update, with the next seq. */
  ProgressUpdate build() {
    Capture cp = checkpoint;
    checkpoint = null;
    checkpointLimited = cp != null;
    long processed = baseProcessed;
    Map<String, Object> byType = null;
    for (int i = 0; i < types.size(); i++) {
      TypeCounter c = types.get(i);
      // A type first seen after the capture had nothing counted before it.
      long value = cp == null ? c.counter.sum() : i < cp.types.length ? cp.types[i] : c.sent;
      if (value > c.sent) {
        if (byType == null) {
          byType = new LinkedHashMap<>();
        }
        byType.put(c.name, value - c.sent);
        c.sent = value;
      }
      processed += c.sent;
    }
    untypedSent = Math.max(untypedSent, cp == null ? untyped.sum() : cp.untyped);
    processed += untypedSent;

    Map<String, Object> fields = new LinkedHashMap<>();
    if (processed != processedSent) {
      fields.put(JobSnapshot.PROCESSED_ITEMS, processed);
      processedSent = processed;
    }
    if (byType != null) {
      fields.put(JobSnapshot.ITEMS_BY_TYPE, byType);
    }
    if (totalDirty) {
      fields.put(JobSnapshot.TOTAL_ITEMS, total);
      totalDirty = false;
    }
    if (stageDirty) {
      fields.put("stage", stage);
      stageDirty = false;
    }
    if (cp == null) {
      fields.putAll(dirtyFields);
      dirtyFields.clear();
    } else {
      // The checkpoint's own fields describe its cursor; a value of one of them set after the
      // capture belongs to later items and waits for the next update, like later counts.
      dirtyFields.forEach((name, value) -> {
        if (!cp.fields.containsKey(name)) {
          fields.put(name, value);
        }
      });
      dirtyFields.keySet().retainAll(cp.fields.keySet());
      fields.putAll(cp.fields);
    }

    List<ReportedEvent> events = new ArrayList<>();
    if (droppedUnsent > 0) {
      events.add(new ReportedEvent(EVENTS_DROPPED, Map.of("count", droppedUnsent), Instant.now()));
      droppedUnsent = 0;
    }
    // The store puts an update's error on the timeline before its events: to keep the order an
    // error is taken only before any event, and a second error waits for the next update.
    ReportedError error = null;
    int taken = 0;
    while (!entries.isEmpty() && events.size() < MAX_EVENTS_PER_UPDATE) {
      Object head = entries.peekFirst();
      if (head instanceof ReportedError e) {
        if (error != null || taken > 0) {
          break;
        }
        error = e;
      } else {
        events.add((ReportedEvent) head);
      }
      entries.pollFirst();
      taken++;
    }
    JobStatus status = null;
    // The final status goes last, with every count: after the checkpoint's update and the events.
    if (statusPending && cp == null && entries.isEmpty() && (finalError == null || error == null)
        && (finalEvent == null || events.size() < MAX_EVENTS_PER_UPDATE)) {
      status = finalStatus;
      if (finalError != null) {
        error = finalError;
      }
      if (finalEvent != null) {
        events.add(finalEvent);
      }
      statusPending = false;
    }
    backlog = !entries.isEmpty() || statusPending;

    String sendType = null;
    String sendParent = null;
    if (!firstBuilt) {
      firstBuilt = true;
      sendType = type;
      sendParent = parentId;
    }
    return new ProgressUpdate(jobId, null, reporterId, nextSeq++, sendType, sendParent, status, fields,
        events, error, attempt, cp == null ? null : cp.cursor);
  }
}

package dev.headway.report;

import static java.util.Objects.requireNonNull;

import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseHeldException;
import dev.headway.LeaseLostException;
import dev.headway.LeaseRequest;
import dev.headway.ProgressUpdate;
import dev.headway.ReportedError;
import dev.headway.ReportedEvent;
import dev.headway.Resumption;
import dev.headway.internal.Ids;
import dev.headway.internal.JsonValues;
import dev.headway.store.ProgressStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What worker code holds for one job: it counts items, stages, checkpoints, events and errors, and
 * a background thread turns them into few, merged {@link ProgressUpdate}s sent through a {@link
 * ProgressSink}, exactly once each.
 *
 * <pre>{@code
 * try (ProgressReporter r = ProgressReporter.start(store, ProgressUpdate.builder("crawl-42")
 *     .type("crawler").build(), LeaseRequest.of(ProgressReporter.newReporterId(), Duration.ofSeconds(30)))) {
 *   r.total(1000);
 *   for (Issue issue : issues) {        // from any number of threads
 *     handle(issue);
 *     r.increment("issues");
 *     if (r.isSuperseded()) return;     // another run owns the job now
 *   }
 *   r.complete();                       // close() then waits for delivery
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Thread-safe; built for many worker threads on one reporter. The hot path
 * ({@link #increment}, {@link #add}, {@link #processed}) adds to a striped counter per item type
 * (a padded cell per stripe, chosen by thread id), allocates nothing and takes no lock; only the
 * first use of a type takes the reporter's lock, to create its counter. The other methods take the
 * reporter's lock briefly; none waits for the sink, except {@link #flush} and {@link #close},
 * which say so. Progress writes never block a worker and never throw to it: failures are retried
 * in the background and logged.
 *
 * <p><b>Coalescing.</b> One daemon thread per reporter ({@code headway-reporter-<jobId>}) builds
 * one update from everything counted so far about every {@value #DEFAULT_FLUSH_ITEMS} items or
 * every second, whichever comes first ({@link Builder#flushEvery}), and at once on {@link #flush},
 * {@link #close}, {@link #complete} and {@link #fail}. Why those defaults: seed 003's crawler
 * reports every 10-50 items, which for a worker doing thousands of items a second is a store
 * write (a database commit) every few milliseconds: most of a busy job's cost would be its
 * progress. 500 items or one second keeps a fast worker at or under about one write per 500
 * increments (the target is at least 100 times fewer writes than increments), while a slow worker
 * still shows progress every second. The item trigger is approximate: each thread's stripe wakes
 * the flusher every {@code N / stripes} items (rounded up to a power of two) and the flusher
 * sends once at least N items are pending.
 *
 * <p><b>What an update carries.</b> {@code reporter(reporterId, seq)}, seq one higher for each
 * new update; {@code attempt} when the reporter knows it (fencing: the store answers STALE to an
 * update of another attempt); {@code itemsByType.<type>} as the count since the previous update
 * (a SUM field); {@code processedItems} as an absolute value (a MAX field): the count the job
 * resumed from plus everything this reporter counted; {@code stage} and {@code totalItems} when
 * they changed; events and errors in the order they were reported; the newest checkpoint; and the
 * final status. Type and parent go on the first update.
 *
 * <p><b>Exactly once.</b> An update that failed to send (the sink threw anything but {@link
 * InvalidUpdateException}) is sent again unchanged, same seq and same content, never folded into
 * a new one: the failed delivery may have landed, and only the same seq lets the store recognise
 * it. Retries back off exponentially with jitter (50 ms doubling to 5 s by default, {@value
 * #TRIES_PER_ROUND} tries a round, then a pause of the cap and a new round), for as long as the
 * reporter lives; counts go on accumulating meanwhile and go into the next update. A round that
 * gives up logs one warning naming the job and the cause; the next warning comes only after a
 * delivery succeeded and a new failure followed. An update the sink refuses as invalid can never
 * succeed: it is logged and dropped (its counts are lost) and the reporter goes on.
 *
 * <p><b>Checkpoints.</b> {@link #checkpoint checkpoint(cursor)} captures, under the reporter's
 * lock, the count of every type together with the cursor; the update that carries the cursor
 * carries exactly the counts up to that capture and never a count made after it, which goes into
 * the next update. So the store keeps the cursor atomically with the counters it covers, and a
 * resumed run ({@link ProgressStore#resume}) starts from counters that match its cursor. A
 * checkpoint covers every count that happened-before the call (on the calling thread, or on
 * threads it synchronised with); counts made concurrently on other threads may fall on either
 * side, so take a checkpoint where no thread is counting items beyond its cursor. When several
 * checkpoints are taken between two updates only the newest is sent.
 *
 * <p><b>Bounds.</b> At most {@value #DEFAULT_MAX_ITEM_TYPES} item types by default ({@link
 * Builder#maxItemTypes}, keep it at or below the store policy's {@code maxKeys}); items of further
 * types are counted in {@code processedItems} only, with one warning and one {@code
 * item_types_overflow} event. At most {@value #DEFAULT_MAX_BUFFERED_EVENTS} events and errors wait
 * to be sent ({@link Builder#maxBufferedEvents}); beyond that new ones are dropped and counted,
 * and the count is sent as one {@code events_dropped} event. An update carries at most {@value
 * #MAX_EVENTS_PER_UPDATE} events and one error (the wire format has one), so a backlog of errors
 * goes out as several updates back to back. Each type's counter takes about {@code 130 *
 * stripes} bytes (2 KiB on a 4-core machine).
 *
 * <p><b>Lifecycle.</b> {@link #complete} sends everything counted with status COMPLETED in a
 * final update; {@link #fail} sends status FAILED with the reason as an error. Neither waits; after
 * either, the counting and reporting methods are ignored. {@link #close} without either sends
 * status INTERRUPTED with a {@code reporter_closed} event, so the job can be resumed, then waits
 * up to the close timeout (10 s by default) for every update to be delivered, and stops the
 * thread. After {@code close()} every counting and reporting method is ignored silently. Close
 * the reporter when the worker stops (try-with-resources): its thread, and the lease's heartbeat,
 * run until then; no shutdown hook stops them early.
 *
 * <p><b>Leases.</b> A reporter with a lease ttl ({@link Builder#lease}, or made by {@link #start}
 * and {@link #resume}) renews its lease every ttl/3 from the same thread. When a renewal says the
 * lease is lost ({@link LeaseLostException}), or the store answers STALE to an update, the job
 * belongs to someone else: the reporter stops sending and {@link #isSuperseded()} turns true; the
 * worker should stop. Other renewal failures are retried at the next beat. Renewals stop once the
 * final status is on its way (the store releases the lease when the job finishes).
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  /** Items after which an update is sent, by default. */
  public static final int DEFAULT_FLUSH_ITEMS = 500;
  /** Time after which counted items are sent, by default. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
  /** How long {@link #close} waits for delivery, by default. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
  /** Events and errors buffered for sending, by default. */
  public static final int DEFAULT_MAX_BUFFERED_EVENTS = 1000;
  /** Distinct item types counted, by default (the default policy's {@code maxKeys}). */
  public static final int DEFAULT_MAX_ITEM_TYPES = 1000;
  /** First retry delay after a failed send, by default. */
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofMillis(50);
  /** Longest retry delay, and the pause between rounds, by default. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(5);
  /** Tries of one update before a round gives up and logs. */
  public static final int TRIES_PER_ROUND = 8;
  /** Events one update carries at most, so an update stays well under a codec's payload limit. */
  public static final int MAX_EVENTS_PER_UPDATE = 100;
  /** Longest item type accepted. */
  public static final int MAX_TYPE_LENGTH = 100;
  /** Most distinct document fields ({@link #field}) waiting for one update. */
  public static final int MAX_FIELDS = 100;
  private static final java.util.Set<String> RESERVED_FIELDS = java.util.Set.of(
      JobSnapshot.PROCESSED_ITEMS, JobSnapshot.TOTAL_ITEMS, JobSnapshot.ITEMS_BY_TYPE, "stage");

  /** Event sent when events or errors were dropped because the buffer was full. */
  public static final String EVENTS_DROPPED = "events_dropped";
  /** Event sent with the INTERRUPTED status of a reporter closed before the job finished. */
  public static final String REPORTER_CLOSED = "reporter_closed";
  /** Event sent once when items of more types than {@link Builder#maxItemTypes} were counted. */
  public static final String ITEM_TYPES_OVERFLOW = "item_types_overflow";

  /*
   * Design. Three parts: this class (the API, the hot path and the registry of item types);
   * PendingProgress (what was reported and not yet sent, and building the next update); Flusher
   * (the thread that sends, retries and renews the lease). One lock, this reporter's, guards
   * PendingProgress and the flusher's hand-over state; the hot path never takes it, and the
   * flusher never holds it while it sends.
   */

  // ---- configuration (immutable) ----
  private final String jobId;
  private final String reporterId;
  private final Integer attempt;
  private final Resumption resumption;
  private final long closeTimeoutNanos;
  private final int maxItemTypes;
  private final int quantumShift;

  // ---- hot path ----
  private final ConcurrentHashMap<String, StripedCounter> counters = new ConcurrentHashMap<>();
  private final StripedCounter untyped = new StripedCounter(); // processed(n) and overflow types
  private volatile boolean accepting = true;
  private volatile boolean typesFull; // no type can be added any more: new ones count as untyped

  private final ReentrantLock lock = new ReentrantLock();
  private final PendingProgress pending; // guarded by lock
  private final Flusher flusher;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ProgressReporter(Builder b) {
    jobId = b.jobId;
    reporterId = b.reporterId != null ? b.reporterId : newReporterId();
    attempt = b.attempt;
    resumption = b.resumption;
    closeTimeoutNanos = b.closeTimeout.toNanos();
    maxItemTypes = b.maxItemTypes;
    // Each stripe wakes the flusher every 2^quantumShift items: N / stripes, rounded up to a power of two.
    int perStripe = Math.max(1, (b.flushItems + StripedCounter.STRIPES - 1) / StripedCounter.STRIPES);
    quantumShift = 32 - Integer.numberOfLeadingZeros(perStripe - 1);
    pending = new PendingProgress(b, reporterId, untyped);
    flusher = new Flusher(b, reporterId, this, lock, pending);
  }

  // ---------------------------------------------------------------- factories

  /**
   * A builder for a reporter of {@code jobId} sending through {@code sink}.
   *
   * @throws NullPointerException when {@code sink} is null
   * @throws InvalidUpdateException naming {@code jobId} when it is not a valid job id
   */
  public static Builder builder(ProgressSink sink, String jobId) {
    return new Builder(sink, jobId);
  }

  /**
   * Starts a job under a lease ({@link ProgressStore#start}) and returns its reporter: reporter id
   * = the lease's owner (so its renewals match), attempt from the started job, heartbeat every
   * ttl/3, other settings at their defaults.
   *
   * @throws LeaseHeldException when another owner holds the job
   * @throws dev.headway.IllegalTransitionException when the job is finished or must be resumed
   * @throws InvalidUpdateException when {@code first} cannot be applied
   */
  public static ProgressReporter start(ProgressStore store, ProgressUpdate first, LeaseRequest lease) {
    requireNonNull(store, "store");
    requireNonNull(first, "first");
    requireNonNull(lease, "lease");
    JobSnapshot job = store.start(first, lease);
    Builder b = builder(ProgressSink.of(store), first.jobId())
        .reporterId(lease.owner())
        .attempt(job.attempt());
    b.baseProcessed = job.processedItems();
    if (lease.owner().equals(first.reporter())) {
      b.minSeq = first.seq() + 1;
    }
    if (!job.status().isTerminal()) { // a job finished by its first report holds no lease
      b.lease(lease.ttl());
    }
    return b.build();
  }

  /**
   * Resumes an interrupted, failed or paused job ({@link ProgressStore#resume(String, LeaseRequest)})
   * and returns its reporter, configured from the {@link Resumption} (attempt, the processed count
   * to continue from), which {@link #resumption()} gives to the worker for the cursor and a
   * batch's pending children. With a lease, the reporter id is the lease's owner and it renews the
   * lease every ttl/3; with none, a new id is generated and there is no heartbeat.
   *
   * @param lease the lease to take, or null for none
   * @throws dev.headway.NoSuchJobException when there is no such job
   * @throws LeaseHeldException when another owner holds the job
   * @throws dev.headway.IllegalTransitionException when the job cannot be resumed
   */
  public static ProgressReporter resume(ProgressStore store, String jobId, LeaseRequest lease) {
    requireNonNull(store, "store");
    Resumption r = store.resume(jobId, lease);
    Builder b = builder(ProgressSink.of(store), jobId).resumeFrom(r);
    if (lease != null) {
      b.reporterId(lease.owner()).lease(lease.ttl());
    }
    return b.build();
  }

  /**
   * A new reporter id, unique per process run: {@code host-pid-random}. Use it as a lease's owner
   * too. A reporter that restarted under an old id would have its first updates taken for
   * duplicates of the old run's.
   */
  public static String newReporterId() {
    return ReporterIds.newId();
  }

  // ---------------------------------------------------------------- hot path

  /** Counts one item of {@code type}; see {@link #add}. */
  public void increment(String type) {
    add(type, 1);
  }

  /**
   * Counts {@code n} items of {@code type}: adds to {@code itemsByType.<type>} and to {@code
   * processedItems}. Allocates nothing and takes no lock once the type has been seen. Ignored
   * after {@link #complete}, {@link #fail} or {@link #close}.
   *
   * @throws IllegalArgumentException when {@code n} is negative or {@code type} is null, blank or
   *     longer than {@value #MAX_TYPE_LENGTH} characters
   */
  public void add(String type, long n) {
    if (type == null) {
      throw new IllegalArgumentException("type must not be null");
    }
    if (n <= 0) {
      requireNotNegative(n);
      if (counters.get(type) == null) {
        checkType(type); // even a zero add of a bad type is a bug worth reporting
      }
      return;
    }
    if (!accepting) {
      return;
    }
    StripedCounter c = counters.get(type);
    count(c != null ? c : counterFor(type), n);
  }

  /**
   * Counts {@code n} processed items of no particular type ({@code processedItems} only). Ignored
   * after {@link #complete}, {@link #fail} or {@link #close}.
   *
   * @throws IllegalArgumentException when {@code n} is negative
   */
  public void processed(long n) {
    if (n <= 0) {
      requireNotNegative(n);
      return;
    }
    if (accepting) {
      count(untyped, n);
    }
  }

  // A stripe that crossed its quantum is the item trigger: the flusher may have items to send.
  private void count(StripedCounter c, long n) {
    if (c.add(n, quantumShift)) {
      flusher.itemsCounted();
    }
  }

  // ---------------------------------------------------------------- the rest of the job's story

  /**
   * Sets the expected total ({@code totalItems}, absolute), sent with the next update.
   *
   * @throws IllegalArgumentException when {@code n} is negative
   */
  public void total(long n) {
    requireNotNegative(n);
    lock.lock();
    try {
      if (accepting) {
        pending.total(n);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets the current stage, sent with the next update (only the newest of several set between two
   * updates is sent).
   *
   * @throws IllegalArgumentException when {@code name} is null or blank
   */
  public void stage(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name (" + name + ") must not be null or blank");
    }
    lock.lock();
    try {
      if (accepting) {
        pending.stage(name);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets a field of the progress document, merged by the store's rule for it (LAST for
   * {@code currentDataType}, {@code lastProcessedId}, {@code operationType} and any field without
   * a rule): sent with the next update, only the newest of several values set between two updates.
   * At most {@value #MAX_FIELDS} distinct fields wait at once. The counters this reporter keeps
   * ({@code processedItems}, {@code totalItems}, {@code itemsByType}) and the envelope are not
   * fields; use their own methods.
   *
   * @throws IllegalArgumentException when the name is reserved, or one field too many waits
   * @throws dev.headway.InvalidUpdateException naming the field when JSON cannot hold the value
   */
  public void field(String name, Object value) {
    Object normalized = JsonValues.normalize(checkedFieldName(name), value);
    lock.lock();
    try {
      if (accepting && !pending.field(name, normalized, MAX_FIELDS)) {
        throw new IllegalArgumentException("name (" + name + ") would be field " + (MAX_FIELDS + 1)
            + " waiting for the next update; at most " + MAX_FIELDS + " may");
      }
    } finally {
      lock.unlock();
    }
  }

  private static String checkedFieldName(String name) {
    Ids.check("name", name);
    if (ProgressUpdate.ENVELOPE.contains(name) || RESERVED_FIELDS.contains(name)) {
      throw new IllegalArgumentException("name (" + name + ") is reserved; use the reporter's own method for it");
    }
    return name;
  }

  /**
   * Records where a resumed run should start: every count that happened-before this call is
   * covered by {@code cursor}, and the store keeps the cursor atomically with exactly those counts
   * (see the class notes). Sent with the next update; a newer checkpoint replaces an unsent one.
   *
   * @param cursor any JSON value: a string, number, boolean, list or map
   * @throws IllegalArgumentException when {@code cursor} is null
   * @throws InvalidUpdateException naming {@code checkpoint} when it is not a JSON value
   */
  public void checkpoint(Object cursor) {
    checkpoint(cursor, Map.of());
  }

  /**
   * A checkpoint whose update also sets document fields that describe the cursor, such as
   * {@code lastProcessedId} and {@code currentDataType}: they go out with exactly the counts the
   * checkpoint covers, so what the store shows always matches them. A value of one of these
   * fields set with {@link #field} after this call goes with the next update.
   *
   * @throws IllegalArgumentException when {@code cursor} is null or a field name is reserved
   * @throws InvalidUpdateException naming the field when JSON cannot hold a value
   */
  public void checkpoint(Object cursor, Map<String, ?> fields) {
    if (cursor == null) {
      throw new IllegalArgumentException("cursor must not be null");
    }
    Object value = JsonValues.normalize("checkpoint", cursor);
    requireNonNull(fields, "fields");
    if (fields.size() > MAX_FIELDS) {
      throw new IllegalArgumentException("fields (" + fields.size() + ") must be at most " + MAX_FIELDS);
    }
    Map<String, Object> described = new LinkedHashMap<>();
    fields.forEach((name, v) -> described.put(checkedFieldName(name), JsonValues.normalize(name, v)));
    lock.lock();
    try {
      if (accepting) {
        pending.checkpoint(value, described);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a timeline event, stamped with this machine's time (kept as {@code details.reportedAt}).
   * When {@link Builder#maxBufferedEvents} events and errors are waiting, it is dropped and
   * counted instead.
   *
   * @throws InvalidUpdateException naming {@code event} or {@code details} when either is invalid
   */
  public void event(String type, Map<String, ?> details) {
    ReportedEvent e = new ReportedEvent(type,
        details == null ? null : JsonValues.normalizeObject("details", details), Instant.now());
    enqueue(e);
  }

  /**
   * Reports an error (counted by category in the job's error summary, and on its timeline).
   * Buffered like {@link #event}.
   *
   * @param category a category such as {@code RATE_LIMIT}, or null for UNKNOWN
   * @throws InvalidUpdateException naming {@code error.category} when the category is not a word
   */
  public void error(String category, String message) {
    enqueue(new ReportedError(category, message));
  }

  /**
   * Finishes the job: everything counted goes out with status COMPLETED in a final update. Does
   * not wait (close the reporter to wait for delivery); the counting and reporting methods are
   * ignored afterwards. Ignored after {@link #fail} or {@link #close}.
   */
  public void complete() {
    finish(JobStatus.COMPLETED, null, null);
  }

  /**
   * Fails the job: everything counted goes out with status FAILED and {@code reason} as an error
   * of category FAILED. Does not wait; the counting and reporting methods are ignored afterwards.
   * Ignored after {@link #complete} or {@link #close}.
   */
  public void fail(String reason) {
    finish(JobStatus.FAILED, new ReportedError("FAILED", reason == null ? "failed" : reason), null);
  }

  /**
   * Waits until everything reported before this call has been delivered.
   *
   * @return true when it was delivered (or there was nothing to deliver); false when {@code
   *     timeout} passed first or the reporter stopped sending (superseded, lease lost, closed)
   */
  public boolean flush(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (flusher.isStopped() || isSuperseded()) {
      return false;
    }
    long ticket = flusher.requestFlush();
    return flusher.awaitDelivery(ticket, timeout.toNanos());
  }

  /**
   * Sends status INTERRUPTED when neither {@link #complete} nor {@link #fail} was called (with a
   * {@value #REPORTER_CLOSED} event: the job stopped before it finished and can be resumed), waits
   * up to the close timeout for everything to be delivered, and stops the reporter's thread and
   * heartbeat. Whatever is still undelivered then is logged and given up. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    finish(JobStatus.INTERRUPTED, null, new ReportedEvent(REPORTER_CLOSED, Map.of("reason",
        "the reporter was closed before the job completed or failed; the job can be resumed"), Instant.now()));
    long ticket = flusher.requestFlush();
    boolean delivered = isSuperseded() || flusher.awaitDelivery(ticket, closeTimeoutNanos);
    flusher.stop();
    if (!delivered && !isSuperseded()) {
      log.warn("progress reporter for job {} closed with updates not delivered after {} ms; they are lost",
          jobId, TimeUnit.NANOSECONDS.toMillis(closeTimeoutNanos));
    }
  }

  // ---------------------------------------------------------------- accessors

  public String jobId() {
    return jobId;
  }

  /** The reporter name every update carries with its seq. */
  public String reporterId() {
    return reporterId;
  }

  /** The attempt every update is fenced to, or 0 when the reporter was not told one. */
  public int attempt() {
    return attempt == null ? 0 : attempt;
  }

  /** What the job was resumed from, or null when this reporter did not resume it. */
  public Resumption resumption() {
    return resumption;
  }

  /** Updates the sink accepted (applied or recognised as duplicates). */
  public long writes() {
    return flusher.writes();
  }

  /** Sends that failed and were (or will be) retried. */
  public long failedSends() {
    return flusher.failedSends();
  }

  /** Events and errors dropped because the buffer was full. */
  public long droppedEvents() {
    return pending.droppedEvents();
  }

  /** True once a renewal said this run no longer holds the job's lease. */
  public boolean isLeaseLost() {
    return flusher.isLeaseLost();
  }

  /**
   * True once this run may no longer report on the job: the store answered STALE (another attempt
   * owns it) or the lease was lost ({@link #isLeaseLost()}). The reporter has stopped sending;
   * the worker should stop too.
   */
  public boolean isSuperseded() {
    return flusher.isSuperseded();
  }

  /** True once {@link #close} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "ProgressReporter[job=" + jobId + ", reporter=" + reporterId + ", writes=" + writes() + "]";
  }

  /** Events and errors waiting to be sent (for tests of the bound). */
  int bufferedEvents() {
    lock.lock();
    try {
      return pending.bufferedEntries();
    } finally {
      lock.unlock();
    }
  }

  /** The flusher's word that the job belongs to someone else: nothing more is counted or reported. */
  void stopAccepting() {
    accepting = false;
  }

  // ---------------------------------------------------------------- internals

  // The first sight of a type: validate, bound, create. Under the lock, so types stay in order.
  private StripedCounter counterFor(String type) {
    checkType(type);
    if (typesFull) {
      return untyped; // types are never removed: no lock needed to know there is no room
    }
    lock.lock();
    try {
      StripedCounter c = counters.get(type);
      if (c != null) {
        return c;
      }
      if (pending.typeCount() >= maxItemTypes) {
        if (!typesFull) {
          typesFull = true;
          log.warn("progress reporter for job {} counts more than {} item types; items of type {} and "
              + "further new types are counted in processedItems only", jobId, maxItemTypes, type);
          pending.offer(new ReportedEvent(ITEM_TYPES_OVERFLOW, Map.of("maxItemTypes", maxItemTypes,
              "firstType", type), Instant.now()));
        }
        return untyped;
      }
      c = pending.addType(type);
      counters.put(type, c);
      return c;
    } finally {
      lock.unlock();
    }
  }

  private static void checkType(String type) {
    if (type.isBlank() || type.length() > MAX_TYPE_LENGTH) {
      throw new IllegalArgumentException("type (\"" + (type.length() > 60 ? type.substring(0, 60) + "..." : type)
          + "\") must be 1-" + MAX_TYPE_LENGTH + " characters and not blank");
    }
  }

  private static void requireNotNegative(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("n (" + n + ") must not be negative");
    }
  }

  private void enqueue(Object entry) {
    lock.lock();
    try {
      if (accepting) {
        pending.offer(entry);
      }
    } finally {
      lock.unlock();
    }
  }

  private void finish(JobStatus status, ReportedError error, ReportedEvent event) {
    boolean finished;
    lock.lock();
    try {
      accepting = false;
      finished = !isSuperseded() && pending.finish(status, error, event);
    } finally {
      lock.unlock();
    }
    if (finished) {
      flusher.wake();
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Configures a reporter. Each setter checks its argument; {@link #build()} makes an immutable
   * configuration and starts the reporter's thread. Not thread-safe.
   */
  public static final class Builder {
    // Package-private: PendingProgress and Flusher take their settings from here.
    final ProgressSink sink;
    final String jobId;
    String reporterId;
    Integer attempt;
    String type;
    String parentId;
    Resumption resumption;
    long baseProcessed;
    long minSeq;
    int flushItems = DEFAULT_FLUSH_ITEMS;
    Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    Duration leaseTtl;
    Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    int maxBufferedEvents = DEFAULT_MAX_BUFFERED_EVENTS;
    int maxItemTypes = DEFAULT_MAX_ITEM_TYPES;
    Duration retryInitial = DEFAULT_RETRY_INITIAL;
    Duration retryMax = DEFAULT_RETRY_MAX;

    private Builder(ProgressSink sink, String jobId) {
      this.sink = requireNonNull(sink, "sink");
      this.jobId = Ids.check("jobId", jobId);
    }

    /**
     * The name the reporter's updates carry; default: {@link #newReporterId()}. Must be unique per
     * process run, and equal the lease's owner when the reporter renews a lease.
     *
     * @throws InvalidUpdateException naming {@code reporterId} when it is not a valid id
     */
    public Builder reporterId(String id) {
      reporterId = Ids.check("reporterId", id);
      return this;
    }

    /**
     * The attempt the reporter works for: its updates are fenced to it (the store answers STALE
     * once the job has moved on to another attempt). Default: none.
     *
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public Builder attempt(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("attempt (" + n + ") must be at least 1");
      }
      attempt = n;
      return this;
    }

    /**
     * The job's type, sent with the first update.
     *
     * @throws IllegalArgumentException when it is blank or longer than 100 characters
     */
    public Builder type(String t) {
      if (t == null || t.isBlank() || t.length() > ProgressUpdate.MAX_TYPE_LENGTH) {
        throw new IllegalArgumentException("type (" + t + ") must be 1-" + ProgressUpdate.MAX_TYPE_LENGTH
            + " characters and not blank");
      }
      type = t;
      return this;
    }

    /**
     * The batch the job belongs to, sent with the first update.
     *
     * @throws InvalidUpdateException naming {@code parentId} when it is not a valid id or is the
     *     job's own
     */
    public Builder parentId(String id) {
      Ids.check("parentId", id);
      if (id.equals(jobId)) {
        throw new InvalidUpdateException("parentId", id, "must not be the job's own id");
      }
      parentId = id;
      return this;
    }

    /**
     * Continues a resumed job: sets the attempt and the processed count to continue from (the
     * job's {@code processedItems} at the checkpoint), and keeps {@code r} for {@link
     * ProgressReporter#resumption()}.
     *
     * @throws IllegalArgumentException when {@code r} is of another job
     */
    public Builder resumeFrom(Resumption r) {
      requireNonNull(r, "resumption");
      if (!r.job().jobId().equals(jobId)) {
        throw new IllegalArgumentException("resumption (of job " + r.job().jobId() + ") is not of job " + jobId);
      }
      resumption = r;
      attempt = r.attempt();
      baseProcessed = r.job().processedItems();
      return this;
    }

    /**
     * Sends an update once about {@code items} items are counted, or {@code interval} after the
     * previous update, whichever comes first. Default: 500 items, 1 s (see the class notes).
     *
     * @throws IllegalArgumentException when {@code items} is below 1 or {@code interval} is
     *     shorter than 1 ms or longer than 1 hour
     */
    public Builder flushEvery(int items, Duration interval) {
      requireNonNull(interval, "interval");
      if (items < 1) {
        throw new IllegalArgumentException("items (" + items + ") must be at least 1");
      }
      if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("interval (" + interval + ") must be between 1 ms and 1 hour");
      }
      flushItems = items;
      flushInterval = interval;
      return this;
    }

    /**
     * Renews the lease of {@link #reporterId} every {@code ttl}/3 (the heartbeat); use it only when
     * the job was started or resumed under a lease of that owner. Default: no heartbeat.
     *
     * @throws IllegalArgumentException when {@code ttl} is outside the range of {@link LeaseRequest}
     */
    public Builder lease(Duration ttl) {
      requireNonNull(ttl, "ttl");
      if (ttl.compareTo(LeaseRequest.MIN_TTL) < 0 || ttl.compareTo(LeaseRequest.MAX_TTL) > 0) {
        throw new IllegalArgumentException("ttl (" + ttl + ") must be between " + LeaseRequest.MIN_TTL
            + " and " + LeaseRequest.MAX_TTL);
      }
      leaseTtl = ttl;
      return this;
    }

    /**
     * How long {@link ProgressReporter#close} waits for delivery. Default: 10 s.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder closeTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("timeout (" + timeout + ") must not be negative");
      }
      closeTimeout = timeout;
      return this;
    }

    /**
     * Events and errors buffered while waiting to be sent; further ones are dropped and counted.
     * Default: 1000.
     *
     * @throws IllegalArgumentException when below 1 or above 1,000,000
     */
    public Builder maxBufferedEvents(int n) {
      if (n < 1 || n > 1_000_000) {
        throw new IllegalArgumentException("maxBufferedEvents (" + n + ") must be between 1 and 1000000");
      }
      maxBufferedEvents = n;
      return this;
    }

    /**
     * Distinct item types counted in {@code itemsByType}; items of further types are counted in
     * {@code processedItems} only. Keep it at or below the store policy's {@code maxKeys}, or the
     * store refuses the update that adds one key too many. Default: 1000.
     *
     * @throws IllegalArgumentException when below 1 or above 100,000
     */
    public Builder maxItemTypes(int n) {
      if (n < 1 || n > 100_000) {
        throw new IllegalArgumentException("maxItemTypes (" + n + ") must be between 1 and 100000");
      }
      maxItemTypes = n;
      return this;
    }

    /**
     * Backoff of retried sends: the first delay, doubling up to {@code max} (each delay jittered
     * over its upper half); {@code max} is also the pause between rounds. Default: 50 ms, 5 s.
     *
     * @throws IllegalArgumentException when {@code initial} is below 1 ms or above {@code max},
     *     or {@code max} above 1 hour
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      requireNonNull(initial, "initial");
      requireNonNull(max, "max");
      if (initial.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException("initial (" + initial + ") must be at least 1 ms");
      }
      if (max.compareTo(initial) < 0 || max.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("max (" + max + ") must be between initial (" + initial + ") and 1 hour");
      }
      retryInitial = initial;
      retryMax = max;
      return this;
    }

    /**
     * Builds the reporter and starts its thread.
     *
     * @throws IllegalArgumentException when an attempt was set that differs from the resumption's
     */
    public ProgressReporter build() {
      if (resumption != null && attempt != resumption.attempt()) {
        throw new IllegalArgumentException("attempt (" + attempt + ") differs from the resumed job's attempt "
            + resumption.attempt());
      }
      ProgressReporter r = new ProgressReporter(this);
      r.flusher.start();
      return r;
    }
  }
}

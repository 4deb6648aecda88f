package dev.headway.report;

import static dev.headway.report.TestSinks.await;
import static dev.headway.report.TestSinks.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.Resumption;
import dev.headway.TimelineEvent;
import dev.headway.merge.MergePolicy;
import dev.headway.report.TestSinks.Step;
import dev.headway.store.ProgressStore;
import dev.headway.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String[] TYPES = {"issues", "pull_requests", "comments"};

  private final ProgressStore store = ProgressStore.inMemory();

  private static LeaseRequest lease(String owner) {
    return LeaseRequest.of(owner, Duration.ofSeconds(30));
  }

  private static ProgressUpdate first(String jobId) {
    return ProgressUpdate.builder(jobId).type("crawler").build();
  }

  /** Runs {@code perThread} calls of {@code work(thread, i)} on each of {@code threads} threads. */
  private static List<Throwable> runWorkers(int threads, int perThread, Work work) throws InterruptedException {
    Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread w = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < perThread; i++) {
            work.run(thread, i);
          }
        } catch (Throwable e) {
          thrown.add(e);
        }
      }, "worker-" + t);
      w.start();
      workers.add(w);
    }
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    return new ArrayList<>(thrown);
  }

  @FunctionalInterface
  interface Work {
    void run(int thread, int i);
  }

  // ---- 1. many threads, exact totals, few writes ----

  @Test
  void eightThreadsMillionIncrementsStoreExactTotalsWithAHundredTimesFewerWrites() throws Exception {
    store.start(first("hot"), lease("w-hot"));
    TestSinks.Counting sink = new TestSinks.Counting(store);
    ProgressReporter r = ProgressReporter.builder(sink, "hot").reporterId("w-hot").attempt(1).build();
    List<Throwable> thrown = runWorkers(8, 125_000, (t, i) -> r.increment(TYPES[(t + i) % 3]));
    r.complete();
    r.close();

    assertThat(thrown).isEmpty();
    JobSnapshot job = store.get("hot");
    long[] expectedPerType = new long[3];
    for (int t = 0; t < 8; t++) {
      for (int i = 0; i < 125_000; i++) {
        expectedPerType[(t + i) % 3]++;
      }
    }
    for (int k = 0; k < 3; k++) {
      assertThat(number(job, "itemsByType." + TYPES[k])).as(TYPES[k]).isEqualTo(expectedPerType[k]);
    }
    assertThat(job.processedItems()).isEqualTo(1_000_000);
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(r.writes()).isPositive().isLessThanOrEqualTo(10_000);
    assertThat(sink.sends.get()).isEqualTo((int) r.writes()).isLessThanOrEqualTo(10_000);
  }

  @Test
  void seqIncreasesByOnePerUpdateAndEveryUpdateCarriesReporterAndAttempt() throws Exception {
    store.start(first("seq"), lease("w-seq"));
    TestSinks.Counting sink = new TestSinks.Counting(store);
    try (ProgressReporter r = ProgressReporter.builder(sink, "seq").reporterId("w-seq").attempt(1)
        .flushEvery(10, Duration.ofMillis(5)).build()) {
      for (int i = 0; i < 200; i++) {
        r.increment("a");
        if (i % 50 == 0) {
          assertThat(r.flush(WAIT)).isTrue();
        }
      }
      r.complete();
    }
    List<ProgressUpdate> seen = sink.seen();
    assertThat(seen).hasSizeGreaterThan(3);
    for (int i = 0; i < seen.size(); i++) {
      ProgressUpdate u = seen.get(i);
      assertThat(u.reporter()).isEqualTo("w-seq");
      assertThat(u.attempt()).isEqualTo(1);
      assertThat(u.seq()).isEqualTo(seen.get(0).seq() + i);
    }
    assertThat(seen.get(seen.size() - 1).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(number(store.get("seq"), "itemsByType.a")).isEqualTo(200);
  }

  // ---- 2. failures that landed and failures that did not ----

  @Test
  void sinkFailingEveryOtherSendBeforeOrAfterApplyingStillGivesExactTotals() throws Exception {
    List<Step> script = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      script.add(i % 2 == 0 ? Step.FAIL_AFTER : Step.FAIL_BEFORE);
      script.add(Step.OK);
    }
    TestSinks.Scripted sink = new TestSinks.Scripted(store, script);
    ProgressReporter r = ProgressReporter.builder(sink, "flaky").flushEvery(50, Duration.ofMillis(2))
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(4)).closeTimeout(WAIT).build();
    List<Throwable> thrown = runWorkers(4, 20_000, (t, i) -> {
      if (i % 1000 == 0) {
        LockSupport.parkNanos(200_000); // more updates, so more failures, while workers count
      }
      if (i % 7 == 0) {
        r.processed(2);
      } else {
        r.add(TYPES[t % 3], 1 + (i % 3));
      }
    });
    r.complete();
    r.close();

    assertThat(thrown).isEmpty();
    long[] perType = new long[3];
    long untyped = 0;
    for (int t = 0; t < 4; t++) {
      for (int i = 0; i < 20_000; i++) {
        if (i % 7 == 0) {
          untyped += 2;
        } else {
          perType[t % 3] += 1 + (i % 3);
        }
      }
    }
    JobSnapshot job = store.get("flaky");
    for (int k = 0; k < 3; k++) {
      assertThat(number(job, "itemsByType." + TYPES[k])).isEqualTo(perType[k]);
    }
    assertThat(job.processedItems()).isEqualTo(perType[0] + perType[1] + perType[2] + untyped);
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(sink.landedFailures.get()).isPositive();
    assertThat(r.failedSends()).isEqualTo(sink.failures.get());
  }

  @Test
  void aRetriedUpdateIsTheSameUpdateWithTheSameSeq() throws Exception {
    TestSinks.Scripted sink = new TestSinks.Scripted(store,
        List.of(Step.FAIL_AFTER, Step.FAIL_BEFORE, Step.FAIL_AFTER, Step.OK));
    try (ProgressReporter r = ProgressReporter.builder(sink, "same")
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()) {
      r.add("a", 5);
      r.checkpoint("c1");
      r.add("a", 3); // after the capture: must not ride on the retried update
      assertThat(r.flush(WAIT)).isTrue();
    }
    List<ProgressUpdate> seen = sink.seen();
    // Sends 1 and 3 reached the store (the ones that applied before failing), then send 4.
    assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
    assertThat(seen.get(0)).isEqualTo(seen.get(1)).isEqualTo(seen.get(2));
    assertThat(seen.get(0).checkpoint()).isEqualTo("c1");
    assertThat(seen.get(0).fields()).containsEntry("itemsByType", Map.of("a", 5L));
    assertThat(number(store.get("same"), "itemsByType.a")).isEqualTo(8);
  }

  // ---- 3. an outage: workers never wait, totals exact after recovery ----

  @Test
  void workersFinishDuringAnOutageAndTotalsAreExactAfterRecovery() throws Exception {
    TestSinks.Outage sink = new TestSinks.Outage(store);
    sink.down = true;
    ProgressReporter r = ProgressReporter.builder(sink, "outage").flushEvery(100, Duration.ofMillis(5))
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10)).closeTimeout(WAIT).build();
    List<Throwable> thrown = runWorkers(4, 50_000, (t, i) -> r.increment(TYPES[i % 3]));
    // Every worker has finished while the store is still unreachable: nobody waited for it.
    assertThat(sink.down).isTrue();
    assertThat(thrown).isEmpty();
    await("a failed send", () -> sink.refused.get() > 0);
    assertThat(r.writes()).isZero();
    r.event("recovered", Map.of("after", "outage"));

    sink.down = false;
    assertThat(r.flush(WAIT)).isTrue();
    JobSnapshot job = store.get("outage");
    assertThat(job.processedItems()).isEqualTo(200_000);
    long sum = 0;
    for (String t : TYPES) {
      sum += number(job, "itemsByType." + t);
    }
    assertThat(sum).isEqualTo(200_000);
    assertThat(number(job, "itemsByType.issues")).isEqualTo(4 * 16_667);
    assertThat(job.timeline().events()).extracting(TimelineEvent::type).contains("recovered");
    r.close();
  }

  // ---- 5. status and lifecycle ----

  @Test
  void completeSendsTheFinalStatusWithEveryCount() throws Exception {
    try (ProgressReporter r = ProgressReporter.start(store, first("done"), lease("w-done"))) {
      r.total(10);
      r.stage("fetch");
      for (int i = 0; i < 10; i++) {
        r.increment("pages");
      }
      r.complete();
      r.increment("pages"); // after complete: ignored
    }
    JobSnapshot job = store.get("done");
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job.processedItems()).isEqualTo(10);
    assertThat(job.totalItems()).isEqualTo(10);
    assertThat(job.field("stage")).isEqualTo("fetch");
    assertThat(job.lease()).isNull();
  }

  @Test
  void closeWithoutCompleteInterruptsTheJobSoItCanBeResumed() throws Exception {
    ProgressReporter r = ProgressReporter.start(store, first("cut"), lease("w-cut1"));
    r.add("rows", 7);
    r.close();
    r.increment("rows"); // after close: ignored silently
    r.complete(); // likewise
    JobSnapshot job = store.get("cut");
    assertThat(job.status()).isEqualTo(JobStatus.INTERRUPTED);
    assertThat(job.timeline().events()).extracting(TimelineEvent::type).contains(ProgressReporter.REPORTER_CLOSED);
    assertThat(r.isClosed()).isTrue();
    assertThat(r.flush(Duration.ofMillis(10))).isFalse();

    try (ProgressReporter again = ProgressReporter.resume(store, "cut", lease("w-cut2"))) {
      assertThat(again.attempt()).isEqualTo(2);
      assertThat(again.reporterId()).isEqualTo("w-cut2");
      assertThat(again.resumption().job().status()).isEqualTo(JobStatus.RUNNING);
      again.complete();
    }
    assertThat(store.get("cut").status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void failSendsStatusFailedWithTheReasonAsAnError() throws Exception {
    try (ProgressReporter r = ProgressReporter.start(store, first("bad"), lease("w-bad"))) {
      r.increment("x");
      r.error("rate_limited", "429 from upstream");
      r.fail("upstream gone");
    }
    JobSnapshot job = store.get("bad");
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.errors().countsByCategory()).containsEntry("FAILED", 1L).containsEntry("RATE_LIMIT", 1L);
    assertThat(job.errors().recent().get(job.errors().recent().size() - 1).message()).isEqualTo("upstream gone");
    assertThat(job.processedItems()).isEqualTo(1);
  }

  @Test
  void anUpdateOfAnOlderAttemptIsStaleAndTheReporterIsSuperseded() throws Exception {
    store.start(first("taken"), lease("w-old"));
    ProgressReporter old = ProgressReporter.builder(ProgressSink.of(store), "taken").reporterId("w-old")
        .attempt(1).build();
    old.add("a", 3);
    assertThat(old.flush(WAIT)).isTrue();
    store.transition("taken", JobStatus.INTERRUPTED, "operator");
    Resumption r = store.resume("taken", lease("w-new"));
    assertThat(r.attempt()).isEqualTo(2);

    old.add("a", 100);
    assertThat(old.flush(WAIT)).isFalse();
    assertThat(old.isSuperseded()).isTrue();
    assertThat(old.isLeaseLost()).isFalse();
    old.close();
    JobSnapshot job = store.get("taken");
    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(number(job, "itemsByType.a")).isZero(); // rolled back: no checkpoint; the old run's 100 never counted
  }

  @Test
  void theHeartbeatRenewsTheLeaseByTheStoresClock() throws Exception {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    ProgressStore timed = ProgressStore.inMemory(MergePolicy.defaults(), clock);
    Duration ttl = Duration.ofMillis(300);
    try (ProgressReporter r = ProgressReporter.start(timed, first("beat"), LeaseRequest.of("w-beat", ttl))) {
      assertThat(timed.get("beat").lease().expiresAt()).isEqualTo(clock.instant().plus(ttl));
      clock.advance(Duration.ofHours(1));
      await("a renewal", () -> timed.get("beat").lease().expiresAt().equals(clock.instant().plus(ttl)));
      assertThat(r.isLeaseLost()).isFalse();
      r.complete();
    }
    assertThat(timed.get("beat").status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void aLostLeaseStopsTheReporter() throws Exception {
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    ProgressStore timed = ProgressStore.inMemory(MergePolicy.defaults(), clock);
    Duration ttl = Duration.ofMillis(300);
    ProgressReporter r = ProgressReporter.start(timed, first("lost"), LeaseRequest.of("w-a", ttl));
    r.add("a", 2);
    assertThat(r.flush(WAIT)).isTrue();
    // An operator interrupts the run and another resumes the job: the old owner's next renewal fails.
    timed.transition("lost", JobStatus.INTERRUPTED, "operator");
    timed.resume("lost", LeaseRequest.of("w-b", ttl));
    await("the lease loss", r::isLeaseLost);
    assertThat(r.isSuperseded()).isTrue();
    r.add("a", 50);
    assertThat(r.flush(Duration.ofMillis(10))).isFalse();
    r.close();
    JobSnapshot job = timed.get("lost");
    assertThat(job.lease().owner()).isEqualTo("w-b");
    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
  }

  // ---- events, stages, errors, checkpoints, bounds ----

  @Test
  void eventsAndErrorsArriveInTheOrderReported() throws Exception {
    try (ProgressReporter r = ProgressReporter.builder(ProgressSink.of(store), "story").build()) {
      r.event("e1", Map.of("n", 1));
      r.error("NETWORK", "first");
      r.event("e2", null);
      r.error("NETWORK", "second");
      r.error("SYSTEM", "third");
      r.event("e3", Map.of());
      r.complete();
    }
    List<String> story = new ArrayList<>();
    for (TimelineEvent e : store.get("story").timeline().events()) {
      if (e.type().startsWith("e") && !e.type().equals(TimelineEvent.ERROR)) {
        story.add(e.type());
      } else if (e.type().equals(TimelineEvent.ERROR)) {
        story.add(String.valueOf(e.details().get("message")));
      }
    }
    assertThat(story).containsExactly("e1", "first", "e2", "second", "third", "e3");
    assertThat(store.get("story").errors().countsByCategory()).containsEntry("NETWORK", 2L).containsEntry("SYSTEM", 1L);
  }

  @Test
  void eventsBeyondTheBufferAreDroppedAndCountedInOneEvent() throws Exception {
    TestSinks.Outage sink = new TestSinks.Outage(store);
    sink.down = true;
    ProgressReporter r = ProgressReporter.builder(sink, "drops").maxBufferedEvents(10)
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).closeTimeout(WAIT).build();
    r.increment("a"); // so the first update carries no event: it is in flight when the events come
    r.flush(Duration.ZERO);
    await("a failed send", () -> sink.refused.get() > 0);
    for (int i = 0; i < 25; i++) {
      r.event("e" + i, null);
    }
    assertThat(r.bufferedEvents()).isEqualTo(10);
    assertThat(r.droppedEvents()).isEqualTo(15);
    sink.down = false;
    r.complete();
    r.close();
    List<TimelineEvent> events = store.get("drops").timeline().events();
    assertThat(events).extracting(TimelineEvent::type).filteredOn(t -> t.matches("e\\d+"))
        .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
    assertThat(events).filteredOn(e -> e.type().equals(ProgressReporter.EVENTS_DROPPED))
        .singleElement().satisfies(e -> assertThat(e.details()).containsEntry("count", 15L));
  }

  @Test
  void itemsOfTypesBeyondTheBoundCountAsProcessedOnly() throws Exception {
    try (ProgressReporter r = ProgressReporter.builder(ProgressSink.of(store), "many").maxItemTypes(2).build()) {
      r.increment("a");
      r.increment("b");
      r.add("c", 5);
      r.add("d", 2);
      r.increment("a");
      r.complete();
    }
    JobSnapshot job = store.get("many");
    assertThat((Map<?, ?>) job.field("itemsByType")).isEqualTo(Map.of("a", 2L, "b", 1L));
    assertThat(number(job, "itemsByType.a")).isEqualTo(2);
    assertThat(job.processedItems()).isEqualTo(10);
    assertThat(job.timeline().events()).extracting(TimelineEvent::type)
        .containsOnlyOnce(ProgressReporter.ITEM_TYPES_OVERFLOW);
  }

  @Test
  void theNewestCheckpointReplacesAnUnsentOneAndCarriesOnlyCountsUpToItsCapture() throws Exception {
    TestSinks.Counting sink = new TestSinks.Counting(store);
    try (ProgressReporter r = ProgressReporter.builder(sink, "cp").flushEvery(1_000_000, Duration.ofHours(1)).build()) {
      r.add("a", 2);
      r.checkpoint("after-2");
      r.add("a", 3);
      r.checkpoint(Map.of("page", 5));
      r.add("a", 4);
      r.processed(1);
      assertThat(r.flush(WAIT)).isTrue();
    }
    List<ProgressUpdate> seen = sink.seen();
    assertThat(seen.get(0).checkpoint()).isEqualTo(Map.of("page", 5L));
    assertThat(seen.get(0).fields()).containsEntry("itemsByType", Map.of("a", 5L))
        .containsEntry("processedItems", 5L);
    assertThat(seen.get(1).checkpoint()).isNull();
    assertThat(seen.get(1).fields()).containsEntry("itemsByType", Map.of("a", 4L))
        .containsEntry("processedItems", 10L);
    assertThat(store.get("cp").checkpoint().progress()).containsEntry("processedItems", 5L);
  }

  @Test
  void aRefusedUpdateIsDroppedAndTheReporterGoesOn() throws Exception {
    AtomicInteger sends = new AtomicInteger();
    ProgressSink target = ProgressSink.of(store);
    ProgressSink refusesFirst = u -> {
      if (sends.incrementAndGet() == 1) {
        throw new InvalidUpdateException("itemsByType.a", "x", "refused for the test");
      }
      return target.send(u);
    };
    try (ProgressReporter r = ProgressReporter.builder(refusesFirst, "refused").build()) {
      r.add("a", 1);
      assertThat(r.flush(WAIT)).isTrue();
      r.add("a", 2);
      assertThat(r.flush(WAIT)).isTrue();
      assertThat(r.writes()).isEqualTo(1);
    }
    assertThat(number(store.get("refused"), "itemsByType.a")).isEqualTo(2);
  }

  @Test
  void typeAndParentGoOnTheFirstUpdateOnly() throws Exception {
    TestSinks.Counting sink = new TestSinks.Counting(store);
    try (ProgressReporter r = ProgressReporter.builder(sink, "child-1").type("table_sync").parentId("batch-1")
        .build()) {
      r.increment("rows");
      assertThat(r.flush(WAIT)).isTrue();
      r.increment("rows");
      r.complete();
    }
    List<ProgressUpdate> seen = sink.seen();
    assertThat(seen.get(0).type()).isEqualTo("table_sync");
    assertThat(seen.get(0).parentId()).isEqualTo("batch-1");
    assertThat(seen.subList(1, seen.size())).allSatisfy(u -> assertThat(u.type()).isNull());
    assertThat(store.children("batch-1")).extracting(JobSnapshot::jobId).containsExactly("child-1");
  }

  @Test
  void documentFieldsGoOutWithTheNextUpdateNewestValueOnly() throws Exception {
    TestSinks.Counting sink = new TestSinks.Counting(store);
    try (ProgressReporter r = ProgressReporter.builder(sink, "crawl-9").build()) {
      r.field("currentDataType", "issues");
      r.field("lastProcessedId", "issue-1");
      r.field("lastProcessedId", "issue-2");
      r.increment("issues");
      assertThat(r.flush(WAIT)).isTrue();
      r.field("currentDataType", "commits");
      r.complete();
    }
    List<ProgressUpdate> seen = sink.seen();
    assertThat(seen.get(0).fields()).containsEntry("currentDataType", "issues").containsEntry("lastProcessedId", "issue-2");
    assertThat(seen.get(seen.size() - 1).fields()).containsEntry("currentDataType", "commits")
        .doesNotContainKey("lastProcessedId");
    assertThat(store.get("crawl-9").field("currentDataType")).isEqualTo("commits");
    assertThat(store.get("crawl-9").field("lastProcessedId")).isEqualTo("issue-2");
  }

  @Test
  void aCheckpointsFieldsGoWithExactlyTheCountsItCoversAndLaterValuesWait() throws Exception {
    TestSinks.Counting sink = new TestSinks.Counting(store);
    try (ProgressReporter r = ProgressReporter.builder(sink, "crawl-9").build()) {
      r.increment("issues");
      r.field("lastProcessedId", "issue-0"); // superseded by the checkpoint's own value
      r.checkpoint(1, Map.of("lastProcessedId", "issue-1", "currentDataType", "issues"));
      r.increment("issues");
      r.field("lastProcessedId", "issue-2"); // after the capture: belongs to the next update
      assertThat(r.flush(WAIT)).isTrue();
      r.complete();
    }
    List<ProgressUpdate> seen = sink.seen();
    ProgressUpdate withCursor = seen.stream().filter(u -> u.checkpoint() != null).findFirst().orElseThrow();
    assertThat(withCursor.fields()).containsEntry("lastProcessedId", "issue-1")
        .containsEntry("currentDataType", "issues");
    assertThat(withCursor.fields().get("itemsByType")).isEqualTo(Map.of("issues", 1L));
    JobSnapshot s = store.get("crawl-9");
    assertThat(s.field("lastProcessedId")).isEqualTo("issue-2");
    assertThat(s.field("itemsByType.issues")).isEqualTo(2L);
  }

  @Test
  void reservedOrUnwritableFieldsAreRefusedNamingThem() {
    try (ProgressReporter r = ProgressReporter.builder(new TestSinks.Counting(store), "crawl-9").build()) {
      assertThatThrownBy(() -> r.field("processedItems", 3)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("processedItems");
      assertThatThrownBy(() -> r.field("status", "running")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("status");
      assertThatThrownBy(() -> r.field("weird", new Object())).isInstanceOf(InvalidUpdateException.class)
          .hasMessageContaining("weird");
    }
  }

  @Test
  void generatedReporterIdsAreValidAndDistinct() {
    String a = ProgressReporter.newReporterId();
    String b = ProgressReporter.newReporterId();
    assertThat(a).isNotEqualTo(b).matches("[A-Za-z0-9._-]+-\\d+-[0-9a-f]{12}");
    assertThat(LeaseRequest.of(a, Duration.ofSeconds(1)).owner()).isEqualTo(a);
  }

  @Test
  void aSinkWithoutLeasesGetsNoHeartbeatAndNothingBreaks() throws Exception {
    ProgressSink plain = u -> store.apply(u).outcome();
    try (ProgressReporter r = ProgressReporter.builder(plain, "plain").lease(Duration.ofMillis(150)).build()) {
      r.increment("a");
      Thread.sleep(200); // at least one beat is due; the sink's renew answers null
      assertThat(r.isLeaseLost()).isFalse();
      r.complete();
    }
    assertThat(store.get("plain").status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void aStaleAnswerFromAPlainSinkAlsoSupersedes() throws Exception {
    ProgressSink stale = u -> Outcome.STALE;
    try (ProgressReporter r = ProgressReporter.builder(stale, "s").build()) {
      r.increment("a");
      assertThat(r.flush(WAIT)).isFalse();
      assertThat(r.isSuperseded()).isTrue();
    }
  }

  // ---- 6. argument checks name the argument ----

  @Test
  void badArgumentsAreRefusedNamingTheArgument() {
    try (ProgressReporter r = ProgressReporter.builder(ProgressSink.of(store), "args").build()) {
      assertThatThrownBy(() -> r.increment(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
      assertThatThrownBy(() -> r.increment(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
      assertThatThrownBy(() -> r.add("x".repeat(101), 1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("type");
      assertThatThrownBy(() -> r.add("a", -1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("n (-1) must not be negative");
      assertThatThrownBy(() -> r.processed(-5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n (-5)");
      assertThatThrownBy(() -> r.total(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n (-1)");
      assertThatThrownBy(() -> r.stage(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
      assertThatThrownBy(() -> r.checkpoint(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
      assertThatThrownBy(() -> r.checkpoint(new Object())).isInstanceOf(InvalidUpdateException.class)
          .hasMessageContaining("checkpoint");
      assertThatThrownBy(() -> r.event(" ", null)).isInstanceOf(InvalidUpdateException.class).hasMessageContaining("event");
      assertThatThrownBy(() -> r.error("no such!", "m")).isInstanceOf(InvalidUpdateException.class)
          .hasMessageContaining("error.category");
      r.add("a", 0); // zero is allowed and does nothing
    }
    ProgressSink sink = ProgressSink.of(store);
    assertThatThrownBy(() -> ProgressReporter.builder(sink, "bad id")).isInstanceOf(InvalidUpdateException.class)
        .hasMessageContaining("jobId");
    ProgressReporter.Builder b = ProgressReporter.builder(sink, "j");
    assertThatThrownBy(() -> b.reporterId("a b")).hasMessageContaining("reporterId");
    assertThatThrownBy(() -> b.attempt(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("attempt (0) must be at least 1");
    assertThatThrownBy(() -> b.type(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> b.parentId("j")).isInstanceOf(InvalidUpdateException.class).hasMessageContaining("parentId");
    assertThatThrownBy(() -> b.flushEvery(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("items (0)");
    assertThatThrownBy(() -> b.flushEvery(10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
    assertThatThrownBy(() -> b.lease(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> b.closeTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> b.maxBufferedEvents(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBufferedEvents (0)");
    assertThatThrownBy(() -> b.maxItemTypes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxItemTypes (0)");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
    store.apply(ProgressUpdate.builder("other").status("interrupted").build());
    Resumption other = store.resume("other");
    assertThatThrownBy(() -> b.resumeFrom(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resumption");
    ProgressReporter.Builder c = ProgressReporter.builder(sink, "other").resumeFrom(other).attempt(7);
    assertThatThrownBy(c::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempt (7)");
  }
}

package dev.headway.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobStatus;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.ReportedError;
import dev.headway.ReportedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the next update is built from what is pending; single-threaded, no sink, no flusher. */
class PendingProgressTest {
  private final StripedCounter untyped = new StripedCounter();

  private PendingProgress pending(ProgressReporter.Builder b) {
    return new PendingProgress(b, "r-1", untyped);
  }

  private static ProgressReporter.Builder builder() {
    return ProgressReporter.builder(u -> Outcome.APPLIED, "job");
  }

  private static ReportedEvent event(String type) {
    return new ReportedEvent(type, null, Instant.EPOCH);
  }

  private static List<String> eventTypes(ProgressUpdate u) {
    return u.events().stream().map(ReportedEvent::type).toList();
  }

  @Test
  void countsGoOutAsDeltasPerTypeAndProcessedItemsAsTheAbsoluteTotal() {
    PendingProgress p = pending(builder());
    StripedCounter a = p.addType("a");
    a.add(5, 0);
    untyped.add(2, 0);
    assertThat(p.unsentItems()).isEqualTo(7);
    ProgressUpdate first = p.build();
    assertThat(first.fields()).containsEntry("itemsByType", Map.of("a", 5L)).containsEntry("processedItems", 7L);
    assertThat(p.unsentItems()).isZero();
    assertThat(p.hasUnsentReports()).isFalse();

    a.add(3, 0);
    ProgressUpdate second = p.build();
    assertThat(second.fields()).containsEntry("itemsByType", Map.of("a", 3L)).containsEntry("processedItems", 10L);
    assertThat(second.seq()).isEqualTo(first.seq() + 1);
  }

  @Test
  void aCheckpointUpdateCarriesExactlyTheCountsOfItsCaptureAndLaterCountsWait() {
    PendingProgress p = pending(builder());
    StripedCounter a = p.addType("a");
    a.add(5, 0);
    p.checkpoint("c1", Map.of());
    a.add(3, 0);
    StripedCounter b = p.addType("b"); // first seen after the capture: nothing of it is covered
    b.add(4, 0);

    ProgressUpdate withCursor = p.build();
    assertThat(withCursor.checkpoint()).isEqualTo("c1");
    assertThat(withCursor.fields()).containsEntry("itemsByType", Map.of("a", 5L)).containsEntry("processedItems", 5L);
    assertThat(p.lastBuildWasPartial()).isTrue();
    assertThat(p.unsentItems()).isEqualTo(7);

    ProgressUpdate rest = p.build();
    assertThat(rest.checkpoint()).isNull();
    assertThat(rest.fields()).containsEntry("itemsByType", Map.of("a", 3L, "b", 4L))
        .containsEntry("processedItems", 12L);
    assertThat(p.lastBuildWasPartial()).isFalse();
  }

  @Test
  void anErrorIsTakenOnlyAtTheHeadOfAnUpdateSoTheTimelineKeepsItsOrder() {
    PendingProgress p = pending(builder());
    p.offer(event("e1"));
    p.offer(new ReportedError("NETWORK", "x"));
    p.offer(new ReportedError("NETWORK", "y"));
    p.offer(event("e2"));

    ProgressUpdate u1 = p.build();
    assertThat(eventTypes(u1)).containsExactly("e1");
    assertThat(u1.error()).isNull();
    assertThat(p.hasBacklog()).isTrue();
    ProgressUpdate u2 = p.build();
    assertThat(u2.error().message()).isEqualTo("x");
    assertThat(u2.events()).isEmpty();
    ProgressUpdate u3 = p.build();
    assertThat(u3.error().message()).isEqualTo("y");
    assertThat(eventTypes(u3)).containsExactly("e2"); // the store puts the error first
    assertThat(p.hasBacklog()).isFalse();
  }

  @Test
  void theFinalStatusGoesLastAfterTheCheckpointAndTheBacklog() {
    PendingProgress p = pending(builder().maxBufferedEvents(1000));
    p.addType("a").add(1, 0);
    p.checkpoint("c", Map.of());
    for (int i = 0; i < ProgressReporter.MAX_EVENTS_PER_UPDATE + 1; i++) {
      p.offer(event("e" + i));
    }
    assertThat(p.finish(JobStatus.COMPLETED, null, event("last"))).isTrue();
    assertThat(p.finish(JobStatus.FAILED, null, null)).isFalse(); // the first final status stays

    ProgressUpdate u1 = p.build(); // the checkpoint's update never carries the status
    assertThat(u1.checkpoint()).isEqualTo("c");
    assertThat(u1.status()).isNull();
    assertThat(u1.events()).hasSize(ProgressReporter.MAX_EVENTS_PER_UPDATE);
    assertThat(p.finalStatusPending()).isTrue();

    ProgressUpdate u2 = p.build();
    assertThat(u2.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(eventTypes(u2)).containsExactly("e" + ProgressReporter.MAX_EVENTS_PER_UPDATE, "last");
    assertThat(p.finalStatusPending()).isFalse();
    assertThat(p.hasUnsentReports()).isFalse();
  }

  @Test
  void entriesBeyondTheBufferAreCountedAndReportedAsOneEventFirst() {
    PendingProgress p = pending(builder().maxBufferedEvents(2));
    p.offer(event("e0"));
    p.offer(event("e1"));
    p.offer(event("e2"));
    p.offer(new ReportedError(null, "lost too"));
    assertThat(p.bufferedEntries()).isEqualTo(2);
    assertThat(p.droppedEvents()).isEqualTo(2);

    ProgressUpdate u = p.build();
    assertThat(eventTypes(u)).containsExactly(ProgressReporter.EVENTS_DROPPED, "e0", "e1");
    assertThat(u.events().get(0).details()).containsEntry("count", 2L);
    assertThat(p.droppedEvents()).isEqualTo(2); // the total stays; only the unsent count is reset
  }

  @Test
  void typeParentStageAndTotalGoOutOnceUntilChanged() {
    PendingProgress p = pending(builder().type("crawler").parentId("batch"));
    p.stage("fetch");
    p.total(10);
    ProgressUpdate first = p.build();
    assertThat(first.type()).isEqualTo("crawler");
    assertThat(first.parentId()).isEqualTo("batch");
    assertThat(first.fields()).containsEntry("stage", "fetch").containsEntry("totalItems", 10L);
    assertThat(first.reporter()).isEqualTo("r-1");

    p.stage("parse");
    ProgressUpdate second = p.build();
    assertThat(second.type()).isNull();
    assertThat(second.parentId()).isNull();
    assertThat(second.fields()).containsOnlyKeys("stage");
  }

  @Test
  void firstSeqsIncreaseWithinAProcessAndRespectTheMinimum() {
    long a = ReporterIds.firstSeq(0);
    long b = ReporterIds.firstSeq(0);
    assertThat(b).isGreaterThan(a);
    assertThat(ReporterIds.firstSeq(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE - 1);
  }
}

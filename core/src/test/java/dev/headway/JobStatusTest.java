package dev.headway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.merge.MergePolicy;
import dev.headway.store.ProgressStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobStatusTest {

  @Nested
  class Words {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "pending, QUEUED",
        "queued, QUEUED",
        "started, RUNNING",
        "processing, RUNNING",
        "in_progress, RUNNING",
        "running, RUNNING",
        "paused, PAUSED",
        "completed, COMPLETED",
        "failed, FAILED",
        "cancelled, CANCELLED",
        "skipped, SKIPPED",
        "interrupted, INTERRUPTED"})
    void everySeedWordMapsOntoItsStatus(String word, JobStatus expected) {
      assertThat(JobStatus.parse(word)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "PROCESSING, RUNNING",
        "In_Progress, RUNNING",
        "Completed, COMPLETED",
        "PENDING, QUEUED",
        "' failed ', FAILED"})
    void wordsAreReadIgnoringCase(String word, JobStatus expected) {
      assertThat(JobStatus.parse(word)).isEqualTo(expected);
    }

    @Test
    void everyStatusReadsBackFromItsOwnWord() {
      for (JobStatus s : JobStatus.values()) {
        assertThat(JobStatus.parse(s.word())).isEqualTo(s);
        assertThat(JobStatus.parse(s.name())).isEqualTo(s);
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"done", "in-progress", "canceled", "", "   ", "completed!"})
    void unknownWordIsAValidationErrorNamingStatus(String word) {
      assertThatThrownBy(() -> JobStatus.parse(word))
          .isInstanceOfSatisfying(InvalidUpdateException.class, e -> {
            assertThat(e.field()).isEqualTo("status");
            assertThat(e.getMessage()).startsWith("status ").contains("not a known status").contains("processing");
          });
    }

    @Test
    void nullWordIsAValidationErrorNamingStatus() {
      assertThatThrownBy(() -> JobStatus.parse(null))
          .isInstanceOfSatisfying(InvalidUpdateException.class, e -> assertThat(e.field()).isEqualTo("status"));
    }

    @Test
    void builderTakesSeedWords() {
      ProgressUpdate u = ProgressUpdate.builder("j").status("In_Progress").build();

      assertThat(u.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void terminalStatusesAreExactlyTheFinishedOnes() {
      assertThat(List.of(JobStatus.values())).filteredOn(JobStatus::isTerminal).containsExactlyInAnyOrder(
          JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.SKIPPED, JobStatus.INTERRUPTED);
    }

    @Test
    void nothingLeavesATerminalStatusByReport() {
      for (JobStatus from : JobStatus.values()) {
        if (!from.isTerminal()) {
          continue;
        }
        for (JobStatus to : JobStatus.values()) {
          assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(from == to);
        }
      }
    }
  }

  @Nested
  class ThroughAStore {
    private static final String JOB = "sync-1";
    private ProgressStore store;

    @BeforeEach
    void newStore() {
      store = ProgressStore.inMemory(MergePolicy.defaults(),
          Clock.fixed(Instant.parse("2025-01-06T10:00:00Z"), ZoneOffset.UTC));
    }

    private JobSnapshot report(String status) {
      return store.apply(ProgressUpdate.builder(JOB).status(status).build()).snapshot();
    }

    @Test
    void newJobWithoutStatusIsQueued() {
      assertThat(store.apply(ProgressUpdate.builder(JOB).processedItems(1).build()).snapshot().status())
          .isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void lateProcessingAfterCompletedNeverReopensJob() {
      report("processing");
      JobSnapshot completed = report("completed");

      ApplyResult late = store.apply(ProgressUpdate.builder(JOB).status("processing").processedItems(10).build());

      JobSnapshot s = store.get(JOB);
      assertThat(s.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(s.finishedAt()).isEqualTo(completed.finishedAt());
      assertThat(late.newEvents()).extracting(TimelineEvent::type).containsExactly(TimelineEvent.STATUS_IGNORED);
      TimelineEvent ignored = s.timeline().last();
      assertThat(ignored.type()).isEqualTo(TimelineEvent.STATUS_IGNORED);
      assertThat(ignored.details()).containsEntry("requested", "RUNNING").containsEntry("current", "COMPLETED");
      // The rest of the late report still counts: only the status is refused.
      assertThat(s.processedItems()).isEqualTo(10);
    }

    @Test
    void lateReportsNeverMoveAnyTerminalStatus() {
      for (String terminal : List.of("completed", "failed", "cancelled", "skipped", "interrupted")) {
        String id = "job-" + terminal;
        store.apply(ProgressUpdate.builder(id).status("running").build());
        JobStatus expected = store.apply(ProgressUpdate.builder(id).status(terminal).build()).snapshot().status();
        for (String late : List.of("queued", "processing", "paused", "completed", "failed")) {
          store.apply(ProgressUpdate.builder(id).status(late).build());
        }
        assertThat(store.get(id).status()).as(terminal).isEqualTo(expected);
      }
    }

    @Test
    void statusChangesAreRecordedOnTheTimeline() {
      report("processing");
      report("completed");

      assertThat(store.get(JOB).timeline().events())
          .filteredOn(e -> e.type().equals(TimelineEvent.STATUS_CHANGE))
          .extracting(e -> e.details().get("from") + "->" + e.details().get("to"))
          .containsExactly("QUEUED->RUNNING", "RUNNING->COMPLETED");
    }

    @Test
    void resumeOfAnInterruptedJobStartsTheNextAttemptRunning() {
      report("processing");
      JobSnapshot interrupted = report("interrupted");
      assertThat(interrupted.attempt()).isEqualTo(1);

      JobSnapshot resumed = store.resume(JOB).job();

      assertThat(resumed.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(resumed.attempt()).isEqualTo(2);
      assertThat(resumed.finishedAt()).isNull();
      assertThat(resumed.version()).isEqualTo(interrupted.version() + 1);
      assertThat(store.get(JOB)).isEqualTo(resumed);
      assertThat(resumed.timeline().events()).extracting(TimelineEvent::type)
          .contains(TimelineEvent.RESUMED);
    }

    @Test
    void resumedJobReportsNormallyAgain() {
      report("processing");
      report("interrupted");
      store.resume(JOB);

      assertThat(report("completed").status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void resumeOfACompletedJobIsRefusedAndChangesNothing() {
      report("processing");
      JobSnapshot before = report("completed");

      assertThatThrownBy(() -> store.resume(JOB))
          .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
            assertThat(e.jobId()).isEqualTo(JOB);
            assertThat(e.from()).isEqualTo(JobStatus.COMPLETED);
            assertThat(e.to()).isEqualTo(JobStatus.RUNNING);
            assertThat(e.getMessage()).contains(JOB).contains("COMPLETED");
          });
      assertThat(store.get(JOB)).isEqualTo(before);
      assertThat(store.get(JOB).version()).isEqualTo(before.version());
    }

    @Test
    void resumeOfARunningJobIsRefused() {
      JobSnapshot before = report("processing");

      assertThatThrownBy(() -> store.resume(JOB)).isInstanceOf(IllegalTransitionException.class);
      assertThat(store.get(JOB)).isEqualTo(before);
    }

    @Test
    void transitionFromCompletedToRunningIsRefused() {
      report("processing");
      JobSnapshot before = report("completed");

      assertThatThrownBy(() -> store.transition(JOB, JobStatus.RUNNING, "operator"))
          .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
            assertThat(e.from()).isEqualTo(JobStatus.COMPLETED);
            assertThat(e.to()).isEqualTo(JobStatus.RUNNING);
          });
      assertThat(store.get(JOB)).isEqualTo(before);
    }

    @Test
    void transitionFromInterruptedToRunningPointsToResume() {
      report("processing");
      JobSnapshot before = report("interrupted");

      assertThatThrownBy(() -> store.transition(JOB, JobStatus.RUNNING, "operator"))
          .isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining("resume");
      assertThat(store.get(JOB)).isEqualTo(before);
    }

    @Test
    void allowedTransitionIsAppliedWithItsReason() {
      report("processing");

      JobSnapshot paused = store.transition(JOB, JobStatus.PAUSED, "operator pause");

      assertThat(paused.status()).isEqualTo(JobStatus.PAUSED);
      assertThat(paused.timeline().last().details())
          .containsAllEntriesOf(Map.of("from", "RUNNING", "to", "PAUSED", "reason", "operator pause"));
    }

    @Test
    void unknownJobIsNoSuchJob() {
      assertThatThrownBy(() -> store.resume("ghost"))
          .isInstanceOfSatisfying(NoSuchJobException.class, e -> assertThat(e.jobId()).isEqualTo("ghost"));
      assertThatThrownBy(() -> store.transition("ghost", JobStatus.CANCELLED, "x"))
          .isInstanceOf(NoSuchJobException.class);
      assertThatThrownBy(() -> store.get("ghost")).isInstanceOf(NoSuchJobException.class);
      assertThat(store.find("ghost")).isEmpty();
    }
  }
}

package dev.headway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.ApplyResult;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.ProgressUpdate;
import dev.headway.TimelineEvent;
import dev.headway.json.ProgressCodec;
import dev.headway.merge.MergePolicy;
import dev.headway.merge.MergeRule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every validation rule: a bad update names the field it got wrong, and the store holds exactly
 * what it held before (same snapshot, same version, no new job, no listener call).
 */
class ValidationTest {
  private static final String JOB = "crawl-42";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-06T10:00:00Z"), ZoneOffset.UTC);

  private ProgressStore store;
  private final AtomicInteger changes = new AtomicInteger();

  @BeforeEach
  void storeHoldingOneJob() {
    store = storeWith(MergePolicy.defaults());
  }

  private ProgressStore storeWith(MergePolicy policy) {
    ProgressStore s = ProgressStore.inMemory(policy, CLOCK);
    s.apply(ProgressUpdate.builder(JOB)
        .type("crawler")
        .parentId("batch-7")
        .status("processing")
        .processedItems(150)
        .totalItems(1000)
        .items("issues", 50)
        .build());
    s.addListener(new StoreListener() {
      @Override
      public void onChange(JobSnapshot snapshot, List<TimelineEvent> newEvents) {
        changes.incrementAndGet();
      }
    });
    return s;
  }

  @Nested
  class JobIds {
    @Test
    void emptyJobIdIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder("").processedItems(1).build()), "jobId");
    }

    @Test
    void jobIdOf201CharactersIsRejected() {
      String id = "j".repeat(201);

      InvalidUpdateException e = assertRejected(() -> store.apply(ProgressUpdate.builder(id).build()), "jobId");
      assertThat(e.getMessage()).contains("200");
    }

    @Test
    void jobIdOf200CharactersIsAccepted() {
      String id = "j".repeat(200);

      assertThat(store.apply(ProgressUpdate.builder(id).build()).applied()).isTrue();
      assertThat(store.find(id)).isPresent();
    }

    @Test
    void jobIdWithASpaceIsRejected() {
      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder("crawl 42").build()), "jobId");
      assertThat(e.getMessage()).contains("at 5");
    }

    @Test
    void jobIdWithAHashIsRejected() {
      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder("crawl#42").build()), "jobId");
      assertThat(e.getMessage()).contains("'#'");
    }

    @Test
    void jobIdWithABadCharacterFromJsonIsRejected() {
      assertRejected(() -> store.apply(ProgressCodec.defaults().readUpdate("{\"jobId\":\"crawl#42\"}")), "jobId");
    }

    @Test
    void parentIdWithABadCharacterIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder("child-1").parentId("batch 7").build()), "parentId");
    }

    @Test
    void parentIdEqualToJobIdIsRejected() {
      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder(JOB).parentId(JOB).build()), "parentId");
      assertThat(e.getMessage()).contains("own id");
    }
  }

  @Nested
  class ReporterAndSeq {
    @Test
    void reporterWithoutSeqIsRejected() {
      assertRejected(() -> store.apply(new ProgressUpdate(JOB, null, "w1", null, null, null, null,
          Map.of("processedItems", 200L), List.of(), null, null, null)), "seq");
    }

    @Test
    void reporterWithoutSeqFromJsonIsRejected() {
      assertRejected(() -> store.apply(ProgressCodec.defaults().readUpdate(
          "{\"jobId\":\"crawl-42\",\"reporter\":\"w1\",\"processedItems\":200}")), "seq");
    }

    @Test
    void seqWithoutReporterIsRejected() {
      assertRejected(() -> store.apply(new ProgressUpdate(JOB, null, null, 7L, null, null, null,
          Map.of("processedItems", 200L), List.of(), null, null, null)), "reporter");
    }

    @Test
    void seqWithoutReporterFromJsonIsRejected() {
      assertRejected(() -> store.apply(ProgressCodec.defaults().readUpdate(
          "{\"jobId\":\"crawl-42\",\"seq\":7,\"processedItems\":200}")), "reporter");
    }

    @Test
    void negativeSeqIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder(JOB).reporter("w1", -1).processedItems(200).build()),
          "seq");
    }
  }

  @Nested
  class ValuesAgainstRules {
    @Test
    void stringIntoASumFieldIsRejected() {
      InvalidUpdateException e = assertRejected(() -> store.apply(ProgressUpdate.builder(JOB)
          .processedItems(200)
          .field("itemsByType", Map.of("issues", "ten"))
          .build()), "itemsByType.issues");
      assertThat(e.rejectedValue()).isEqualTo("ten");
      assertThat(e.getMessage()).contains("SUM");
    }

    @Test
    void negativeCountIntoASumFieldIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder(JOB).items("issues", -5).build()),
          "itemsByType.issues");
    }

    @Test
    void negativeCountIntoAMaxFieldIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder(JOB).processedItems(-1).build()), "processedItems");
    }

    @Test
    void nanIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder(JOB).field("processedItems", Double.NaN).build()),
          "processedItems");
    }

    @Test
    void infinityIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder(JOB)
          .field("itemsByType", Map.of("issues", Double.POSITIVE_INFINITY)).build()), "itemsByType.issues");
    }

    @Test
    void stringIntoAMaxFieldIsRejected() {
      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder(JOB).field("processedItems", "lots").build()), "processedItems");
      assertThat(e.getMessage()).contains("MAX");
    }

    @Test
    void objectElementIntoAUnionIsRejected() {
      store = storeWith(MergePolicy.defaults().toBuilder().rule("labels", MergeRule.UNION).build());
      store.apply(ProgressUpdate.builder(JOB).field("labels", List.of("bug")).build());

      InvalidUpdateException e = assertRejected(() -> store.apply(ProgressUpdate.builder(JOB)
          .field("labels", List.of("p1", Map.of("name", "x"))).build()), "labels");
      assertThat(e.getMessage()).contains("UNION");
    }

    @Test
    void sumPastLongMaxValueIsRejected() {
      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder(JOB).items("issues", Long.MAX_VALUE).build()),
          "itemsByType.issues");
      assertThat(e.getMessage()).contains("overflow");
    }

    @Test
    void moreKeysThanMaxKeysIsRejected() {
      store = storeWith(MergePolicy.defaults().toBuilder().maxKeys(3).build());

      InvalidUpdateException e = assertRejected(() -> store.apply(ProgressUpdate.builder(JOB)
          .items("prs", 1).items("commits", 1).items("tags", 1).build()), "itemsByType.tags");
      assertThat(e.getMessage()).contains("already holds 3").contains("maxKeys");
    }

    @Test
    void aNewTopLevelFieldBeyondMaxKeysIsRejectedByName() {
      store = storeWith(MergePolicy.defaults().toBuilder().maxKeys(3).build());

      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder(JOB).stage("fetch").build()), "stage");
      assertThat(e.getMessage()).contains("already holds 3");
    }

    @Test
    void envelopeNameAsDocumentFieldIsRejected() {
      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder(JOB).field("status", "completed").build()), "status");
      assertThat(e.getMessage()).contains("envelope");
    }

    @Test
    void valueJsonCannotHoldIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder(JOB).field("startedOn", new Object()).build()),
          "startedOn");
    }
  }

  @Nested
  class JobIdentity {
    @Test
    void changingAJobsTypeIsRejected() {
      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder(JOB).type("sync").processedItems(300).build()), "type");
      assertThat(e.getMessage()).contains("crawler");
    }

    @Test
    void changingAJobsParentIsRejected() {
      InvalidUpdateException e = assertRejected(
          () -> store.apply(ProgressUpdate.builder(JOB).parentId("batch-8").processedItems(300).build()),
          "parentId");
      assertThat(e.getMessage()).contains("batch-7");
    }

    @Test
    void repeatingTheSameTypeAndParentIsAccepted() {
      ApplyResult r = store.apply(ProgressUpdate.builder(JOB).type("crawler").parentId("batch-7")
          .processedItems(300).build());

      assertThat(r.applied()).isTrue();
      assertThat(r.snapshot().processedItems()).isEqualTo(300);
    }
  }

  @Nested
  class Batches {
    @Test
    void badThirdUpdateOfABatchAppliesNoneOfIt() {
      List<ProgressUpdate> batch = List.of(
          ProgressUpdate.builder(JOB).updateId("b-1").processedItems(500).items("issues", 10).build(),
          ProgressUpdate.builder("crawl-43").updateId("b-2").status("processing").processedItems(5).build(),
          ProgressUpdate.builder(JOB).updateId("b-3").field("itemsByType", Map.of("issues", "ten")).build(),
          ProgressUpdate.builder("crawl-44").processedItems(1).build());

      InvalidUpdateException e = assertRejected(() -> store.applyAll(batch), "[2].itemsByType.issues");
      assertThat(e.getMessage()).startsWith("[2].itemsByType.issues");

      assertThat(store.find("crawl-43")).isEmpty();
      assertThat(store.find("crawl-44")).isEmpty();
      // Not applied means not remembered either: the good updates are not duplicates afterwards.
      List<ApplyResult> retried = store.applyAll(batch.subList(0, 2));
      assertThat(retried).allSatisfy(r -> assertThat(r.applied()).isTrue());
      assertThat(store.get(JOB).field("itemsByType.issues")).isEqualTo(60L);
    }

    @Test
    void badUpdateOfABatchOfOnlyNewJobsLeavesNoJobBehind() {
      List<ProgressUpdate> batch = List.of(
          ProgressUpdate.builder("new-1").processedItems(1).build(),
          ProgressUpdate.builder("new-2").processedItems(2).build(),
          ProgressUpdate.builder("new-1").processedItems(-3).build());

      assertRejected(() -> store.applyAll(batch), "[2].processedItems");
      assertThat(store.find("new-1")).isEmpty();
      assertThat(store.find("new-2")).isEmpty();
    }
  }

  @Nested
  class RunsAndCheckpoints {
    @Test
    void anAttemptBelowOneIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder(JOB).attempt(0).processedItems(200).build()), "attempt");
    }

    @Test
    void anAttemptThatIsNotAWholeNumberIsRejectedFromJson() {
      assertRejected(() -> store.apply(ProgressCodec.defaults().readUpdate(
          "{\"jobId\":\"crawl-42\",\"attempt\":\"two\",\"processedItems\":200}")), "attempt");
    }

    @Test
    void aCheckpointJsonCannotHoldIsRejected() {
      assertRejected(() -> store.apply(ProgressUpdate.builder(JOB).checkpoint(new Object()).build()), "checkpoint");
    }

    @Test
    void leaseTimesOutsideTheirBoundsAreRejectedNamingTheField() {
      assertRejected(() -> store.start(ProgressUpdate.builder(JOB).build(),
          dev.headway.LeaseRequest.of("w", java.time.Duration.ofMillis(10))), "lease.ttl");
      assertRejected(() -> store.start(ProgressUpdate.builder(JOB).build(),
          dev.headway.LeaseRequest.of("w", java.time.Duration.ofDays(2))), "lease.ttl");
      assertRejected(() -> store.start(ProgressUpdate.builder(JOB).build(),
          dev.headway.LeaseRequest.of("bad owner!", java.time.Duration.ofSeconds(30))), "owner");
    }
  }

  /**
   * Runs {@code call}, which must throw one InvalidUpdateException naming {@code field} with a
   * readable message, and checks that the store is exactly as before.
   */
  private InvalidUpdateException assertRejected(ThrowingCallable call, String field) {
    JobSnapshot before = store.get(JOB);
    List<JobSnapshot> allBefore = new ArrayList<>(store.query(JobQuery.all().withOrder(JobQuery.Order.ID_ASC)));
    int changesBefore = changes.get();
    InvalidUpdateException[] caught = new InvalidUpdateException[1];

    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidUpdateException.class, e -> {
      caught[0] = e;
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.getMessage()).startsWith(field + " ");
      assertThat(e.reason()).isNotBlank();
    });

    JobSnapshot after = store.get(JOB);
    assertThat(after).isEqualTo(before);
    assertThat(after.version()).isEqualTo(before.version());
    assertThat(store.query(JobQuery.all().withOrder(JobQuery.Order.ID_ASC))).isEqualTo(allBefore);
    assertThat(changes.get()).as("listener calls").isEqualTo(changesBefore);
    assertThat(before.status()).isEqualTo(JobStatus.RUNNING);
    return caught[0];
  }
}

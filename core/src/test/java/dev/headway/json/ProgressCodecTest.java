package dev.headway.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.ErrorCategory;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.LeaseRequest;
import dev.headway.Outcome;
import dev.headway.PayloadTooLargeException;
import dev.headway.ProgressUpdate;
import dev.headway.ReportedEvent;
import dev.headway.TimelineEvent;
import dev.headway.merge.JobState;
import dev.headway.merge.MergePolicy;
import dev.headway.merge.ProgressEngine;
import dev.headway.merge.Step;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProgressCodecTest {
  /** The crawler payload of seed 003, exactly as the issue quotes it. */
  static final String SEED_003 = "{\"jobId\":\"crawl-42\",\"updateId\":\"w1-42\",\"reporter\":\"w1\",\"seq\":42,"
      + "\"type\":\"crawler\",\"parentId\":\"batch-7\",\"status\":\"processing\",\"processedItems\":150,"
      + "\"totalItems\":1000,\"itemsByType\":{\"issues\":50},\"currentDataType\":\"issues\","
      + "\"stage\":\"data_collection\",\"lastProcessedId\":\"issue-9921\","
      + "\"timeline\":[{\"event\":\"stage_change\",\"details\":{\"stage\":\"data_collection\"}}],"
      + "\"error\":{\"category\":\"RATE_LIMIT\",\"message\":\"429 from upstream\"},"
      + "\"metadata\":{\"filters\":{\"since\":\"2025-01-01\"}}}";

  private static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");

  private final ProgressCodec codec = ProgressCodec.defaults();

  @Nested
  class SeedPayload {
    @Test
    void seed003CrawlerPayloadIsAcceptedWithEveryEnvelopeFieldInPlace() {
      ProgressUpdate u = codec.readUpdate(SEED_003);

      assertThat(u.jobId()).isEqualTo("crawl-42");
      assertThat(u.updateId()).isEqualTo("w1-42");
      assertThat(u.reporter()).isEqualTo("w1");
      assertThat(u.seq()).isEqualTo(42L);
      assertThat(u.type()).isEqualTo("crawler");
      assertThat(u.parentId()).isEqualTo("batch-7");
      assertThat(u.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void seed003DocumentFieldsLandInFieldsWithJsonTypes() {
      ProgressUpdate u = codec.readUpdate(SEED_003);

      assertThat(u.fields()).containsOnlyKeys("processedItems", "totalItems", "itemsByType",
          "currentDataType", "stage", "lastProcessedId", "metadata");
      assertThat(u.fields().get("processedItems")).isEqualTo(150L);
      assertThat(u.fields().get("totalItems")).isEqualTo(1000L);
      assertThat(u.fields().get("itemsByType")).isEqualTo(Map.of("issues", 50L));
      assertThat(u.fields().get("currentDataType")).isEqualTo("issues");
      assertThat(u.fields().get("stage")).isEqualTo("data_collection");
      assertThat(u.fields().get("lastProcessedId")).isEqualTo("issue-9921");
      assertThat(u.fields().get("metadata")).isEqualTo(Map.of("filters", Map.of("since", "2025-01-01")));
    }

    @Test
    void seed003TimelineEntryAndErrorAreRead() {
      ProgressUpdate u = codec.readUpdate(SEED_003);

      assertThat(u.events()).hasSize(1);
      ReportedEvent e = u.events().get(0);
      assertThat(e.type()).isEqualTo("stage_change");
      assertThat(e.details()).isEqualTo(Map.of("stage", "data_collection"));
      assertThat(e.at()).isNull();
      assertThat(u.error()).isNotNull();
      assertThat(u.error().category()).isEqualTo(ErrorCategory.RATE_LIMIT);
      assertThat(u.error().message()).isEqualTo("429 from upstream");
    }

    @Test
    void seed003PayloadReadAsBytesOrStreamEqualsReadAsString() throws Exception {
      ProgressUpdate fromString = codec.readUpdate(SEED_003);
      byte[] bytes = SEED_003.getBytes(StandardCharsets.UTF_8);

      assertThat(codec.readUpdate(bytes)).isEqualTo(fromString);
      assertThat(codec.readUpdates(new ByteArrayInputStream(bytes))).containsExactly(fromString);
    }

    @Test
    void onlyJobIdIsRequired() {
      ProgressUpdate u = codec.readUpdate("{\"jobId\":\"j1\"}");

      assertThat(u.jobId()).isEqualTo("j1");
      assertThat(u.updateId()).isNull();
      assertThat(u.reporter()).isNull();
      assertThat(u.seq()).isNull();
      assertThat(u.status()).isNull();
      assertThat(u.fields()).isEmpty();
      assertThat(u.events()).isEmpty();
      assertThat(u.error()).isNull();
    }
  }

  @Nested
  class SingleOrArray {
    @Test
    void readUpdatesAcceptsOneObjectAsAListOfOne() {
      List<ProgressUpdate> us = codec.readUpdates(SEED_003.getBytes(StandardCharsets.UTF_8));

      assertThat(us).containsExactly(codec.readUpdate(SEED_003));
    }

    @Test
    void readUpdatesAcceptsAnArrayInOrder() {
      String json = "[{\"jobId\":\"a\",\"processedItems\":1},{\"jobId\":\"b\",\"processedItems\":2},"
          + SEED_003 + "]";

      List<ProgressUpdate> us = codec.readUpdates(json.getBytes(StandardCharsets.UTF_8));

      assertThat(us).extracting(ProgressUpdate::jobId).containsExactly("a", "b", "crawl-42");
      assertThat(us.get(1).fields()).containsEntry("processedItems", 2L);
      assertThat(us.get(2)).isEqualTo(codec.readUpdate(SEED_003));
    }

    @Test
    void readUpdatesRefusesAnEmptyArray() {
      assertInvalid(() -> codec.readUpdates(bytes("[]")), InvalidUpdateException.BODY, "empty array");
    }

    @Test
    void anErrorInsideAnArrayNamesTheIndexAndTheField() {
      String json = "[{\"jobId\":\"a\",\"status\":\"running\"},{\"jobId\":\"b\",\"status\":\"exploded\"}]";

      assertInvalid(() -> codec.readUpdates(bytes(json)), "[1].status", "not a known status");
    }

    @Test
    void aNonObjectInsideAnArrayNamesTheIndex() {
      assertInvalid(() -> codec.readUpdates(bytes("[{\"jobId\":\"a\"},42]")), "[1]", "JSON object");
    }

    @Test
    void readUpdatesRefusesAScalar() {
      assertInvalid(() -> codec.readUpdates(bytes("\"hello\"")), InvalidUpdateException.BODY, "object or an array");
    }
  }

  @Nested
  class MalformedInput {
    @Test
    void malformedJsonIsABodyErrorWithALocation() {
      InvalidUpdateException e = assertInvalid(() -> codec.readUpdate("{\"jobId\": \"a\", processedItems: 1}"),
          InvalidUpdateException.BODY, "not valid JSON");
      assertThat(e.getMessage()).contains("line 1");
    }

    @Test
    void emptyBodyIsABodyError() {
      assertInvalid(() -> codec.readUpdate(new byte[0]), InvalidUpdateException.BODY, "empty");
      assertInvalid(() -> codec.readUpdate(""), InvalidUpdateException.BODY, "empty");
    }

    @Test
    void whitespaceOnlyBodyIsABodyError() {
      assertInvalid(() -> codec.readUpdate("   \n "), InvalidUpdateException.BODY, "empty");
    }

    @Test
    void nonObjectBodyIsRefused() {
      assertInvalid(() -> codec.readUpdate("[1,2,3]"), InvalidUpdateException.BODY, "JSON object");
      assertInvalid(() -> codec.readUpdate("42"), InvalidUpdateException.BODY, "JSON object");
      assertInvalid(() -> codec.readUpdate("null"), InvalidUpdateException.BODY, "JSON object");
    }

    @Test
    void duplicateKeysAreRefused() {
      InvalidUpdateException e = assertInvalid(
          () -> codec.readUpdate("{\"jobId\":\"a\",\"processedItems\":1,\"processedItems\":2}"),
          InvalidUpdateException.BODY, "not valid JSON");
      assertThat(e.getMessage()).contains("processedItems");
    }

    @Test
    void trailingGarbageAfterTheObjectIsRefused() {
      InvalidUpdateException second = assertInvalid(
          () -> codec.readUpdate("{\"jobId\":\"a\"} {\"jobId\":\"b\"}"),
          InvalidUpdateException.BODY, "more content after the JSON value");
      assertThat(second.getMessage()).contains("column 15");
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\"}xyz"), InvalidUpdateException.BODY, "not valid JSON");
      assertInvalid(() -> codec.readUpdates(bytes("[{\"jobId\":\"a\"}] 1")), InvalidUpdateException.BODY,
          "more content after the JSON value");
    }

    @Test
    void payloadOverTheLimitIsPayloadTooLarge() {
      ProgressCodec small = ProgressCodec.withLimits(100, 10);
      String json = "{\"jobId\":\"a\",\"stage\":\"" + "x".repeat(100) + "\"}";

      assertThatThrownBy(() -> small.readUpdate(json))
          .isInstanceOfSatisfying(PayloadTooLargeException.class, e -> {
            assertThat(e.field()).isEqualTo(InvalidUpdateException.BODY);
            assertThat(e.limitBytes()).isEqualTo(100);
            assertThat(e.getMessage()).contains("100 bytes");
          });
    }

    @Test
    void payloadExactlyAtTheLimitIsAccepted() {
      String prefix = "{\"jobId\":\"a\",\"stage\":\"";
      String json = prefix + "x".repeat(100 - prefix.length() - 2) + "\"}";
      assertThat(json).hasSize(100);

      assertThat(ProgressCodec.withLimits(100, 10).readUpdate(json).fields()).containsKey("stage");
    }

    @Test
    void streamOverTheLimitIsPayloadTooLarge() {
      ProgressCodec small = ProgressCodec.withLimits(100, 10);
      byte[] big = ("[" + "{\"jobId\":\"a\"},".repeat(20) + "{\"jobId\":\"a\"}]").getBytes(StandardCharsets.UTF_8);

      assertThatThrownBy(() -> small.readUpdates(new ByteArrayInputStream(big)))
          .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void defaultLimitIs64KiB() {
      String json = "{\"jobId\":\"a\",\"stage\":\"" + "x".repeat(64 * 1024) + "\"}";

      assertThat(codec.maxPayloadBytes()).isEqualTo(64 * 1024);
      assertThatThrownBy(() -> codec.readUpdate(json)).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void nestingDeeperThanMaxDepthIsRefused() {
      ProgressCodec shallow = ProgressCodec.withLimits(64 * 1024, 5);
      String ok = "{\"jobId\":\"a\",\"metadata\":" + nested(3) + "}";
      String deep = "{\"jobId\":\"a\",\"metadata\":" + nested(10) + "}";

      assertThat(shallow.readUpdate(ok).fields()).containsKey("metadata");
      InvalidUpdateException e = assertInvalid(() -> shallow.readUpdate(deep), InvalidUpdateException.BODY, "nested");
      assertThat(e.getMessage()).contains("5");
    }

    @Test
    void defaultDepthLimitRefusesAThousandNestedArrays() {
      String deep = "{\"jobId\":\"a\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}";

      assertInvalid(() -> codec.readUpdate(deep), InvalidUpdateException.BODY, "nested deeper than 32");
    }

    @Test
    void numberTooLargeFor64BitsNamesTheField() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"processedItems\":99999999999999999999}"),
          "processedItems", "64 bits");
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"itemsByType\":{\"issues\":99999999999999999999}}"),
          "itemsByType.issues", "64 bits");
    }

    @Test
    void longMaxValueStillFits() {
      ProgressUpdate u = codec.readUpdate("{\"jobId\":\"a\",\"processedItems\":" + Long.MAX_VALUE + "}");

      assertThat(u.fields().get("processedItems")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void infiniteFloatingNumberNamesTheField() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"ratio\":1e400}"), "ratio", "finite");
    }

    @Test
    void seqMustBeAWholeNumber() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"reporter\":\"w1\",\"seq\":1.5}"),
          "seq", "whole number");
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"reporter\":\"w1\",\"seq\":\"7\"}"),
          "seq", "whole number");
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"reporter\":\"w1\",\"seq\":99999999999999999999}"),
          "seq", "whole number");
    }

    @Test
    void missingJobIdIsNamed() {
      assertInvalid(() -> codec.readUpdate("{\"processedItems\":1}"), "jobId", "required");
    }

    @Test
    void jobIdThatIsNotAStringIsNamed() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":42}"), "jobId", "string");
    }

    @Test
    void unknownStatusWordNamesStatus() {
      InvalidUpdateException e = assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"status\":\"exploded\"}"),
          "status", "not a known status");
      assertThat(e.rejectedValue()).isEqualTo("exploded");
      assertThat(e.getMessage()).contains("exploded").contains("processing");
    }

    @Test
    void timelineEntryWithoutEventNamesTheEntry() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"timeline\":[{\"details\":{\"x\":1}}]}"),
          "timeline[0].event", "required");
    }

    @Test
    void laterTimelineEntryIsNamedByIndex() {
      String json = "{\"jobId\":\"a\",\"timeline\":[{\"event\":\"ok\"},{\"event\":\"\"}]}";

      assertInvalid(() -> codec.readUpdate(json), "timeline[1].event", "required");
    }

    @Test
    void timelineThatIsNotAnArrayIsNamed() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"timeline\":{\"event\":\"x\"}}"),
          "timeline", "array");
    }

    @Test
    void badTimestampNamesTheEntrysTimestamp() {
      String json = "{\"jobId\":\"a\",\"timeline\":[{\"event\":\"page\",\"timestamp\":\"yesterday noon\"}]}";

      InvalidUpdateException e = assertInvalid(() -> codec.readUpdate(json), "timeline[0].timestamp", "ISO-8601");
      assertThat(e.rejectedValue()).isEqualTo("yesterday noon");
    }

    @Test
    void validTimestampIsKeptAsTheReportersTime() {
      String json = "{\"jobId\":\"a\",\"timeline\":[{\"event\":\"page\",\"timestamp\":\"2025-01-06T19:15:30Z\"}]}";

      assertThat(codec.readUpdate(json).events().get(0).at()).isEqualTo(Instant.parse("2025-01-06T19:15:30Z"));
    }

    @Test
    void errorCategoryThatIsNotAWordNamesErrorCategory() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"error\":{\"category\":\"rate limit!\",\"message\":\"x\"}}"),
          "error.category", "letters");
    }

    @Test
    void envelopeFieldOfTheWrongTypeIsNamed() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"reporter\":7,\"seq\":1}"), "reporter", "string");
    }

    @Test
    void reporterWithoutSeqIsRefused() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"a\",\"reporter\":\"w1\"}"), "seq", "reporter");
    }

    @Test
    void badJobIdCharacterIsNamed() {
      assertInvalid(() -> codec.readUpdate("{\"jobId\":\"crawl 42\"}"), "jobId", "may only contain");
    }
  }

  @Nested
  class RoundTrips {
    @Test
    void seedPayloadSurvivesWriteAndRead() {
      ProgressUpdate u = codec.readUpdate(SEED_003);

      assertThat(codec.readUpdate(codec.writeUpdate(u))).isEqualTo(u);
    }

    @Test
    void builtUpdateWithEveryPartSurvivesWriteAndRead() {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("filters", Map.of("since", "2025-01-01", "labels", List.of("bug", "p1")));
      meta.put("ratio", 0.25);
      meta.put("dryRun", false);
      ProgressUpdate u = ProgressUpdate.builder("sync-7")
          .updateId("u-1")
          .reporter("w2", 9)
          .type("sync")
          .parentId("batch-1")
          .status("paused")
          .processedItems(12)
          .totalItems(40)
          .items("issues", 3)
          .items("prs", 4)
          .stage("fetch")
          .metadata(meta)
          .field("bytes", 1.5)
          .event("page_done", Map.of("page", 3))
          .error("network_error", "connection reset")
          .build();
      ProgressUpdate withTimestamp = new ProgressUpdate(u.jobId(), u.updateId(), u.reporter(), u.seq(), u.type(),
          u.parentId(), u.status(), u.fields(),
          List.of(u.events().get(0), new ReportedEvent("checkpoint", Map.of(), T0.plusMillis(123))), u.error(), 2, Map.of("page", 3L));

      String json = codec.writeUpdate(withTimestamp);
      ProgressUpdate back = codec.readUpdate(json);

      assertThat(back).isEqualTo(withTimestamp);
      assertThat(back.error().category()).isEqualTo(ErrorCategory.NETWORK);
      assertThat(back.status()).isEqualTo(JobStatus.PAUSED);
    }

    @Test
    void minimalUpdateSurvivesWriteAndRead() {
      ProgressUpdate u = ProgressUpdate.builder("j").build();

      String json = codec.writeUpdate(u);

      assertThat(json).isEqualTo("{\"jobId\":\"j\"}");
      assertThat(codec.readUpdate(json)).isEqualTo(u);
    }

    @Test
    void stateBuiltByTheEngineSurvivesWriteAndRead() {
      JobState state = engineHistory();

      JobState back = codec.readState(codec.writeState(state));

      assertThat(back.snapshot()).isEqualTo(state.snapshot());
      assertThat(back.dedupe()).isEqualTo(state.dedupe());
      assertThat(back.stamps()).isEqualTo(state.stamps());
      assertThat(back).isEqualTo(state);
    }

    @Test
    void storedStateSurvivesWriteAndReadWithProgressAndEventsKeptApart() throws Exception {
      JobState state = engineHistory();
      JobSnapshot s = state.snapshot();

      String stored = codec.writeStoredState(state);
      JobState back = codec.readStoredState(stored, codec.write(s.progress()), s.timeline().events());

      com.fasterxml.jackson.databind.JsonNode snapshot = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(stored).path("snapshot");
      assertThat(snapshot.has("progress")).as("progress is stored apart").isFalse();
      assertThat(snapshot.path("timeline").has("events")).as("events are stored apart").isFalse();
      assertThat(back).isEqualTo(state);
      assertThat(back.snapshot().lease()).isEqualTo(s.lease());
      assertThat(back.snapshot().checkpoint()).isEqualTo(s.checkpoint());
      assertThat(back.snapshot().errors()).isEqualTo(s.errors());
      assertThat(back.dedupe().recentUpdateIds()).contains("final");
    }

    @Test
    void aStoredSnapshotReadWithoutDocumentKeepsWhatJudgesLivenessAndNoEvents() {
      JobState state = engineHistory();
      JobSnapshot s = state.snapshot();

      JobSnapshot light = codec.readStoredSnapshotWithoutDocument(codec.writeStoredState(state));

      assertThat(s.timeline().headCount()).as("the history has events in its head").isPositive();
      assertThat(light.jobId()).isEqualTo(s.jobId());
      assertThat(light.status()).isEqualTo(s.status());
      assertThat(light.version()).isEqualTo(s.version());
      assertThat(light.updatedAt()).isEqualTo(s.updatedAt());
      assertThat(light.heartbeatAt()).isEqualTo(s.heartbeatAt());
      assertThat(light.lease()).isEqualTo(s.lease());
      assertThat(light.progress()).isEmpty();
      assertThat(light.timeline().events()).isEmpty();
      assertThat(light.timeline().droppedByType()).isEqualTo(s.timeline().droppedByType());
    }

    @Test
    void storedStateOfAPlainJobLeavesEmptyPartsOutAndReadsBackEqual() throws Exception {
      ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
      JobState state = engine.apply(null, ProgressUpdate.builder("plain").reporter("w1", 1).processedItems(3)
          .build(), T0).state();
      JobSnapshot s = state.snapshot();

      String stored = codec.writeStoredState(state);
      JobState back = codec.readStoredState(stored, codec.write(s.progress()), s.timeline().events());

      com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored);
      assertThat(root.path("snapshot").has("errors")).isFalse();
      assertThat(root.path("snapshot").path("timeline").has("droppedByType")).isFalse();
      assertThat(root.path("dedupe").has("updateIds")).isFalse();
      assertThat(back).isEqualTo(state);
      // The whole form (snapshot API, older stores) still reads back the same.
      assertThat(codec.readState(codec.writeState(state))).isEqualTo(state);
    }

    @Test
    void duplicatesAreStillRecognisedAfterStateRoundTrip() {
      ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
      JobState back = codec.readState(codec.writeState(engineHistory()));
      Instant later = T0.plus(Duration.ofMinutes(10));

      Step bySeq = engine.apply(back, reporterUpdate(3, 7), later);
      Step byUpdateId = engine.apply(back, codec.readUpdate(SEED_003), later);
      Step fresh = engine.apply(back, reporterUpdate(4, 7), later);

      assertThat(bySeq.result().outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(bySeq.state()).isSameAs(back);
      assertThat(byUpdateId.result().outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(fresh.result().outcome()).isEqualTo(Outcome.APPLIED);
      // The resume in the history rolled the counters back to the checkpoint (after seq 3).
      assertThat(fresh.state().snapshot().field("itemsByType.issues")).isEqualTo(50L + 5 + 5 + 7);
    }

    @Test
    void snapshotSurvivesWriteAndRead() {
      JobSnapshot s = engineHistory().snapshot();

      JobSnapshot back = codec.readSnapshot(codec.writeSnapshot(s));

      assertThat(back).isEqualTo(s);
      assertThat(back.timeline().events()).isEqualTo(s.timeline().events());
      assertThat(back.errors()).isEqualTo(s.errors());
      assertThat(back.samples()).isEqualTo(s.samples());
    }

    @Test
    void snapshotWithOverflowedTimelineSurvivesWriteAndRead() {
      ProgressEngine engine = new ProgressEngine(MergePolicy.defaults().toBuilder().timelineCap(10).build());
      JobState state = null;
      for (int i = 0; i < 25; i++) {
        state = engine.apply(state, ProgressUpdate.builder("j").event(i % 2 == 0 ? "even" : "odd", Map.of("i", i))
            .build(), T0.plusSeconds(i)).state();
      }
      JobSnapshot s = state.snapshot();
      assertThat(s.timeline().dropped()).isPositive();

      JobSnapshot back = codec.readSnapshot(codec.writeSnapshot(s));

      assertThat(back).isEqualTo(s);
      assertThat(back.timeline().headCount()).isEqualTo(s.timeline().headCount());
      assertThat(back.timeline().droppedByType()).isEqualTo(s.timeline().droppedByType());
    }

    /** A job that ran through several updates: status, LAST stamps, SUM, errors, events, a resume. */
    private JobState engineHistory() {
      ProgressEngine engine = new ProgressEngine(MergePolicy.defaults());
      JobState s = engine.apply(null, codec.readUpdate(SEED_003), T0).state();
      s = engine.apply(s, reporterUpdate(1, 5), T0.plusSeconds(5)).state();
      s = engine.apply(s, reporterUpdate(3, 5, "issue-3"), T0.plusSeconds(10)).state();
      s = engine.apply(s, reporterUpdate(2, 5), T0.plusSeconds(20)).state();
      s = engine.apply(s, ProgressUpdate.builder("crawl-42").updateId("final").status("interrupted")
          .error("timeout", "read timed out").build(), T0.plusSeconds(30)).state();
      s = engine.resume(s, "crawl-42", new LeaseRequest("worker-1", Duration.ofHours(1), false),
          T0.plusSeconds(40)).state();
      s = engine.apply(s, ProgressUpdate.builder("crawl-42").reporter("w3", 1).processedItems(400)
          .event("checkpoint", Map.of("cursor", "abc")).build(), T0.plusSeconds(50)).state();
      s = engine.apply(s, ProgressUpdate.builder("crawl-42").reporter("w3", 2).processedItems(500).build(),
          T0.plusSeconds(60)).state();
      // Sanity: the history really did something, so the round trips compare something.
      assertThat(s.snapshot().version()).isEqualTo(8);
      assertThat(s.snapshot().attempt()).isEqualTo(2);
      assertThat(s.dedupe().reporters()).containsOnlyKeys("w1", "w2", "w3");
      assertThat(s.stamps()).isNotEmpty();
      assertThat(s.snapshot().samples()).hasSizeGreaterThan(1);
      assertThat(s.snapshot().checkpoint().cursor()).isEqualTo("issue-3");
      assertThat(s.snapshot().lease().owner()).isEqualTo("worker-1");
      return s;
    }

    private ProgressUpdate reporterUpdate(long seq, long issues) {
      return reporterUpdate(seq, issues, null);
    }

    private ProgressUpdate reporterUpdate(long seq, long issues, Object checkpoint) {
      return ProgressUpdate.builder("crawl-42")
          .checkpoint(checkpoint)
          .reporter("w2", seq)
          .processedItems(150 + seq * 10)
          .items("issues", issues)
          .stage("stage-" + seq)
          .lastProcessedId("issue-" + seq)
          .build();
    }
  }

  private static String nested(int depth) {
    return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Asserts one InvalidUpdateException naming {@code field}, whose message is readable. */
  static InvalidUpdateException assertInvalid(ThrowingCallable call, String field, String reasonPart) {
    InvalidUpdateException[] caught = new InvalidUpdateException[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidUpdateException.class, e -> {
      caught[0] = e;
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.getMessage()).startsWith(field + " ").contains(reasonPart);
      assertThat(e.getMessage()).doesNotContain("com.fasterxml").doesNotContain("\n\tat ");
    });
    return caught[0];
  }
}

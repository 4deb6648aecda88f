package dev.headway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.headway.Checkpoint;
import dev.headway.ErrorRecord;
import dev.headway.ErrorSummary;
import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.Lease;
import dev.headway.PayloadTooLargeException;
import dev.headway.ProgressSample;
import dev.headway.ProgressUpdate;
import dev.headway.ReportedError;
import dev.headway.ReportedEvent;
import dev.headway.Timeline;
import dev.headway.TimelineEvent;
import dev.headway.internal.EpochMicros;
import dev.headway.merge.DedupeState;
import dev.headway.merge.FieldStamp;
import dev.headway.merge.JobState;
import dev.headway.merge.ReporterWindow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes Headway's JSON: progress updates (the wire format of seed 003 and more),
 * snapshots, and the full job state stores persist. Thread-safe and immutable.
 *
 * <p>Reading is bounded: a payload over {@link #maxPayloadBytes()} or nested deeper than
 * {@link #maxDepth()} is refused before it is parsed further. Malformed JSON, oversize input and
 * bad fields all give one {@link InvalidUpdateException} whose {@code field()} names the culprit
 * ({@code (body)} for the payload as a whole, {@code [2].status} inside an array).
 */
public final class ProgressCodec {
  /** Default payload limit: 64 KiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
  /** Default nesting limit. */
  public static final int DEFAULT_MAX_DEPTH = 32;

  private static final ProgressCodec DEFAULTS = new ProgressCodec(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_DEPTH);

  private final int maxPayloadBytes;
  private final int maxDepth;
  private final ObjectMapper mapper;
  // For untrusted input: trailing content is checked by hand, for a message without Jackson's names.
  private final ObjectReader treeReader;

  private ProgressCodec(int maxPayloadBytes, int maxDepth) {
    if (maxPayloadBytes < 64) {
      throw new IllegalArgumentException("maxPayloadBytes (" + maxPayloadBytes + ") must be at least 64");
    }
    if (maxDepth < 2 || maxDepth > 1000) {
      throw new IllegalArgumentException("maxDepth (" + maxDepth + ") must be between 2 and 1000");
    }
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxDepth = maxDepth;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.treeReader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The codec with default limits. */
  public static ProgressCodec defaults() {
    return DEFAULTS;
  }

  /** A codec with the given limits. */
  public static ProgressCodec withLimits(int maxPayloadBytes, int maxDepth) {
    return new ProgressCodec(maxPayloadBytes, maxDepth);
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  public int maxDepth() {
    return maxDepth;
  }

  // ---- updates ----

  /**
   * Reads one update.
   *
   * @throws InvalidUpdateException for malformed, oversize or invalid input
   */
  public ProgressUpdate readUpdate(byte[] json) {
    JsonNode node = parse(json);
    if (!node.isObject()) {
      throw new InvalidUpdateException(InvalidUpdateException.BODY, null, "must be a JSON object");
    }
    return UpdateReader.read(node);
  }

  /** Reads one update from a string; see {@link #readUpdate(byte[])}. */
  public ProgressUpdate readUpdate(String json) {
    return readUpdate(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads one update or an array of updates. Every update is checked; errors inside an array
   * are prefixed with the index, as in {@code [3].processedItems}.
   *
   * @throws InvalidUpdateException for malformed, oversize or invalid input
   */
  public List<ProgressUpdate> readUpdates(byte[] json) {
    JsonNode node = parse(json);
    if (node.isObject()) {
      return List.of(UpdateReader.read(node));
    }
    if (!node.isArray()) {
      throw new InvalidUpdateException(InvalidUpdateException.BODY, null,
          "must be a JSON object or an array of objects");
    }
    if (node.isEmpty()) {
      throw new InvalidUpdateException(InvalidUpdateException.BODY, null, "must not be an empty array");
    }
    List<ProgressUpdate> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      try {
        if (!item.isObject()) {
          throw new InvalidUpdateException(InvalidUpdateException.BODY, null, "must be a JSON object");
        }
        out.add(UpdateReader.read(item));
      } catch (InvalidUpdateException e) {
        throw e.under("[" + i + "]");
      }
    }
    return out;
  }

  /**
   * Reads updates from a stream, reading at most {@link #maxPayloadBytes()} + 1 bytes.
   *
   * @throws PayloadTooLargeException when the stream holds more than the limit
   */
  public List<ProgressUpdate> readUpdates(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(maxPayloadBytes + 1);
    return readUpdates(bytes);
  }

  /** The JSON wire form of an update. */
  public String writeUpdate(ProgressUpdate u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", u.jobId());
    putIfSet(m, "updateId", u.updateId());
    putIfSet(m, "reporter", u.reporter());
    putIfSet(m, "seq", u.seq());
    putIfSet(m, "type", u.type());
    putIfSet(m, "parentId", u.parentId());
    if (u.status() != null) {
      m.put("status", u.status().word());
    }
    m.putAll(u.fields());
    if (!u.events().isEmpty()) {
      List<Object> events = new ArrayList<>();
      for (ReportedEvent e : u.events()) {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("event", e.type());
        if (!e.details().isEmpty()) {
          em.put("details", e.details());
        }
        if (e.at() != null) {
          em.put("timestamp", e.at().toString());
        }
        events.add(em);
      }
      m.put("timeline", events);
    }
    if (u.error() != null) {
      m.put("error", Map.of("category", u.error().category(), "message", u.error().message()));
    }
    putIfSet(m, "attempt", u.attempt());
    putIfSet(m, "checkpoint", u.checkpoint());
    return write(m);
  }

  // ---- snapshots ----

  /** The JSON form of a snapshot, as the read API and stores show it. */
  public String writeSnapshot(JobSnapshot s) {
    return write(snapshotMap(s));
  }

  /** The snapshot as a JSON-ready map (ordered, absent values left out). */
  public Map<String, Object> snapshotMap(JobSnapshot s) {
    java.util.function.Function<Instant, Object> time = Instant::toString;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", s.jobId());
    putIfSet(m, "type", s.type());
    putIfSet(m, "parentId", s.parentId());
    m.put("status", s.status().name());
    m.put("attempt", s.attempt());
    m.put("version", s.version());
    m.put("createdAt", time.apply(s.createdAt()));
    putIfSet(m, "startedAt", s.startedAt() == null ? null : time.apply(s.startedAt()));
    m.put("updatedAt", time.apply(s.updatedAt()));
    putIfSet(m, "finishedAt", s.finishedAt() == null ? null : time.apply(s.finishedAt()));
    putIfSet(m, "heartbeatAt", s.heartbeatAt() == null ? null : time.apply(s.heartbeatAt()));
    m.put("progress", s.progress());
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put("countsByCategory", s.errors().countsByCategory());
    List<Object> recent = new ArrayList<>();
    for (ErrorRecord r : s.errors().recent()) {
      recent.add(Map.of("at", time.apply(r.at()), "category", r.category(), "message", r.message()));
    }
    errors.put("recent", recent);
    m.put("errors", errors);
    m.put("timeline", timelineMap(s.timeline()));
    List<Object> samples = new ArrayList<>();
    for (ProgressSample p : s.samples()) {
      samples.add(Map.of("at", time.apply(p.at()), "processed", p.processed()));
    }
    m.put("samples", samples);
    if (s.lease() != null) {
      m.put("lease", Map.of("owner", s.lease().owner(), "expiresAt", time.apply(s.lease().expiresAt())));
    }
    if (s.checkpoint() != null) {
      Map<String, Object> cp = new LinkedHashMap<>();
      cp.put("cursor", s.checkpoint().cursor());
      cp.put("at", time.apply(s.checkpoint().at()));
      cp.put("progress", s.checkpoint().progress());
      m.put("checkpoint", cp);
    }
    return m;
  }

  // Stored state may hold ISO text (snapshots) or epoch microseconds (stores' compact form).
  private static Instant time(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isNumber()) {
      return EpochMicros.toInstant(n.asLong());
    }
    return Instant.parse(n.asText());
  }

  /** A timeline as a JSON-ready map: {@code events}, {@code headCount}, {@code droppedByType}. */
  public Map<String, Object> timelineMap(Timeline t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", eventList(t.events()));
    m.put("headCount", t.headCount());
    m.put("droppedByType", t.droppedByType());
    return m;
  }

  /** Timeline events as JSON-ready maps: {@code at}, {@code event}, {@code details}. */
  public List<Object> eventList(List<TimelineEvent> events) {
    List<Object> out = new ArrayList<>(events.size());
    for (TimelineEvent e : events) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("at", e.at().toString());
      em.put("event", e.type());
      em.put("details", e.details());
      out.add(em);
    }
    return out;
  }

  /**
   * Reads a snapshot written by {@link #writeSnapshot}.
   *
   * @throws IllegalArgumentException when the stored JSON is not a snapshot
   */
  public JobSnapshot readSnapshot(String json) {
    return StateReader.snapshot(parseStored(json), null, null);
  }

  // ---- full state, for stores ----

  /**
   * The full job state (snapshot with its document and events, dedupe windows, LAST stamps), for a
   * store that keeps a job as one JSON document. {@link #readState} reads it back.
   */
  public String writeState(JobState state) {
    return writeState(state, true);
  }

  /**
   * The job state without its progress document and timeline events, for stores that keep
   * those apart (a JSON column of its own, a timeline table). {@link #readStoredState} puts the
   * parts back together.
   */
  public String writeStoredState(JobState state) {
    return writeState(state, false);
  }

  // Streamed, not built as maps: a store writes this on every update. Times are epoch micros and
  // empty parts are left out; the reader takes a missing part as empty, and ISO times as well.
  private String writeState(JobState state, boolean withDocument) {
    return toJson(g -> {
      g.writeStartObject();
      g.writeFieldName("snapshot");
      writeStateSnapshot(g, state.snapshot(), withDocument);
      g.writeObjectFieldStart("dedupe");
      if (!state.dedupe().recentUpdateIds().isEmpty()) {
        g.writeArrayFieldStart("updateIds");
        for (String id : state.dedupe().recentUpdateIds()) {
          g.writeString(id);
        }
        g.writeEndArray();
      }
      g.writeObjectFieldStart("reporters");
      for (Map.Entry<String, ReporterWindow> e : state.dedupe().reporters().entrySet()) {
        ReporterWindow w = e.getValue();
        g.writeObjectFieldStart(e.getKey());
        g.writeNumberField("highWater", w.highWater());
        g.writeArrayFieldStart("bits");
        for (int i = 0, n = w.words(); i < n; i++) {
          g.writeNumber(w.word(i));
        }
        g.writeEndArray();
        g.writeNumberField("lastSeenVersion", w.lastSeenVersion());
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeObjectFieldStart("stamps");
      for (Map.Entry<String, FieldStamp> e : state.stamps().entrySet()) {
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("reporter", e.getValue().reporter());
        g.writeNumberField("seq", e.getValue().seq());
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** The fields of {@link #snapshotMap} in epoch micros; progress and events only {@code withDocument}. */
  private void writeStateSnapshot(JsonGenerator g, JobSnapshot s, boolean withDocument) throws IOException {
    g.writeStartObject();
    g.writeStringField("jobId", s.jobId());
    if (s.type() != null) {
      g.writeStringField("type", s.type());
    }
    if (s.parentId() != null) {
      g.writeStringField("parentId", s.parentId());
    }
    g.writeStringField("status", s.status().name());
    g.writeNumberField("attempt", s.attempt());
    g.writeNumberField("version", s.version());
    g.writeNumberField("createdAt", EpochMicros.of(s.createdAt()));
    writeMicrosIfSet(g, "startedAt", s.startedAt());
    g.writeNumberField("updatedAt", EpochMicros.of(s.updatedAt()));
    writeMicrosIfSet(g, "finishedAt", s.finishedAt());
    writeMicrosIfSet(g, "heartbeatAt", s.heartbeatAt());
    if (withDocument) {
      g.writeFieldName("progress");
      ValueWriter.write(g, s.progress(), mapper);
    }
    if (!s.errors().countsByCategory().isEmpty() || !s.errors().recent().isEmpty()) {
      g.writeObjectFieldStart("errors");
      g.writeFieldName("countsByCategory");
      ValueWriter.write(g, s.errors().countsByCategory(), mapper);
      g.writeArrayFieldStart("recent");
      for (ErrorRecord r : s.errors().recent()) {
        g.writeStartObject();
        g.writeNumberField("at", EpochMicros.of(r.at()));
        g.writeStringField("category", r.category());
        g.writeStringField("message", r.message());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeObjectFieldStart("timeline");
    if (withDocument) {
      g.writeFieldName("events");
      ValueWriter.write(g, eventList(s.timeline().events()), mapper);
    }
    g.writeNumberField("headCount", s.timeline().headCount());
    if (!s.timeline().droppedByType().isEmpty()) {
      g.writeFieldName("droppedByType");
      ValueWriter.write(g, s.timeline().droppedByType(), mapper);
    }
    g.writeEndObject();
    g.writeArrayFieldStart("samples");
    for (ProgressSample p : s.samples()) {
      g.writeStartObject();
      g.writeNumberField("at", EpochMicros.of(p.at()));
      g.writeNumberField("processed", p.processed());
      g.writeEndObject();
    }
    g.writeEndArray();
    if (s.lease() != null) {
      g.writeObjectFieldStart("lease");
      g.writeStringField("owner", s.lease().owner());
      g.writeNumberField("expiresAt", EpochMicros.of(s.lease().expiresAt()));
      g.writeEndObject();
    }
    if (s.checkpoint() != null) {
      g.writeObjectFieldStart("checkpoint");
      g.writeFieldName("cursor");
      ValueWriter.write(g, s.checkpoint().cursor(), mapper);
      g.writeNumberField("at", EpochMicros.of(s.checkpoint().at()));
      g.writeFieldName("progress");
      ValueWriter.write(g, s.checkpoint().progress(), mapper);
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void writeMicrosIfSet(JsonGenerator g, String name, Instant t) throws IOException {
    if (t != null) {
      g.writeNumberField(name, EpochMicros.of(t));
    }
  }

  /**
   * Reads state written by {@link #writeState}.
   *
   * @throws IllegalArgumentException when the stored JSON is not a job state
   */
  public JobState readState(String json) {
    return readState(parseStored(json), null, null);
  }

  /**
   * Reads state written by {@link #writeStoredState}, with the progress document and the kept
   * timeline events (oldest first) that were stored apart.
   *
   * @throws IllegalArgumentException when the stored JSON is not a job state
   */
  public JobState readStoredState(String stateJson, String progressJson, List<TimelineEvent> events) {
    return readState(parseStored(stateJson), readObject(progressJson), events);
  }

  /**
   * The snapshot in state written by {@link #writeStoredState}, without what a store keeps apart:
   * its progress is empty and its timeline holds no events (the dropped counts stay). Enough to
   * judge a job's status, lease and liveness, as a stale-job sweep does, without reading the
   * document and the timeline of every candidate.
   *
   * @throws IllegalArgumentException when the stored JSON is not a job state
   */
  public JobSnapshot readStoredSnapshotWithoutDocument(String stateJson) {
    return StateReader.snapshot(parseStored(stateJson).path("snapshot"), Map.of(), List.of(), true);
  }

  /**
   * Reads a stored JSON object into the immutable value model (ordered maps, lists, Long, Double,
   * String, Boolean).
   *
   * @throws IllegalArgumentException when the JSON is not an object
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> readObject(String json) {
    JsonNode node = parseStored(json);
    if (!node.isObject()) {
      throw new IllegalArgumentException("stored JSON is not an object");
    }
    return (Map<String, Object>) JsonTrees.toValue("", node);
  }

  private JobState readState(JsonNode root, Map<String, Object> progress, List<TimelineEvent> events) {
    JobSnapshot snapshot = StateReader.snapshot(root.path("snapshot"), progress, events);
    JsonNode d = root.path("dedupe");
    List<String> ids = new ArrayList<>();
    d.path("updateIds").forEach(n -> ids.add(n.asText()));
    Map<String, ReporterWindow> windows = new LinkedHashMap<>();
    d.path("reporters").properties().forEach(e -> {
      JsonNode w = e.getValue();
      long[] bits = new long[w.path("bits").size()];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = w.path("bits").get(i).asLong();
      }
      windows.put(e.getKey(), new ReporterWindow(w.path("highWater").asLong(), bits, w.path("lastSeenVersion").asLong()));
    });
    Map<String, FieldStamp> stamps = new LinkedHashMap<>();
    root.path("stamps").properties().forEach(e ->
        stamps.put(e.getKey(), new FieldStamp(e.getValue().path("reporter").asText(), e.getValue().path("seq").asLong())));
    return new JobState(snapshot, DedupeState.of(ids, windows), stamps);
  }

  /** Writes any JSON-ready value (maps, lists, strings, numbers, booleans). */
  public String write(Object value) {
    return toJson(g -> ValueWriter.write(g, value, mapper));
  }

  /** What a body writes, as a string; Jackson's recycled buffers, as writeValueAsString uses. */
  private String toJson(GeneratorBody body) {
    JsonFactory factory = mapper.getFactory();
    BufferRecycler buffers = factory._getBufferRecycler();
    try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
      try (JsonGenerator g = factory.createGenerator(out)) {
        body.writeTo(g);
      }
      return out.getAndClear();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      buffers.releaseToPool();
    }
  }

  private interface GeneratorBody {
    void writeTo(JsonGenerator g) throws IOException;
  }

  // ---- internals ----

  private JsonNode parse(byte[] json) {
    if (json == null || json.length == 0) {
      throw new InvalidUpdateException(InvalidUpdateException.BODY, null, "is empty; expected JSON");
    }
    if (json.length > maxPayloadBytes) {
      throw new PayloadTooLargeException(maxPayloadBytes);
    }
    try (JsonParser parser = mapper.createParser(json)) {
      JsonNode node = treeReader.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw new InvalidUpdateException(InvalidUpdateException.BODY, null, "is empty; expected JSON");
      }
      if (parser.nextToken() != null) {
        throw new InvalidUpdateException(InvalidUpdateException.BODY, null,
            "has more content after the JSON value" + location(parser.currentTokenLocation()));
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new InvalidUpdateException(InvalidUpdateException.BODY, null,
          "is nested deeper than " + maxDepth + " levels");
    } catch (JsonProcessingException e) {
      // Jackson's own message says where; its original text is enough for a user to act on.
      throw new InvalidUpdateException(InvalidUpdateException.BODY, null,
          "is not valid JSON: " + e.getOriginalMessage() + location(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String location(JsonProcessingException e) {
    return location(e.getLocation());
  }

  private static String location(com.fasterxml.jackson.core.JsonLocation at) {
    return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private JsonNode parseStored(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored job JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value instanceof Instant i ? i.toString() : value);
    }
  }

  /** Parsing of the update wire format. */
  static final class UpdateReader {
    private UpdateReader() {}

    static ProgressUpdate read(JsonNode node) {
      String jobId = text(node, "jobId");
      if (jobId == null) {
        throw new InvalidUpdateException("jobId", null, "is required");
      }
      String updateId = text(node, "updateId");
      String reporter = text(node, "reporter");
      Long seq = null;
      JsonNode seqNode = node.get("seq");
      if (seqNode != null && !seqNode.isNull()) {
        if (!seqNode.isIntegralNumber() || !seqNode.canConvertToLong()) {
          throw new InvalidUpdateException("seq", seqNode, "must be a whole number");
        }
        seq = seqNode.asLong();
      }
      String type = text(node, "type");
      String parentId = text(node, "parentId");
      String statusWord = text(node, "status");
      JobStatus status = statusWord == null ? null : JobStatus.parse(statusWord);
      List<ReportedEvent> events = events(node.get("timeline"));
      ReportedError error = error(node.get("error"));
      Integer attempt = null;
      JsonNode attemptNode = node.get("attempt");
      if (attemptNode != null && !attemptNode.isNull()) {
        if (!attemptNode.isIntegralNumber() || !attemptNode.canConvertToInt()) {
          throw new InvalidUpdateException("attempt", attemptNode, "must be a whole number");
        }
        attempt = attemptNode.asInt();
      }
      JsonNode cursor = node.get("checkpoint");
      Object checkpoint = cursor == null || cursor.isNull() ? null : JsonTrees.toValue("checkpoint", cursor);
      Map<String, Object> fields = new LinkedHashMap<>();
      node.properties().forEach(e -> {
        if (!ProgressUpdate.ENVELOPE.contains(e.getKey())) {
          fields.put(e.getKey(), JsonTrees.toValue(e.getKey(), e.getValue()));
        }
      });
      return new ProgressUpdate(jobId, updateId, reporter, seq, type, parentId, status, fields, events, error,
          attempt, checkpoint);
    }

    private static String text(JsonNode node, String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        throw new InvalidUpdateException(field, v, "must be a string");
      }
      return v.textValue();
    }

    private static List<ReportedEvent> events(JsonNode timeline) {
      if (timeline == null || timeline.isNull()) {
        return List.of();
      }
      if (!timeline.isArray()) {
        throw new InvalidUpdateException("timeline", null, "must be an array of events");
      }
      List<ReportedEvent> out = new ArrayList<>(timeline.size());
      for (int i = 0; i < timeline.size(); i++) {
        String prefix = "timeline[" + i + "]";
        JsonNode e = timeline.get(i);
        try {
          if (!e.isObject()) {
            throw new InvalidUpdateException(InvalidUpdateException.BODY, null, "must be an object with an event field");
          }
          String type = text(e, "event");
          JsonNode details = e.get("details");
          if (details != null && !details.isNull() && !details.isObject()) {
            throw new InvalidUpdateException("details", null, "must be an object");
          }
          Instant at = null;
          String ts = text(e, "timestamp");
          if (ts != null) {
            try {
              at = Instant.parse(ts);
            } catch (DateTimeParseException ex) {
              throw new InvalidUpdateException("timestamp", ts, "must be an ISO-8601 instant such as 2025-01-06T19:15:30Z");
            }
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> d = details == null || details.isNull() ? null
              : (Map<String, Object>) JsonTrees.toValue("details", details);
          out.add(new ReportedEvent(type, d, at));
        } catch (InvalidUpdateException ex) {
          throw ex.under(prefix);
        }
      }
      return out;
    }

    private static ReportedError error(JsonNode error) {
      if (error == null || error.isNull()) {
        return null;
      }
      if (error.isTextual()) {
        return new ReportedError(null, error.textValue());
      }
      if (!error.isObject()) {
        throw new InvalidUpdateException("error", null, "must be an object with category and message");
      }
      try {
        return new ReportedError(text(error, "category"), text(error, "message"));
      } catch (InvalidUpdateException e) {
        throw e.field().startsWith("error.") ? e : e.under("error");
      }
    }
  }

  /** Parsing of stored snapshots. Lenient about fields it does not know, for later versions. */
  static final class StateReader {
    private StateReader() {}

    static JobSnapshot snapshot(JsonNode n, Map<String, Object> storedProgress, List<TimelineEvent> storedEvents) {
      return snapshot(n, storedProgress, storedEvents, false);
    }

    /** With {@code withoutEvents} (and no events given) the timeline keeps only its dropped counts. */
    @SuppressWarnings("unchecked")
    static JobSnapshot snapshot(JsonNode n, Map<String, Object> storedProgress, List<TimelineEvent> storedEvents,
        boolean withoutEvents) {
      if (!n.isObject()) {
        throw new IllegalArgumentException("stored snapshot is not a JSON object");
      }
      Map<String, Object> progress = storedProgress != null ? storedProgress
          : (Map<String, Object>) JsonTrees.toValue("progress", n.path("progress"));
      Map<String, Long> counts = new LinkedHashMap<>();
      n.path("errors").path("countsByCategory").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
      List<ErrorRecord> recent = new ArrayList<>();
      n.path("errors").path("recent").forEach(r ->
          recent.add(new ErrorRecord(time(r.path("at")), r.path("category").asText(), r.path("message").asText())));
      List<TimelineEvent> events = storedEvents != null ? storedEvents : new ArrayList<>();
      if (storedEvents == null) {
        n.path("timeline").path("events").forEach(e -> {
          Map<String, Object> details = (Map<String, Object>) JsonTrees.toValue("details", e.path("details"));
          events.add(new TimelineEvent(Instant.parse(e.path("at").asText()), e.path("event").asText(), details));
        });
      }
      Map<String, Long> dropped = new LinkedHashMap<>();
      n.path("timeline").path("droppedByType").properties().forEach(e -> dropped.put(e.getKey(), e.getValue().asLong()));
      List<ProgressSample> samples = new ArrayList<>();
      n.path("samples").forEach(p -> samples.add(new ProgressSample(time(p.path("at")), p.path("processed").asLong())));
      return JobSnapshot.builder(n.path("jobId").asText(), instant(n, "createdAt"))
          .type(optText(n, "type"))
          .parentId(optText(n, "parentId"))
          .status(JobStatus.valueOf(n.path("status").asText()))
          .attempt(n.path("attempt").asInt(1))
          .version(n.path("version").asLong(1))
          .startedAt(instant(n, "startedAt"))
          .updatedAt(instant(n, "updatedAt"))
          .finishedAt(instant(n, "finishedAt"))
          .heartbeatAt(instant(n, "heartbeatAt"))
          .progress(progress == null ? Map.of() : progress)
          .errors(new ErrorSummary(counts, recent))
          .timeline(Timeline.of(events, withoutEvents ? 0 : n.path("timeline").path("headCount").asInt(0), dropped))
          .samples(samples)
          .lease(lease(n.get("lease")))
          .checkpoint(checkpoint(n.get("checkpoint")))
          .build();
    }

    private static Lease lease(JsonNode n) {
      return n == null || n.isNull() ? null : new Lease(n.path("owner").asText(), time(n.path("expiresAt")));
    }

    @SuppressWarnings("unchecked")
    private static Checkpoint checkpoint(JsonNode n) {
      if (n == null || n.isNull()) {
        return null;
      }
      return new Checkpoint(JsonTrees.toValue("checkpoint", n.path("cursor")),
          (Map<String, Object>) JsonTrees.toValue("checkpoint.progress", n.path("progress")), time(n.path("at")));
    }

    private static String optText(JsonNode n, String field) {
      JsonNode v = n.get(field);
      return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
      return time(n.get(field));
    }
  }
}

package dev.headway.examples.http;

import static java.util.Objects.requireNonNull;

import dev.headway.ApplyResult;
import dev.headway.InvalidUpdateException;
import dev.headway.PayloadTooLargeException;
import dev.headway.ProgressUpdate;
import dev.headway.json.ProgressCodec;
import dev.headway.store.ProgressStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/internal/jobs/progress}, without any web framework: authenticates, limits the
 * size, decodes, validates, applies and answers. A host app on any server translates its request
 * into {@link #handle} and the {@link Response} back.
 *
 * <p>The body is one update (answered with one {@code {"jobId","version","status","duplicate",
 * "outcome"}} object) or an array of updates, applied as one batch through {@link
 * ProgressStore#applyAll} (answered with an array). Nothing invalid is half-applied: the codec
 * checks every update before any is applied, and the store applies a batch all or nothing.
 *
 * <p>Answers: 200, 400 {@code {"error","field"}}, 401, 405, 413, 415, and 503 when the store
 * fails (logged here, without the token; the answer says no more). Thread-safe.
 */
public final class ProgressEndpoint {
  /** The path the seed's crawler posts to. */
  public static final String PATH = "/api/internal/jobs/progress";

  private static final Logger LOG = LoggerFactory.getLogger(ProgressEndpoint.class);

  private final ProgressStore store;
  private final BearerToken token;
  private final ProgressCodec codec;

  public ProgressEndpoint(ProgressStore store, BearerToken token) {
    this(store, token, ProgressCodec.defaults());
  }

  public ProgressEndpoint(ProgressStore store, BearerToken token, ProgressCodec codec) {
    this.store = requireNonNull(store, "store");
    this.token = requireNonNull(token, "token");
    this.codec = requireNonNull(codec, "codec");
  }

  /** The largest body accepted, in bytes. */
  public int maxBodyBytes() {
    return codec.maxPayloadBytes();
  }

  /**
   * Handles one request.
   *
   * @param contentLength the declared length, or -1 when unknown (chunked)
   * @param body read at most {@link #maxBodyBytes()} + 1 bytes; not closed here
   */
  public Response handle(String method, String contentType, String authorization, long contentLength,
      InputStream body) {
    if (!"POST".equals(method)) {
      return Response.methodNotAllowed("POST");
    }
    if (!token.allowsHeader(authorization)) {
      return Response.unauthorized();
    }
    if (!isJson(contentType)) {
      return Response.error(415, "the body must be application/json", null);
    }
    if (contentLength > codec.maxPayloadBytes()) {
      return tooLarge();
    }
    List<ProgressUpdate> updates;
    boolean array;
    try {
      // Read one byte past the limit, never more: a body of unknown length cannot fill the heap.
      byte[] bytes = body.readNBytes(codec.maxPayloadBytes() + 1);
      if (bytes.length > codec.maxPayloadBytes()) {
        return tooLarge();
      }
      updates = codec.readUpdates(bytes);
      array = firstNonBlank(bytes) == '[';
    } catch (PayloadTooLargeException e) {
      return tooLarge();
    } catch (InvalidUpdateException e) {
      return invalid(e);
    } catch (IOException e) {
      return Response.error(400, "the body could not be read", InvalidUpdateException.BODY);
    }
    try {
      if (!array) {
        return Response.json(200, answer(store.apply(updates.get(0))));
      }
      List<Object> out = new ArrayList<>(updates.size());
      for (ApplyResult r : store.applyAll(updates)) {
        out.add(answer(r));
      }
      return Response.json(200, out);
    } catch (InvalidUpdateException e) {
      return invalid(e);
    } catch (RuntimeException e) {
      LOG.warn("Progress update not stored: {}", e.toString());
      return Response.error(503, "the progress store is unavailable; retry later", null)
          .withHeader("Retry-After", "1");
    }
  }

  private Response tooLarge() {
    return Response.error(413, "the body is larger than the limit of " + codec.maxPayloadBytes() + " bytes",
        InvalidUpdateException.BODY);
  }

  private static Response invalid(InvalidUpdateException e) {
    return Response.error(400, e.getMessage(), e.field());
  }

  private static Map<String, Object> answer(ApplyResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", r.snapshot().jobId());
    m.put("version", r.snapshot().version());
    m.put("status", r.snapshot().status().name());
    m.put("duplicate", r.duplicate());
    m.put("outcome", r.outcome().name());
    return m;
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return t.equals("application/json") || (t.startsWith("application/") && t.endsWith("+json"));
  }

  private static int firstNonBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB
          && b != (byte) 0xBF) {
        return b;
      }
    }
    return -1;
  }
}

package dev.headway.examples.http;

import static java.util.Objects.requireNonNull;

import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.examples.cli.JsonOutput;
import dev.headway.json.ProgressCodec;
import dev.headway.store.JobQuery;
import dev.headway.store.ProgressStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read API, without any web framework:
 * <ul>
 *   <li>{@code GET /api/jobs?status=running,failed&type=T&parent=P&limit=N}: {@code {"jobs":[...]}}
 *   <li>{@code GET /api/jobs/{id}}: the job with its timeline and {@code derived} percent, rate, ETA
 *   <li>{@code GET /api/jobs/{id}/children}: {@code {"jobs":[...]}}, oldest first
 *   <li>{@code GET /api/jobs/{id}/timeline}: the job's timeline
 * </ul>
 * A bearer token is required unless the API is public. Job ids may hold {@code /}; a path ending
 * in {@code /children} or {@code /timeline} names the sub-resource when the job before it exists.
 * Thread-safe.
 */
public final class ReadApi {
  /** The prefix of every path this class answers. */
  public static final String JOBS = "/api/jobs";

  private static final ProgressCodec CODEC = ProgressCodec.defaults();

  private final ProgressStore store;
  private final BearerToken token;
  private final boolean publicRead;
  private final Clock clock;

  /** @param token may be null only when {@code publicRead} */
  public ReadApi(ProgressStore store, BearerToken token, boolean publicRead) {
    this.store = requireNonNull(store, "store");
    if (token == null && !publicRead) {
      throw new IllegalArgumentException("a token is required unless reads are public");
    }
    this.token = token;
    this.publicRead = publicRead;
    this.clock = store.clock();
  }

  /** True when this API answers {@code path}. */
  public static boolean serves(String path) {
    return path.equals(JOBS) || path.startsWith(JOBS + "/");
  }

  /** True when a request with these credentials may read. */
  public boolean mayRead(String authorization, String queryToken) {
    return publicRead || token.allowsHeader(authorization) || (queryToken != null && token.allowsToken(queryToken));
  }

  /**
   * Handles one request.
   *
   * @param path the decoded path
   * @param rawQuery the query string as sent (percent-encoded), or null
   */
  public Response handle(String method, String path, String rawQuery, String authorization) {
    if (!serves(path)) {
      return Response.notFound("no such resource");
    }
    if (!"GET".equals(method)) {
      return Response.methodNotAllowed("GET");
    }
    if (!mayRead(authorization, null)) {
      return Response.unauthorized();
    }
    if (path.equals(JOBS) || path.equals(JOBS + "/")) {
      return list(query(rawQuery));
    }
    String rest = path.substring(JOBS.length() + 1);
    for (String sub : List.of("children", "timeline")) {
      String suffix = "/" + sub;
      if (rest.endsWith(suffix)) {
        Optional<JobSnapshot> job = store.find(rest.substring(0, rest.length() - suffix.length()));
        if (job.isPresent()) {
          return sub.equals("children") ? children(job.get()) : timeline(job.get());
        }
      }
    }
    return store.find(rest)
        .map(s -> Response.json(200, JsonOutput.job(s, clock, true)))
        .orElseGet(() -> Response.notFound("no job " + rest));
  }

  private Response list(Map<String, String> params) {
    JobQuery q = JobQuery.all();
    try {
      String status = params.get("status");
      if (status != null && !status.isBlank()) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String word : status.split(",")) {
          statuses.add(JobStatus.parse(word));
        }
        q = q.withStatuses(statuses);
      }
    } catch (InvalidUpdateException e) {
      return Response.error(400, e.getMessage(), "status");
    }
    if (params.get("type") != null) {
      q = q.withType(params.get("type"));
    }
    if (params.get("parent") != null) {
      q = q.withParentId(params.get("parent"));
    }
    if (params.get("limit") != null) {
      int limit;
      try {
        limit = Integer.parseInt(params.get("limit").strip());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
        return Response.error(400, "limit (\"" + shorten(params.get("limit")) + "\") must be between 1 and "
            + JobQuery.MAX_LIMIT, "limit");
      }
      q = q.withLimit(limit);
    }
    return jobs(store.query(q));
  }

  private Response children(JobSnapshot parent) {
    return jobs(store.children(parent.jobId()));
  }

  private Response jobs(List<JobSnapshot> snapshots) {
    List<Object> out = new ArrayList<>(snapshots.size());
    for (JobSnapshot s : snapshots) {
      out.add(JsonOutput.job(s, clock, false));
    }
    return Response.json(200, Map.of("jobs", out));
  }

  private static Response timeline(JobSnapshot s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", s.jobId());
    m.put("version", s.version());
    m.putAll(CODEC.timelineMap(s.timeline()));
    return Response.json(200, m);
  }

  /** The decoded parameters of a query string; the first of repeated names wins. */
  static Map<String, String> query(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.putIfAbsent(name, value);
      } catch (IllegalArgumentException e) {
        // A malformed escape: ignore the pair rather than fail the whole request.
      }
    }
    return out;
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

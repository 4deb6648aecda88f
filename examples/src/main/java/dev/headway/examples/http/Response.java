package dev.headway.examples.http;

import static java.util.Objects.requireNonNull;

import dev.headway.examples.cli.JsonOutput;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP answer, independent of any server: a status, headers and a JSON body (UTF-8).
 * Immutable. Bodies never hold stack traces or secrets: errors are {@code {"error", "field"}}.
 */
public record Response(int status, Map<String, String> headers, String body) {
  /** The content type of every body. */
  public static final String JSON = "application/json; charset=utf-8";

  public Response {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status (" + status + ") must be between 100 and 599");
    }
    headers = Map.copyOf(headers);
    requireNonNull(body, "body");
  }

  /** An answer with {@code value} written as JSON. */
  public static Response json(int status, Object value) {
    return new Response(status, Map.of("Content-Type", JSON), JsonOutput.write(value));
  }

  /** An error answer: {@code {"error": message}}, plus {@code "field"} when not null. */
  public static Response error(int status, String message, String field) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    if (field != null) {
      m.put("field", field);
    }
    return json(status, m);
  }

  /** The same answer with one more header. */
  public Response withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, h, body);
  }

  /** The body as bytes. */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  static Response unauthorized() {
    return error(401, "a valid bearer token is required", null)
        .withHeader("WWW-Authenticate", "Bearer realm=\"headway\"");
  }

  static Response methodNotAllowed(String allow) {
    return error(405, "method not allowed; use " + allow, null).withHeader("Allow", allow);
  }

  static Response notFound(String message) {
    return error(404, message, null);
  }

  static Response tooManyRequests() {
    return error(429, "the server is busy; retry later", null).withHeader("Retry-After", "1");
  }
}

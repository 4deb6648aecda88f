package dev.headway.examples.http;

import static java.util.Objects.requireNonNull;

import dev.headway.InvalidUpdateException;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.json.ProgressCodec;
import dev.headway.report.ProgressSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link ProgressSink} that posts each update to a Headway endpoint ({@link ProgressEndpoint})
 * in another process, with a bearer token. Any failure to deliver (I/O, 429, 5xx, any other
 * non-2xx) throws {@link DeliveryException}, so the reporter sends the same update (same seq)
 * again and the server recognises a delivery that did land as a duplicate. A 400 throws {@link
 * InvalidUpdateException} naming the field, as a local store would.
 *
 * <p>Leases are not renewed over HTTP: {@link #renew} is the default null, so a reporter on this
 * sink sends no heartbeats. Thread-safe.
 */
public final class HttpProgressSink implements ProgressSink {
  private static final ProgressCodec CODEC = ProgressCodec.defaults();

  private final URI endpoint;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * @param endpoint the full URL, e.g. {@code http://127.0.0.1:7070/api/internal/jobs/progress}
   * @param timeout how long one request may take
   */
  public HttpProgressSink(URI endpoint, String token, Duration timeout) {
    this.endpoint = requireNonNull(endpoint, "endpoint");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the token must not be blank");
    }
    this.authorization = "Bearer " + token.strip();
    this.timeout = requireNonNull(timeout, "timeout");
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout).build();
  }

  /** A sink posting to {@code baseUrl} + {@link ProgressEndpoint#PATH} unless the URL names a path. */
  public static HttpProgressSink to(String url, String token) {
    URI uri = URI.create(url);
    if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
      uri = uri.resolve(ProgressEndpoint.PATH);
    }
    return new HttpProgressSink(uri, token, Duration.ofSeconds(30));
  }

  @Override
  public Outcome send(ProgressUpdate update) {
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.ofString(CODEC.writeUpdate(update)))
        .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("progress not delivered to " + endpoint + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException(endpoint, -1, "interrupted");
    }
    int status = response.statusCode();
    if (status == 200) {
      Map<String, Object> answer = CODEC.readObject(response.body());
      if (Boolean.TRUE.equals(answer.get("duplicate"))) {
        return Outcome.DUPLICATE;
      }
      return "STALE".equals(answer.get("outcome")) ? Outcome.STALE : Outcome.APPLIED;
    }
    if (status == 400) {
      Map<String, Object> answer;
      try {
        answer = CODEC.readObject(response.body());
      } catch (RuntimeException e) {
        throw new DeliveryException(endpoint, status, "unreadable 400 answer");
      }
      String field = answer.get("field") instanceof String f ? f : InvalidUpdateException.BODY;
      throw new InvalidUpdateException(field, null, "was refused by " + endpoint + ": " + answer.get("error"));
    }
    throw new DeliveryException(endpoint, status, "HTTP " + status);
  }

  @Override
  public String toString() {
    return "HttpProgressSink(" + endpoint + ")";
  }

  /** An update was not delivered; sending it again may succeed. */
  public static final class DeliveryException extends RuntimeException {
    private final int status;

    DeliveryException(URI endpoint, int status, String what) {
      super("progress not delivered to " + endpoint + ": " + what);
      this.status = status;
    }

    /** The HTTP status, or -1 when there was none. */
    public int status() {
      return status;
    }
  }
}

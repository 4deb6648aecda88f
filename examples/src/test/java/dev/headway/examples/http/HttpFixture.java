package dev.headway.examples.http;

import dev.headway.ApplyResult;
import dev.headway.JobSnapshot;
import dev.headway.ProgressUpdate;
import dev.headway.merge.JobCommand;
import dev.headway.merge.MergePolicy;
import dev.headway.store.JobQuery;
import dev.headway.store.ProgressStore;
import dev.headway.store.StoreListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A client for tests, and a store wrapper that can hold writers back. */
final class HttpFixture {
  static final String TOKEN = "s3cret-token";

  private HttpFixture() {}

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static URI uri(ProgressServer server, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  static HttpResponse<String> post(HttpClient client, ProgressServer server, String body, String contentType,
      String authorization) throws IOException, InterruptedException {
    return client.send(postRequest(server, body, contentType, authorization), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest postRequest(ProgressServer server, String body, String contentType, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, ProgressEndpoint.PATH)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }

  static HttpResponse<String> get(HttpClient client, ProgressServer server, String pathAndQuery, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, pathAndQuery)).timeout(Duration.ofSeconds(20)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Delegates to a store, first calling {@code beforeWrite} on every apply and applyAll. */
  static final class GatedStore implements ProgressStore {
    private final ProgressStore delegate;
    private final Consumer<Object> beforeWrite;

    GatedStore(ProgressStore delegate, Consumer<Object> beforeWrite) {
      this.delegate = delegate;
      this.beforeWrite = beforeWrite;
    }

    @Override public ApplyResult apply(ProgressUpdate update) {
      beforeWrite.accept(update);
      return delegate.apply(update);
    }

    @Override public List<ApplyResult> applyAll(List<ProgressUpdate> updates) {
      beforeWrite.accept(updates);
      return delegate.applyAll(updates);
    }

    @Override public Optional<JobSnapshot> find(String jobId) { return delegate.find(jobId); }
    @Override public List<JobSnapshot> query(JobQuery query) { return delegate.query(query); }
    @Override public ApplyResult execute(String jobId, JobCommand command) { return delegate.execute(jobId, command); }
    @Override public int purgeFinishedBefore(Instant cutoff) { return delegate.purgeFinishedBefore(cutoff); }
    @Override public AutoCloseable addListener(StoreListener listener) { return delegate.addListener(listener); }
    @Override public MergePolicy policy() { return delegate.policy(); }
    @Override public Clock clock() { return delegate.clock(); }
  }
}

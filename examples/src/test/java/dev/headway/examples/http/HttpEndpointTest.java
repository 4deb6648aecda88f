package dev.headway.examples.http;

import static dev.headway.examples.http.HttpFixture.TOKEN;
import static dev.headway.examples.http.HttpFixture.get;
import static dev.headway.examples.http.HttpFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.json.ProgressCodec;
import dev.headway.store.ProgressStore;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
  private static final String AUTH = "Bearer " + TOKEN;
  private static final String JSON = "application/json";
  private static final ProgressCodec CODEC = ProgressCodec.defaults();

  private ProgressStore store;
  private ProgressServer server;
  private final HttpClient client = HttpFixture.client();

  @BeforeEach
  void start() {
    store = ProgressStore.inMemory();
    server = ProgressServer.start(store, new InetSocketAddress("127.0.0.1", 0), TOKEN, false);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private static String update(String jobId, String reporter, long seq, String itemsJson) {
    return "{\"jobId\":\"" + jobId + "\",\"reporter\":\"" + reporter + "\",\"seq\":" + seq
        + ",\"status\":\"processing\",\"itemsByType\":" + itemsJson + "}";
  }

  private static Map<String, Object> object(HttpResponse<String> r) {
    return CODEC.readObject(r.body());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> array(HttpResponse<String> r) {
    return (List<Map<String, Object>>) CODEC.readObject("{\"a\":" + r.body() + "}").get("a");
  }

  @Test
  void singleUpdateIsAppliedAndAnsweredWithItsVersionAndStatus() throws Exception {
    HttpResponse<String> r = post(client, server, update("crawl-1", "w1", 1, "{\"issues\":5}"), JSON, AUTH);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(JSON));
    JobSnapshot job = store.get("crawl-1");
    assertThat(object(r)).containsEntry("jobId", "crawl-1").containsEntry("status", "RUNNING")
        .containsEntry("duplicate", false).containsEntry("outcome", "APPLIED");
    assertThat(((Number) object(r).get("version")).longValue()).isEqualTo(job.version());
    assertThat(job.field("itemsByType.issues")).isEqualTo(5L);
  }

  @Test
  void arrayIsAppliedAsOneBatchAndAnsweredWithAnArray() throws Exception {
    String body = "[" + update("a", "w1", 1, "{\"issues\":2}") + "," + update("b", "w1", 1, "{\"commits\":3}") + ","
        + update("a", "w1", 2, "{\"issues\":4}") + "]";
    HttpResponse<String> r = post(client, server, body, "application/json; charset=utf-8", AUTH);

    assertThat(r.statusCode()).isEqualTo(200);
    List<Map<String, Object>> answers = array(r);
    assertThat(answers).extracting(m -> m.get("jobId")).containsExactly("a", "b", "a");
    assertThat(answers).extracting(m -> m.get("duplicate")).containsOnly(false);
    assertThat(((Number) answers.get(2).get("version")).longValue()).isEqualTo(store.get("a").version());
    assertThat(store.get("a").field("itemsByType.issues")).isEqualTo(6L);
    assertThat(store.get("b").field("itemsByType.commits")).isEqualTo(3L);
  }

  @Test
  void resentUpdateIsAnsweredAsDuplicateAndCountsOnce() throws Exception {
    String body = update("crawl-2", "w1", 7, "{\"issues\":5}");
    post(client, server, body, JSON, AUTH);
    HttpResponse<String> again = post(client, server, body, JSON, AUTH);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(object(again)).containsEntry("duplicate", true).containsEntry("outcome", "DUPLICATE");
    assertThat(store.get("crawl-2").field("itemsByType.issues")).isEqualTo(5L);
  }

  @Test
  void badValueIs400WithTheFieldAndNothingApplied() throws Exception {
    HttpResponse<String> r = post(client, server, update("bad", "w1", 1, "{\"issues\":\"ten\"}"), JSON, AUTH);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(object(r)).containsEntry("field", "itemsByType.issues");
    assertThat((String) object(r).get("error")).contains("itemsByType.issues").doesNotContain("Exception");
    assertThat(store.find("bad")).isEmpty();
  }

  @Test
  void badUpdateInAnArrayRejectsTheWholeBatch() throws Exception {
    String body = "[" + update("ok", "w1", 1, "{\"issues\":2}") + "," + update("ok", "w1", 2, "{\"issues\":-1}") + "]";
    HttpResponse<String> r = post(client, server, body, JSON, AUTH);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(object(r)).containsEntry("field", "[1].itemsByType.issues");
    assertThat(store.find("ok")).isEmpty();
  }

  @Test
  void malformedJsonIs400ForTheBodyWithoutStackTrace() throws Exception {
    HttpResponse<String> r = post(client, server, "{\"jobId\": \"x\", ", JSON, AUTH);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(object(r)).containsEntry("field", "(body)");
    assertThat(r.body()).doesNotContain("at com.").doesNotContain("at dev.").doesNotContain("Exception");
    assertThat(store.find("x")).isEmpty();
  }

  @Test
  void missingOrWrongTokenIs401WithBearerChallenge() throws Exception {
    for (String auth : new String[] {null, "Bearer wrong", "Basic " + TOKEN, "Bearer"}) {
      HttpResponse<String> r = post(client, server, update("x", "w1", 1, "{\"issues\":1}"), JSON, auth);
      assertThat(r.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(r.body()).doesNotContain(TOKEN);
    }
    assertThat(store.find("x")).isEmpty();
  }

  @Test
  void bodyOverTheLimitIs413ByLengthAndByBytesRead() throws Exception {
    String big = "{\"jobId\":\"big\",\"metadata\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}";
    HttpResponse<String> byLength = post(client, server, big, JSON, AUTH);
    assertThat(byLength.statusCode()).isEqualTo(413);

    // Chunked: no Content-Length, so only the cap on bytes read can catch it.
    byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
    HttpRequest chunked = HttpRequest.newBuilder(HttpFixture.uri(server, ProgressEndpoint.PATH))
        .header("Content-Type", JSON).header("Authorization", AUTH)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
    HttpResponse<String> byBytes = client.send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(byBytes.statusCode()).isEqualTo(413);
    assertThat(store.find("big")).isEmpty();
  }

  @Test
  void nonJsonContentTypeIs415() throws Exception {
    assertThat(post(client, server, update("x", "w1", 1, "{}"), "text/plain", AUTH).statusCode()).isEqualTo(415);
    assertThat(post(client, server, update("x", "w1", 1, "{}"), null, AUTH).statusCode()).isEqualTo(415);
    assertThat(store.find("x")).isEmpty();
  }

  @Test
  void unknownPathsAre404AndWrongMethodsAre405() throws Exception {
    assertThat(get(client, server, "/nope", AUTH).statusCode()).isEqualTo(404);
    assertThat(get(client, server, "/", AUTH).statusCode()).isEqualTo(200); // the dashboard
    assertThat(get(client, server, "/index.htm", AUTH).statusCode()).isEqualTo(404);
    HttpResponse<String> getOnPost = get(client, server, ProgressEndpoint.PATH, AUTH);
    assertThat(getOnPost.statusCode()).isEqualTo(405);
    assertThat(getOnPost.headers().firstValue("Allow")).hasValue("POST");
    HttpRequest postOnRead = HttpRequest.newBuilder(HttpFixture.uri(server, "/api/jobs"))
        .header("Authorization", AUTH).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    assertThat(client.send(postOnRead, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
  }

  @Test
  void fullQueueIsAnswered429WithRetryAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ProgressStore gated = new HttpFixture.GatedStore(store, u -> {
      entered.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ProgressServer tiny = ProgressServer.start(gated, new InetSocketAddress("127.0.0.1", 0), TOKEN, false,
        new ProgressServer.Limits(1, 1, 4, Duration.ofSeconds(15)));
    try {
      CompletableFuture<HttpResponse<String>> first = client.sendAsync(
          HttpFixture.postRequest(tiny, update("q", "w1", 1, "{\"issues\":1}"), JSON, AUTH),
          HttpResponse.BodyHandlers.ofString());
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue(); // the only worker is busy
      CompletableFuture<HttpResponse<String>> queued = client.sendAsync(
          HttpFixture.postRequest(tiny, update("q", "w1", 2, "{\"issues\":1}"), JSON, AUTH),
          HttpResponse.BodyHandlers.ofString());
      for (int i = 0; i < 500 && tiny.queuedRequests() == 0; i++) {
        Thread.sleep(10);
      }
      assertThat(tiny.queuedRequests()).isEqualTo(1); // and the queue is full
      HttpResponse<String> rejected = post(client, tiny, update("q", "w1", 3, "{\"issues\":1}"), JSON, AUTH);
      assertThat(rejected.statusCode()).isEqualTo(429);
      assertThat(rejected).isNotNull();
      assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(queued.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    } finally {
      release.countDown();
      tiny.close();
    }
  }

  @Test
  void readApiNeedsTheTokenAndAnswersJobsChildrenTimeline() throws Exception {
    post(client, server, "{\"jobId\":\"batch-1\",\"type\":\"batch\",\"status\":\"processing\"}", JSON, AUTH);
    post(client, server, "{\"jobId\":\"batch-1/t1\",\"parentId\":\"batch-1\",\"type\":\"table\",\"status\":"
        + "\"processing\",\"processedItems\":25,\"totalItems\":100,\"timeline\":[{\"event\":\"hello\"}]}", JSON, AUTH);

    assertThat(get(client, server, "/api/jobs", null).statusCode()).isEqualTo(401);
    assertThat(get(client, server, "/api/jobs/batch-1", "Bearer nope").statusCode()).isEqualTo(401);

    HttpResponse<String> list = get(client, server, "/api/jobs?type=table&status=running,failed&limit=10", AUTH);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("\"jobId\":\"batch-1/t1\"").doesNotContain("\"jobId\":\"batch-1\"");

    HttpResponse<String> job = get(client, server, "/api/jobs/batch-1/t1", AUTH);
    assertThat(job.statusCode()).isEqualTo(200);
    Map<String, Object> m = object(job);
    assertThat(m).containsEntry("jobId", "batch-1/t1").containsKey("derived");
    assertThat(((Map<?, ?>) m.get("derived")).get("percent")).isEqualTo(25.0);

    HttpResponse<String> children = get(client, server, "/api/jobs/batch-1/children", AUTH);
    assertThat(children.statusCode()).isEqualTo(200);
    assertThat(children.body()).contains("\"jobId\":\"batch-1/t1\"");

    HttpResponse<String> timeline = get(client, server, "/api/jobs/batch-1/t1/timeline", AUTH);
    assertThat(timeline.statusCode()).isEqualTo(200);
    assertThat(timeline.body()).contains("\"events\"").contains("hello");

    HttpResponse<String> unknown = get(client, server, "/api/jobs/nope", AUTH);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(object(unknown)).containsKey("error");
    assertThat(get(client, server, "/api/jobs?status=sleeping", AUTH).statusCode()).isEqualTo(400);
    assertThat(get(client, server, "/api/jobs?limit=0", AUTH).statusCode()).isEqualTo(400);
  }

  @Test
  void publicReadServesWithoutTokenButStillGuardsWrites() throws Exception {
    store.apply(dev.headway.ProgressUpdate.builder("pub").status("processing").build());
    try (ProgressServer open = ProgressServer.start(store, new InetSocketAddress("127.0.0.1", 0), TOKEN, true)) {
      assertThat(get(client, open, "/api/jobs", null).statusCode()).isEqualTo(200);
      assertThat(get(client, open, "/api/jobs/pub", null).statusCode()).isEqualTo(200);
      assertThat(post(client, open, update("pub", "w", 1, "{}"), JSON, null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void eventStreamPushesAJobEventAfterAPost() throws Exception {
    assertThat(get(client, server, EventStream.PATH, null).statusCode()).isEqualTo(401);

    HttpRequest subscribe = HttpRequest.newBuilder(HttpFixture.uri(server, EventStream.PATH + "?token=" + TOKEN))
        .GET().build();
    HttpResponse<InputStream> stream = client.send(subscribe, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/event-stream"));
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo(": connected");
      post(client, server, update("live", "w1", 1, "{\"issues\":3}"), JSON, AUTH);
      CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line; (line = lines.readLine()) != null; ) {
            if (line.equals("event: job")) {
              return lines.readLine();
            }
          }
          return null;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      String line = data.get(10, TimeUnit.SECONDS);
      assertThat(line).startsWith("data: ").contains("\"jobId\":\"live\"").contains("\"derived\"");
    }
  }
}

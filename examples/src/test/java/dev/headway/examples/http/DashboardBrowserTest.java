package dev.headway.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.headway.ProgressUpdate;
import dev.headway.store.ProgressStore;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard (GET /) in a real headless Chromium: Debian's chromium driven through the system
 * chromedriver, so nothing is downloaded. Skipped when either binary is missing, unless
 * {@code HEADWAY_REQUIRE_BROWSER=1}.
 */
class DashboardBrowserTest {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String TOKEN = HttpFixture.TOKEN;
  private static final long TOTAL = 400;

  private ProgressStore store;
  private ProgressServer server;
  private WebDriver driver;
  private Path profile;
  private ScheduledExecutorService feeder;

  @BeforeEach
  void start() throws IOException {
    boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    if (!present) {
      String why = "DashboardBrowserTest: " + CHROMIUM + " or " + CHROMEDRIVER
          + " is missing (apt-get install chromium chromium-driver)";
      if ("1".equals(System.getenv("HEADWAY_REQUIRE_BROWSER"))) {
        fail(why + ", and HEADWAY_REQUIRE_BROWSER=1");
      }
      System.out.println(why + "; skipped");
      Assumptions.assumeTrue(false, why);
    }
    store = ProgressStore.inMemory();
    server = ProgressServer.start(store, new InetSocketAddress("127.0.0.1", 0), TOKEN, false);
    profile = Files.createTempDirectory("headway-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws IOException {
    if (feeder != null) {
      feeder.shutdownNow();
    }
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void pageIsServedAsHtml() throws Exception {
    HttpResponse<String> r = HttpFixture.get(HttpFixture.client(), server, "/", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(r.body()).contains("<title>Headway dashboard</title>");
    assertThat(HttpFixture.get(HttpFixture.client(), server, "/index.html", null).statusCode()).isEqualTo(200);
    assertThat(HttpFixture.get(HttpFixture.client(), server, "/nope.js", null).statusCode()).isEqualTo(404);
  }

  @Test
  void showsJobsLiveAndTheirFinalState() throws Exception {
    // A batch with children in different states, and a crawl that is about to start.
    store.apply(ProgressUpdate.builder("batch-1").type("import").status("running").build());
    store.apply(ProgressUpdate.builder("batch-1/a").type("import-part").parentId("batch-1").status("running")
        .totalItems(10).processedItems(10).build());
    store.apply(ProgressUpdate.builder("batch-1/a").status("completed").build());
    store.apply(ProgressUpdate.builder("batch-1/b").type("import-part").parentId("batch-1").status("running")
        .totalItems(10).processedItems(3).build());
    store.apply(ProgressUpdate.builder("batch-1/b").status("failed").error("io", "disk full").build());
    store.apply(ProgressUpdate.builder("batch-1/c").type("import-part").parentId("batch-1").status("running")
        .totalItems(10).processedItems(4).build());
    store.apply(ProgressUpdate.builder("crawl-1").type("crawl").status("running").totalItems(TOTAL)
        .processedItems(0).stage("fetch").event("started", Map.of("source", "test")).build());

    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50));
    driver.get("http://127.0.0.1:" + server.port() + "/");

    // The read API needs the token: the page asks for it once.
    WebElement input = wait.until(d -> {
      WebElement e = d.findElement(By.id("token-input"));
      return e.isDisplayed() ? e : null;
    });
    input.sendKeys(TOKEN);
    driver.findElement(By.id("token-submit")).click();
    wait.until(d -> !d.findElements(By.cssSelector("tr[data-job-id='crawl-1']")).isEmpty());
    wait.until(d -> "live".equals(d.findElement(By.id("conn")).getAttribute("class")));
    String pageId = (String) js("return window.headwayPageId;");
    assertThat(pageId).isNotBlank();
    js("window.testMarker = 'still-here';");

    // The batch row counts its children: 1 completed, 1 failed, 1 processing.
    String batch = "tr[data-job-id='batch-1']";
    wait.until(d -> segment(batch, "completed") > 0 && segment(batch, "failed") > 0
        && segment(batch, "processing") > 0);
    assertThat(text(batch, ".status")).isEqualTo("RUNNING");

    // The crawl advances from a background thread; the page follows without a reload.
    String crawl = "tr[data-job-id='crawl-1']";
    AtomicLong processed = new AtomicLong();
    feeder = Executors.newSingleThreadScheduledExecutor();
    feeder.scheduleAtFixedRate(() -> {
      long n = processed.addAndGet(25);
      if (n <= TOTAL - 50) {
        store.apply(ProgressUpdate.builder("crawl-1").processedItems(n).items("pages", 25).build());
      }
    }, 200, 300, TimeUnit.MILLISECONDS);

    double lastPercent = -1;
    long lastProcessed = -1;
    double lastWidth = -1;
    for (int step = 0; step < 3; step++) {
      double p0 = lastPercent;
      long c0 = lastProcessed;
      wait.until(d -> percent(crawl) > p0 && processedCount(crawl) > c0);
      lastPercent = percent(crawl);
      lastProcessed = processedCount(crawl);
      double w0 = lastWidth;
      wait.until(d -> segment(crawl, "processing") > w0);
      lastWidth = segment(crawl, "processing");
    }
    assertThat(lastPercent).isGreaterThan(0).isLessThan(100);
    assertThat(segment(crawl, "completed")).isZero();

    // The batch view lists its children.
    driver.findElement(By.cssSelector(batch)).click();
    wait.until(d -> d.findElements(By.cssSelector("#detail-children tr[data-child-id]")).size() == 3);
    assertThat(driver.findElement(By.cssSelector("#detail-children tr[data-child-id='batch-1/b'] .status")).getText())
        .isEqualTo("FAILED");
    // A child that finishes updates the open batch view and the batch's bar live.
    double completedBefore = segment(batch, "completed");
    store.apply(ProgressUpdate.builder("batch-1/c").processedItems(10).status("completed").build());
    wait.until(d -> segment(batch, "completed") > completedBefore && segment(batch, "processing") == 0);
    wait.until(d -> "COMPLETED".equals(
        d.findElement(By.cssSelector("#detail-children tr[data-child-id='batch-1/c'] .status")).getText()));

    // The crawl's timeline shows its events.
    driver.findElement(By.cssSelector(crawl)).click();
    wait.until(d -> "crawl-1".equals(d.findElement(By.id("detail-title")).getText()));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.event[data-event='started']")).size() == 1);

    // Finished: the row shows the final state.
    feeder.shutdownNow();
    feeder.awaitTermination(5, TimeUnit.SECONDS);
    store.apply(ProgressUpdate.builder("crawl-1").processedItems(TOTAL).status("completed")
        .event("finished", Map.of("pages", TOTAL)).build());
    wait.until(d -> "COMPLETED".equals(text(crawl, ".status")));
    wait.until(d -> "100%".equals(text(crawl, ".percent")));
    assertThat(text(crawl, ".processed")).isEqualTo("400 / 400");
    wait.until(d -> segment(crawl, "completed") > 150 && segment(crawl, "processing") == 0);
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.event[data-event='finished']")).size() == 1);
    assertThat(driver.findElement(By.cssSelector("#detail .detail-status .status")).getText()).isEqualTo("COMPLETED");

    // Filters: by type and by status.
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-type"))).selectByValue("crawl");
    assertThat(driver.findElement(By.cssSelector(batch)).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.cssSelector(crawl)).isDisplayed()).isTrue();
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-type"))).selectByValue("");
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-status"))).selectByValue("FAILED");
    assertThat(driver.findElement(By.cssSelector("tr[data-job-id='batch-1/b']")).isDisplayed()).isTrue();
    assertThat(driver.findElement(By.cssSelector(crawl)).isDisplayed()).isFalse();
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-status"))).selectByValue("");

    // Same document all along: no reload happened.
    assertThat(js("return window.headwayPageId;")).isEqualTo(pageId);
    assertThat(js("return window.testMarker;")).isEqualTo("still-here");

    Path shot = Path.of(System.getProperty("basedir", "."), "target", "dashboard.png");
    Files.createDirectories(shot.getParent());
    File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(shot)).isGreaterThan(1000);
  }

  @Test
  void worksWithoutATokenWhenReadsArePublic() {
    server.close();
    server = ProgressServer.start(store, new InetSocketAddress("127.0.0.1", 0), TOKEN, true);
    store.apply(ProgressUpdate.builder("pub-1").type("crawl").status("running").totalItems(10).processedItems(2)
        .build());
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50));
    driver.get("http://127.0.0.1:" + server.port() + "/");
    String row = "tr[data-job-id='pub-1']";
    wait.until(d -> "20.0%".equals(text(row, ".percent")));
    wait.until(d -> "live".equals(d.findElement(By.id("conn")).getAttribute("class")));
    store.apply(ProgressUpdate.builder("pub-1").processedItems(5).build());
    wait.until(d -> "50.0%".equals(text(row, ".percent")));
    assertThat(driver.findElement(By.id("token-form")).isDisplayed()).isFalse();
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private String text(String row, String cell) {
    return driver.findElement(By.cssSelector(row + " " + cell)).getText().strip();
  }

  private double percent(String row) {
    String t = text(row, ".percent").replace("%", "");
    return t.isEmpty() ? -1 : Double.parseDouble(t);
  }

  private long processedCount(String row) {
    String t = text(row, ".processed");
    String first = t.split("/")[0].replace(",", "").strip();
    return first.isEmpty() ? -1 : Long.parseLong(first);
  }

  /** The rendered width of a bar segment, in pixels. */
  private double segment(String row, String kind) {
    Object w = js("var e = document.querySelector(arguments[0]);"
        + "return e ? e.getBoundingClientRect().width : -1;",
        row + " .bar .seg-" + kind);
    return ((Number) w).doubleValue();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}

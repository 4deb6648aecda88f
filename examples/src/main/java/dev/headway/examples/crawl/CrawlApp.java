package dev.headway.examples.crawl;

import dev.headway.examples.Main;

/**
 * The crawl example as a program of its own: {@code java -cp headway.jar
 * dev.headway.examples.crawl.CrawlApp [options]} is {@code java -jar headway.jar crawl [options]}.
 */
public final class CrawlApp {
  private CrawlApp() {}

  public static void main(String[] args) {
    String[] all = new String[args.length + 1];
    all[0] = "crawl";
    System.arraycopy(args, 0, all, 1, args.length);
    System.exit(Main.run(all, System.out, System.err));
  }
}

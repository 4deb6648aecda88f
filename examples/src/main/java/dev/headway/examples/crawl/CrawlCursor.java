package dev.headway.examples.crawl;

import java.util.Map;

/**
 * The crawl's checkpoint cursor: how many items of the deterministic crawl order are done, and
 * the last one's id, so a resume can check the cursor belongs to the same source.
 */
final class CrawlCursor {
  static final String POSITION = "position";
  static final String LAST_PROCESSED_ID = "lastProcessedId";

  private CrawlCursor() {}

  /** The cursor of a crawl that has done the items before {@code position}. */
  static Map<String, Object> of(int position, String lastProcessedId) {
    return Map.of(POSITION, position, LAST_PROCESSED_ID, lastProcessedId);
  }
}

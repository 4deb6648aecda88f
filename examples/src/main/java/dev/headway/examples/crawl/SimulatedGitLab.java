package dev.headway.examples.crawl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A GitLab-like source made up from a seed: groups hold projects, projects hold branches, issues,
 * merge requests and commits. The same seed and scale always give the same source, the same
 * items in the same crawl order, and the same transient API failures, so a crawl of it can be
 * checked item by item and a resumed crawl must end with exactly the counts of one that never
 * stopped.
 *
 * <p>The crawl order ({@link #items()}) follows seed 003's stages: <b>discovery</b> lists each
 * group and then its projects (each group reveals how many projects it has, each project how many
 * branches, issues, merge requests and commits, so the total grows as discovery goes), <b>branch
 * crawling</b> walks every project's branches, <b>data collection</b> fetches every project's
 * issues, merge requests and commits, and <b>finalization</b> has no items of its own. An item's
 * position in that order is the crawl's cursor.
 *
 * <p>Ids are stable: {@code group-<g>}, {@code project-<p>}, {@code branch-<p>-<n>}, {@code
 * issue-<p>-<n>}, {@code mr-<p>-<n>}, {@code commit-<p>-<n>}, with {@code p} numbered across
 * groups from 1.
 *
 * <p>Immutable and thread-safe; no method sleeps or does I/O (the crawler adds latency).
 */
public final class SimulatedGitLab {
  /** Item types, as they appear in {@code itemsByType}. */
  public static final String GROUPS = "groups";
  public static final String PROJECTS = "projects";
  public static final String BRANCHES = "branches";
  public static final String ISSUES = "issues";
  public static final String MERGE_REQUESTS = "mergeRequests";
  public static final String COMMITS = "commits";

  /** How often an item's first fetch fails: about one item in this many. */
  private static final int FAILURE_ONE_IN = 200;

  private static final String[] GROUP_NAMES = {"platform", "payments", "mobile", "infra", "data", "web",
      "security", "search", "billing", "growth", "ml", "devtools", "identity", "support"};
  private static final String[] PROJECT_NAMES = {"api", "web", "worker", "sdk", "docs", "cli", "gateway",
      "etl", "auth", "ui", "scheduler", "exporter"};

  /** How big a source is: a few hundred, a few thousand or tens of thousands of items. */
  public enum Scale {
    SMALL(3, 1, 3, 1, 3, 4, 16, 2, 8, 5, 20),
    MEDIUM(5, 2, 6, 1, 6, 15, 60, 5, 30, 20, 90),
    LARGE(12, 4, 12, 2, 12, 60, 300, 20, 150, 100, 500);

    final int groups;
    final int[] projects;
    final int[] branches;
    final int[] issues;
    final int[] mergeRequests;
    final int[] commits;

    Scale(int groups, int pMin, int pMax, int bMin, int bMax, int iMin, int iMax, int mMin, int mMax,
        int cMin, int cMax) {
      this.groups = groups;
      this.projects = new int[] {pMin, pMax};
      this.branches = new int[] {bMin, bMax};
      this.issues = new int[] {iMin, iMax};
      this.mergeRequests = new int[] {mMin, mMax};
      this.commits = new int[] {cMin, cMax};
    }

    /** The scale's name in lower case, as the command line spells it. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The scale named {@code word}, ignoring case.
     *
     * @throws IllegalArgumentException naming the word and the choices when there is none
     */
    public static Scale parse(String word) {
      for (Scale s : values()) {
        if (s.word().equalsIgnoreCase(word == null ? "" : word.trim())) {
          return s;
        }
      }
      throw new IllegalArgumentException("scale (" + word + ") must be small, medium or large");
    }
  }

  /** The crawl's stages, in order, with their names on the wire. */
  public enum Stage {
    DISCOVERY, BRANCH_CRAWLING, DATA_COLLECTION, FINALIZATION;

    /** The stage as seed 003 spells it: {@code discovery}, {@code branch_crawling}, ... */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A project and how much it holds. */
  public record Project(int number, String id, String name, int branches, int issues, int mergeRequests,
      int commits) {
    /** Items inside the project: what discovering it adds to the crawl's total. */
    public int contents() {
      return branches + issues + mergeRequests + commits;
    }
  }

  /** A group and its projects. */
  public record Group(int number, String id, String name, List<Project> projects) {
    public Group {
      projects = List.copyOf(projects);
    }
  }

  /**
   * One thing the crawl fetches and stores.
   *
   * @param position its place in the crawl order, from 0
   * @param id its stable id
   * @param type its {@code itemsByType} key
   * @param stage the stage that fetches it
   * @param reveals how many more items fetching it discovers (a group's projects, a project's
   *     contents), 0 for the rest
   * @param path the simulated API path it is fetched from
   */
  public record Item(int position, String id, String type, Stage stage, int reveals, String path) {}

  /** A fetch that failed for a reason worth a retry, as a real API's 429 or reset connection. */
  public static final class TransientApiException extends RuntimeException {
    private final String category;

    TransientApiException(String category, String message) {
      super(message, null, false, false);
      this.category = category;
    }

    /** The error category to report it under: {@code RATE_LIMIT} or {@code NETWORK}. */
    public String category() {
      return category;
    }
  }

  private final long seed;
  private final Scale scale;
  private final List<Group> groups;
  private final List<Item> items;
  private final Map<String, Long> countsByType;

  private SimulatedGitLab(long seed, Scale scale) {
    this.seed = seed;
    this.scale = scale;
    this.groups = generateGroups(seed, scale);
    this.items = crawlOrder(groups);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String t : List.of(GROUPS, PROJECTS, BRANCHES, ISSUES, MERGE_REQUESTS, COMMITS)) {
      counts.put(t, 0L);
    }
    for (Item i : items) {
      counts.merge(i.type(), 1L, Long::sum);
    }
    counts.values().removeIf(n -> n == 0);
    this.countsByType = Collections.unmodifiableMap(counts);
  }

  /** The source of {@code seed} at {@code scale}; the same arguments always give the same source. */
  public static SimulatedGitLab generate(long seed, Scale scale) {
    return new SimulatedGitLab(seed, requireNonNull(scale, "scale"));
  }

  public long seed() {
    return seed;
  }

  public Scale scale() {
    return scale;
  }

  public List<Group> groups() {
    return groups;
  }

  /** Every item in crawl order. */
  public List<Item> items() {
    return items;
  }

  /** How many items a whole crawl fetches. */
  public int size() {
    return items.size();
  }

  /**
   * The item at {@code position} in crawl order.
   *
   * @throws IndexOutOfBoundsException when there is none
   */
  public Item item(int position) {
    return items.get(position);
  }

  /** Items per type, as a complete crawl's {@code itemsByType} must end up. */
  public Map<String, Long> countsByType() {
    return countsByType;
  }

  /** Items of the discovery stage: the groups and the projects. */
  public int discoveryItems() {
    int n = groups.size();
    for (Group g : groups) {
      n += g.projects().size();
    }
    return n;
  }

  /**
   * The total a crawl knows once it has fetched the items before {@code position}: the groups
   * (listed before anything is fetched) plus what every fetched item revealed.
   */
  public long knownTotal(int position) {
    long total = groups.size();
    for (int i = 0; i < position; i++) {
      total += items.get(i).reveals();
    }
    return total;
  }

  /** The group whose id is {@code id}, or null. */
  public Group group(String id) {
    for (Group g : groups) {
      if (g.id().equals(id)) {
        return g;
      }
    }
    return null;
  }

  /** How many times fetching the item at {@code position} fails before it succeeds (0 to 2). */
  public int transientFailures(int position) {
    long h = mix(seed ^ mix(position + 0x51ED27L));
    if (Math.floorMod(h, FAILURE_ONE_IN) != 0) {
      return 0;
    }
    return (h >>> 40) % 4 == 0 ? 2 : 1;
  }

  /** Items whose first fetch fails, in the whole crawl. */
  public int itemsWithTransientFailures() {
    int n = 0;
    for (int i = 0; i < items.size(); i++) {
      n += transientFailures(i) > 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * Fetches an item, as the API would: the first {@link #transientFailures} tries fail.
   *
   * @param attempt the try, from 1
   * @return the item
   * @throws TransientApiException when this try fails; a later one succeeds
   */
  public Item fetch(int position, int attempt) {
    Item item = items.get(position);
    if (attempt <= transientFailures(position)) {
      boolean rateLimited = ((mix(seed + position) >>> 17) & 1) == 0;
      throw rateLimited
          ? new TransientApiException("RATE_LIMIT", "429 Too Many Requests from GET " + item.path())
          : new TransientApiException("NETWORK", "connection reset during GET " + item.path());
    }
    return item;
  }

  // ---------------------------------------------------------------- generation

  private static List<Group> generateGroups(long seed, Scale scale) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Group> groups = new ArrayList<>();
    int projectNumber = 0;
    for (int g = 1; g <= scale.groups; g++) {
      String groupName = GROUP_NAMES[random.nextInt(GROUP_NAMES.length)] + "-" + g;
      int count = between(random, scale.projects);
      List<Project> projects = new ArrayList<>();
      for (int p = 0; p < count; p++) {
        projectNumber++;
        projects.add(new Project(projectNumber, "project-" + projectNumber,
            groupName + "/" + PROJECT_NAMES[random.nextInt(PROJECT_NAMES.length)] + "-" + projectNumber,
            between(random, scale.branches), between(random, scale.issues), between(random, scale.mergeRequests),
            between(random, scale.commits)));
      }
      groups.add(new Group(g, "group-" + g, groupName, projects));
    }
    return List.copyOf(groups);
  }

  private static List<Item> crawlOrder(List<Group> groups) {
    List<Item> out = new ArrayList<>();
    for (Group g : groups) {
      add(out, g.id(), GROUPS, Stage.DISCOVERY, g.projects().size(), "/api/v4/groups/" + g.number());
      for (Project p : g.projects()) {
        add(out, p.id(), PROJECTS, Stage.DISCOVERY, p.contents(), "/api/v4/projects/" + p.number());
      }
    }
    List<Project> projects = groups.stream().flatMap(g -> g.projects().stream()).toList();
    for (Project p : projects) {
      String base = "/api/v4/projects/" + p.number();
      for (int n = 1; n <= p.branches(); n++) {
        add(out, "branch-" + p.number() + "-" + n, BRANCHES, Stage.BRANCH_CRAWLING, 0,
            base + "/repository/branches/" + n);
      }
    }
    for (Project p : projects) {
      String base = "/api/v4/projects/" + p.number();
      for (int n = 1; n <= p.issues(); n++) {
        add(out, "issue-" + p.number() + "-" + n, ISSUES, Stage.DATA_COLLECTION, 0, base + "/issues/" + n);
      }
      for (int n = 1; n <= p.mergeRequests(); n++) {
        add(out, "mr-" + p.number() + "-" + n, MERGE_REQUESTS, Stage.DATA_COLLECTION, 0,
            base + "/merge_requests/" + n);
      }
      for (int n = 1; n <= p.commits(); n++) {
        add(out, "commit-" + p.number() + "-" + n, COMMITS, Stage.DATA_COLLECTION, 0,
            base + "/repository/commits/" + n);
      }
    }
    return List.copyOf(out);
  }

  private static void add(List<Item> out, String id, String type, Stage stage, int reveals, String path) {
    out.add(new Item(out.size(), id, type, stage, reveals, path));
  }

  private static int between(SplittableRandom random, int[] range) {
    return range[0] + random.nextInt(range[1] - range[0] + 1);
  }

  // SplitMix64's finalizer: a well-spread hash of a long.
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

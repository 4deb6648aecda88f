package dev.headway.examples.shop;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One product of the generated catalog, as a shop's master catalog would hold it.
 *
 * @param index position in the catalog, from 0
 * @param id the catalog id, {@code P-00001} for index 0
 * @param sku the stock-keeping unit
 * @param title the product's title
 * @param priceCents the base price in cents, before a marketplace's markup
 */
public record Product(int index, String id, String sku, String title, long priceCents) {
  private static final String[] ADJECTIVES = {"Classic", "Organic", "Handmade", "Compact", "Deluxe", "Vintage",
      "Wireless", "Bamboo", "Linen", "Ceramic", "Recycled", "Waterproof"};
  private static final String[] NOUNS = {"Tote Bag", "Desk Lamp", "Water Bottle", "Phone Case", "Notebook",
      "Tea Set", "Backpack", "Scarf", "Cutting Board", "Candle", "Headphones", "Plant Pot"};
  private static final String[] COLOURS = {"Black", "White", "Sage", "Navy", "Terracotta", "Sand", "Charcoal"};

  public Product {
    if (index < 0) {
      throw new IllegalArgumentException("index (" + index + ") must not be negative");
    }
    requireNonNull(id, "id");
    requireNonNull(sku, "sku");
    requireNonNull(title, "title");
  }

  /**
   * The catalog of {@code count} products for {@code seed}: the same seed gives the same
   * products, in the same order.
   *
   * @throws IllegalArgumentException when {@code count} is negative
   */
  public static List<Product> catalog(long seed, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count (" + count + ") must not be negative");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Product> products = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String title = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[random.nextInt(NOUNS.length)]
          + ", " + COLOURS[random.nextInt(COLOURS.length)];
      String sku = String.format(Locale.ROOT, "SKU-%04X-%02d", random.nextInt(0x10000), random.nextInt(100));
      long price = 499 + random.nextInt(25_000);
      products.add(new Product(i, String.format(Locale.ROOT, "P-%05d", i + 1), sku, title, price));
    }
    return List.copyOf(products);
  }
}

package dev.headway.examples.shop;

import dev.headway.examples.Main;

/**
 * shop-sync as a program of its own: {@code java -cp headway.jar dev.headway.examples.shop.ShopSyncApp
 * [options]} is {@code java -jar headway.jar shop-sync [options]}.
 */
public final class ShopSyncApp {
  private ShopSyncApp() {}

  public static void main(String[] args) {
    String[] command = new String[args.length + 1];
    command[0] = "shop-sync";
    System.arraycopy(args, 0, command, 1, args.length);
    System.exit(Main.run(command, System.out, System.err));
  }
}

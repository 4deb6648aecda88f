package dev.headway.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where a command writes, and how: colour only on a terminal and when {@code NO_COLOR} is unset
 * (no-color.org), redrawing in place only on a terminal.
 */
public final class Console {
  private final PrintWriter out;
  private final boolean terminal;
  private final boolean colour;

  public Console(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    String noColor = System.getenv("NO_COLOR");
    this.colour = terminal && (noColor == null || noColor.isEmpty());
  }

  /** A console on standard output: a terminal when the JVM has one attached. */
  public static Console of(PrintWriter out) {
    return new Console(out, System.console() != null);
  }

  public PrintWriter out() {
    return out;
  }

  public boolean isTerminal() {
    return terminal;
  }

  /** The status word, coloured by what it means when colour is on. */
  public String status(String word) {
    if (!colour) {
      return word;
    }
    String code = switch (word.toUpperCase(Locale.ROOT)) {
      case "COMPLETED" -> "32";
      case "FAILED", "MIXED" -> "31";
      case "RUNNING" -> "36";
      case "INTERRUPTED", "PAUSED", "CANCELLED" -> "33";
      default -> "0";
    };
    return "\u001b[" + code + "m" + word + "\u001b[0m";
  }
}

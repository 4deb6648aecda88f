package dev.headway.examples;

import dev.headway.HeadwayException;
import dev.headway.examples.cli.DurationConverter;
import dev.headway.examples.cli.PurgeCommand;
import dev.headway.examples.crawl.CrawlCommand;
import dev.headway.examples.http.ServeCommand;
import dev.headway.examples.shop.ShopSyncCommand;
import dev.headway.examples.sync.SyncAllCommand;
import dev.headway.examples.sync.SyncStatusCommand;
import dev.headway.examples.cli.ShowCommand;
import dev.headway.examples.cli.StatusCommand;
import dev.headway.examples.cli.SweepCommand;
import dev.headway.examples.cli.TimelineCommand;
import dev.headway.examples.cli.WatchCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of {@code examples/target/headway.jar}: {@code java -jar headway.jar COMMAND [options]}.
 * Exit codes: 0 done, 1 the command (or the job it ran) failed, 2 bad usage. Errors are one line;
 * {@code --verbose} adds the stack trace.
 */
@Command(name = "java -jar headway.jar", mixinStandardHelpOptions = true, version = "Headway examples 0.1.0",
    description = "Headway's example apps and progress CLI.",
    subcommands = {DemoCommand.class, StatusCommand.class, ShowCommand.class, WatchCommand.class,
        TimelineCommand.class, SweepCommand.class, PurgeCommand.class, CrawlCommand.class,
        SyncAllCommand.class, SyncStatusCommand.class, ShopSyncCommand.class,
        ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit code of a command whose job failed or that could not do its work. */
  public static final int FAILED = 1;
  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Show stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a command");
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command line, writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = commandLine(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true),
        new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    return cl.execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    Main main = new Main();
    CommandLine cl = new CommandLine(main);
    cl.registerConverter(java.time.Duration.class, new DurationConverter()); // one syntax for every command
    cl.setOut(out);
    cl.setErr(err);
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(
        System.console() != null && System.getenv("NO_COLOR") == null
            ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
    cl.setParameterExceptionHandler((e, a) -> {
      CommandLine c = e.getCommandLine();
      c.getErr().println(e.getMessage());
      c.getErr().println("Try: java -jar headway.jar " + commandPath(c) + "--help");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      // People running a command get a sentence they can act on, not a stack trace.
      String what = e instanceof HeadwayException || e instanceof CommandFailedException
          || e instanceof UsageException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
      c.getErr().println(what);
      if (main.verbose) {
        e.printStackTrace(c.getErr());
      }
      return e instanceof UsageException ? USAGE : FAILED;
    });
    return cl;
  }

  private static String commandPath(CommandLine c) {
    StringBuilder path = new StringBuilder();
    for (CommandLine p = c; p.getParent() != null; p = p.getParent()) {
      path.insert(0, p.getCommandName() + " ");
    }
    return path.toString();
  }

  /** A command could not do what it was asked; the message says why and what to do. Exit 1. */
  public static final class CommandFailedException extends RuntimeException {
    public CommandFailedException(String message) {
      super(message);
    }
  }

  /** A mistake in how a command was called; the message says what to type instead. Exit 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }
}

package core.llm.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code llm} command-line program: chat with models through the provider factory (routing,
 * fallback, reload), and manage an Ollama server's models, in the manner of the {@code ollama} CLI.
 *
 * <p>Runs in-process for tests: {@link #run(String[], InputStream, PrintStream, PrintStream, Map)},
 * or an instance (whose {@link #interrupts()} is the Ctrl-C hook) with {@link #execute(String[])}.
 * Each run uses one Vert.x instance, closed at the end. Failures print one line on stderr (a stack
 * trace only with {@code --debug}) and exit with a code from {@link ExitCodes}.
 */
// scope INHERIT: every command takes --help and -h (`llm list --help` was an unknown option)
@Command(
    name = "llm",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Llm.VersionProvider.class,
    description = "Chat with LLMs (Ollama, OpenAI-compatible, Anthropic) and manage Ollama models.",
    footer = {
      "",
      "Exit codes: 0 ok, 1 error, 2 usage, 3 server unreachable, 4 model not found, "
          + "5 capability missing, 6 unauthorized, 7 bad request, 8 invalid configuration, 9 server error, "
          + "130 answer cancelled, 141 output closed while an answer streamed (a pipe's reader "
          + "left: the answer is cancelled)."
    })
public final class Llm implements Callable<Integer> {
  /**
   * The commands, in the order of the help. Not in {@code @Command(subcommands)}: building every
   * command's model by reflection costs a third of a second at each start, so {@link #execute}
   * registers only the one named on the command line (all of them for the help, {@code help} or a
   * name it does not know, so that picocli's messages and suggestions stay whole).
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          ChatCommand.class,
          GenerateCommand.class,
          EmbedCommand.class,
          TransferCommands.Pull.class,
          TransferCommands.Push.class,
          TransferCommands.Create.class,
          ShowCommand.class,
          ModelCommands.ListModels.class,
          ModelCommands.Ps.class,
          ModelCommands.Copy.class,
          ModelCommands.Remove.class,
          ModelCommands.Load.class,
          ModelCommands.Unload.class,
          ModelCommands.Version.class,
          ProvidersCommand.class,
          RouteCommand.class,
          ConfigCommand.class,
          ServeCommand.class);

  @Spec CommandSpec spec;

  @Mixin GlobalOptions global;

  private final CliContext context;

  /**
   * @param stdinTty whether input is a terminal (no prompt given → interactive session)
   * @param stdoutTty whether output is a terminal (progress redrawn in place, colours)
   * @param signals whether Ctrl-C is hooked with a SIGINT handler (false in tests: call {@link
   *     #interrupts()})
   */
  public Llm(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      boolean stdinTty,
      boolean stdoutTty,
      boolean signals) {
    this.context = new CliContext(in, out, err, env, stdinTty, stdoutTty, new Interrupts(signals));
  }

  /**
   * Runs the program once, in-process, without terminals or signal handlers; returns the exit code.
   */
  public static int run(
      String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    return new Llm(in, out, err, env, false, false, false).execute(args);
  }

  public static void main(String[] args) {
    // The wrapper script says what the terminal is (bash's `-t`); Java 17's console() is the
    // fallback.
    boolean console = System.console() != null;
    boolean stdinTty =
        Boolean.parseBoolean(System.getProperty("llm.stdin.tty", String.valueOf(console)));
    boolean stdoutTty =
        Boolean.parseBoolean(System.getProperty("llm.stdout.tty", String.valueOf(console)));
    boolean stderrTty =
        Boolean.parseBoolean(System.getProperty("llm.stderr.tty", String.valueOf(console)));
    Llm llm =
        new Llm(System.in, System.out, System.err, System.getenv(), stdinTty, stdoutTty, true);
    llm.context.stderrTty = stderrTty;
    if (stdinTty && stdoutTty) {
      // a line editor for interactive chat; JLine is loaded only when a session opens it
      llm.context.terminal =
          () ->
              org.jline.terminal.TerminalBuilder.builder()
                  .system(true)
                  .signalHandler(org.jline.terminal.Terminal.SignalHandler.SIG_IGN)
                  .build();
    }
    int code = llm.execute(args);
    System.out.flush();
    System.exit(code);
  }

  /** Parses and runs one command line; returns the exit code. Not reentrant. */
  public int execute(String[] args) {
    CommandLine cl = new CommandLine(this);
    for (Class<?> c : commandsFor(args)) {
      cl.addSubcommand(c);
    }
    cl.addSubcommand(new HelpCommand());
    cl.setOut(new PrintWriter(context.out, true));
    cl.setErr(new PrintWriter(context.err, true));
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          Failures.Report r =
              Failures.describe(e, context.model, context.serverUrl(), context.notFoundHint);
          context.err.println(r.line());
          if (context.debug) {
            e.printStackTrace(context.err);
          }
          return r.exitCode();
        });
    try {
      return cl.execute(args);
    } finally {
      context.close();
      context.out.flush();
      context.err.flush();
    }
  }

  /** The run's context (tests set its terminal and stderr flags). */
  CliContext context() {
    return context;
  }

  /**
   * The commands to register for {@code args}: the one its first word names (after the global
   * options and their values), else all.
   */
  static List<Class<?>> commandsFor(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config") || a.equals("--provider")) {
        i++; // its value
      } else if (!a.startsWith("-")) {
        for (Class<?> c : COMMANDS) {
          Command command = c.getAnnotation(Command.class);
          if (command.name().equals(a) || Arrays.asList(command.aliases()).contains(a)) {
            return List.of(c);
          }
        }
        return COMMANDS;
      }
    }
    return COMMANDS;
  }

  /** The Ctrl-C hook: {@code interrupts().fire()} is what SIGINT does. */
  public Interrupts interrupts() {
    return context.interrupts;
  }

  /** {@code llm} alone prints the help. */
  @Override
  public Integer call() {
    spec.commandLine().usage(context.out);
    return ExitCodes.OK;
  }

  /** The run's context with the command's global options merged over the root's. */
  CliContext context(GlobalOptions command) {
    context.configFile = command.config != null ? command.config : global.config;
    context.providerName = command.provider != null ? command.provider : global.provider;
    context.debug = command.debug || global.debug;
    return context;
  }

  /** This program's version: from the jar manifest, {@code dev} when run from classes. */
  static String clientVersion() {
    String v = Llm.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** {@code llm --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"llm (core-llm) " + clientVersion()};
    }
  }
}

package core.llm.cli;

import core.llm.common.ChatMessage;
import core.llm.common.CompletionResult;
import core.llm.common.ImageData;
import core.llm.common.Usage;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.models.PullRequest;
import core.llm.providers.ollama.models.ShowResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A chat with one model: the history of the session, one-shot questions, and the interactive loop
 * of {@code llm chat MODEL} with {@code """} blocks for multi-line input and slash commands, like
 * {@code ollama run}. In a session, a failed or cancelled answer is reported and the session goes
 * on; only {@code /bye} or end of input (Ctrl-D) ends it.
 */
final class Conversation {
  private static final String HELP =
      """
      Available commands:
        /set            Set session variables (/set alone lists them)
        /show           Show model information (/show info, system, parameters, template, modelfile)
        /load <model>   Load a session or model
        /save <model>   Save the session (model, system message, parameters, messages) as a model
        /clear          Clear the session context (the history)
        /bye, /exit     Exit
        /?, /help       Help for a command

      Use \"\"\" to begin and end a multi-line message.
      Ctrl-C stops the answer in progress; Ctrl-D or /bye ends the session.""";

  private static final String SET_HELP =
      """
      Available Commands:
        /set parameter <name> <value>   Set a parameter (num_ctx 8192, temperature 0.2, stop ...)
        /set system <string>   Set the system message
        /set think [LEVEL]     Let the model think first (on, off, low, medium, high)
        /set nothink           Disable thinking
        /set format json       Ask for JSON answers
        /set noformat          Answers in any format
        /set verbose           Show statistics after each answer
        /set quiet             Do not show statistics""";

  private static final String SHOW_HELP =
      """
      Available Commands:
        /show info         Show details for this model
        /show system       Show the system message
        /show parameters   Show the model's parameters
        /show template     Show the model's template
        /show modelfile    Show the model's Modelfile""";

  private final CliContext ctx;
  private final LlmProvider llm;
  private String model;
  private final CompletionOptions options;
  private final AnswerPrinter printer;
  private final List<ChatMessage> history = new ArrayList<>();
  private List<ImageData> pendingImages;
  private boolean loaded;

  Conversation(CliContext ctx, LlmProvider llm, String model, CompletionOptions options)
      throws IOException {
    this.ctx = ctx;
    this.llm = llm;
    this.model = model;
    this.options = options;
    this.printer = new AnswerPrinter(ctx, !options.printsThinking(ctx.stdoutTty));
    this.pendingImages = options.readImages();
  }

  /** One question, one streamed answer; failures propagate (the command's exit code says what). */
  int oneShot(String prompt) {
    AnswerPrinter.Outcome<CompletionResult> o = ask(prompt);
    return exitCode(o);
  }

  /** One question and its streamed answer, for a caller that wants the outcome (statistics). */
  AnswerPrinter.Outcome<CompletionResult> answer(String prompt) {
    return ask(prompt);
  }

  /** A one-shot answer's exit code: cancelled by Ctrl-C, cut by a closed output, or whole. */
  static int exitCode(AnswerPrinter.Outcome<?> o) {
    if (o.brokenPipe()) {
      return ExitCodes.BROKEN_PIPE;
    }
    return o.cancelled() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
  }

  /**
   * Makes sure the session's model is there before the first message, as {@code ollama run} does:
   * when the server does not have it, a person at a terminal is asked whether to pull it (with the
   * progress bar), anywhere else the session fails at once with the {@code llm pull MODEL} hint.
   * Returns false when the user declined. Providers other than Ollama are not checked.
   */
  boolean ensureModel(LineInput input) throws IOException {
    Optional<CliContext.NativeOllama> target = ctx.nativeOllama(model);
    if (target.isEmpty()) {
      return true;
    }
    OllamaClient client = target.get().provider().client();
    String name = target.get().model();
    try {
      client.show(name).await();
      return true;
    } catch (RuntimeException e) {
      if (Failures.describe(e, model, ctx.serverUrl()).exitCode() != ExitCodes.NOT_FOUND
          || !input.interactive()) {
        throw e; // not found: "model 'M' not found; try `llm pull M`"
      }
    }
    String answer =
        input.readLine("model '" + name + "' not found. Pull it from the registry? (y/N) ");
    if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
      ctx.err.println("not pulled; `llm pull " + name + "` downloads it");
      return false;
    }
    TransferCommands.follow(ctx, client.pullStream(new PullRequest(name, null, true)));
    return true;
  }

  /** The interactive session; returns when the user leaves. */
  int interactive(LineInput input) throws IOException {
    if (!input.interactive()) {
      ctx.interrupts.idleAction(
          () -> {
            ctx.out.print("\nUse Ctrl + d or /bye to exit.\n>>> ");
            ctx.out.flush();
          });
    }
    try {
      if (!ensureModel(input)) {
        return ExitCodes.NOT_FOUND;
      }
      while (true) {
        String input1 = readMessage(input);
        if (input1 == null) {
          ctx.out.println();
          return ExitCodes.OK;
        }
        if (LineInput.INTERRUPTED.equals(input1)) {
          ctx.out.println("Use Ctrl + d or /bye to exit.");
          continue;
        }
        String trimmed = input1.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (trimmed.startsWith("/") && !input1.contains("\n")) {
          try {
            if (!command(trimmed, input)) {
              return ExitCodes.OK;
            }
          } catch (RuntimeException e) {
            report(e);
          }
          continue;
        }
        try {
          if (ask(input1).brokenPipe()) {
            return ExitCodes.BROKEN_PIPE; // nobody reads the answers any more
          }
        } catch (RuntimeException e) {
          report(e); // in a session an error ends the answer, not the session
        }
      }
    } finally {
      ctx.interrupts.idleAction(null);
    }
  }

  private void report(RuntimeException e) {
    ctx.err.println(Failures.describe(e, model, ctx.serverUrl()).line());
    if (ctx.debug) {
      e.printStackTrace(ctx.err);
    }
  }

  /** Runs a slash command; false means leave the session. */
  private boolean command(String line, LineInput input) throws IOException {
    String[] words = line.split("\\s+", 3);
    String name = words[0];
    String arg = words.length > 1 ? words[1].toLowerCase(Locale.ROOT) : "";
    String rest = words.length > 2 ? words[2] : "";
    switch (name) {
      case "/bye", "/exit" -> {
        return false;
      }
      case "/clear" -> {
        history.clear();
        ctx.out.println("Cleared session context");
      }
      case "/?", "/help" -> ctx.out.println(HELP);
      case "/set" -> set(arg, rest, line);
      case "/show" -> show(arg);
      case "/save" -> save(words.length < 2 ? "" : words[1]);
      case "/load" -> {
        if (words.length < 2) {
          ctx.out.println("Usage:\n  /load <modelname>");
          return true;
        }
        String previous = model;
        model = words[1];
        ctx.model = model;
        ctx.out.println("Loading model '" + model + "'");
        if (!ensureModel(input)) {
          model = previous;
          ctx.model = model;
        } else {
          loaded = false;
        }
      }
      default -> ctx.out.println("Unknown command '" + name + "'. Type /? for help");
    }
    return true;
  }

  private void set(String what, String rest, String line) {
    switch (what) {
      case "" -> ctx.out.println(SET_HELP);
      case "system" -> {
        // the text as typed, spaces kept: everything after "/set system "
        String text = line.replaceFirst("^/set\\s+system\\s*", "");
        options.system = text.isEmpty() ? null : text;
        ctx.out.println(text.isEmpty() ? "Cleared system message." : "Set system message.");
      }
      case "think" -> {
        String level = rest.strip().toLowerCase(Locale.ROOT);
        String value =
            switch (level) {
              case "", "on", "true" -> "true";
              case "off", "false" -> "false";
              case "low", "medium", "high" -> level;
              default -> null;
            };
        if (value == null) {
          ctx.out.println("Invalid think level '" + level + "': on, off, low, medium or high");
          return;
        }
        options.think = value;
        ctx.out.println(
            "false".equals(value)
                ? "Set 'nothink' mode."
                : "Set 'think' mode" + ("true".equals(value) ? "." : " to '" + value + "'."));
      }
      case "parameter" -> {
        String[] kv = rest.strip().split("\\s+", 2);
        if (kv.length < 2 || kv[0].isEmpty()) {
          ctx.out.println("Usage:\n  /set parameter <name> <value>");
          return;
        }
        Object value = typed(kv[1]);
        if (kv[0].equals("stop")) {
          @SuppressWarnings("unchecked")
          List<Object> stops =
              options.parameters.get("stop") instanceof List<?> l
                  ? (List<Object>) l
                  : new java.util.ArrayList<>();
          stops.add(kv[1]);
          options.parameters.put("stop", stops);
        } else {
          options.parameters.put(kv[0], value);
        }
        ctx.out.println("Set parameter '" + kv[0] + "' to '" + kv[1] + "'");
      }
      case "nothink" -> {
        options.think = "false";
        ctx.out.println("Set 'nothink' mode.");
      }
      case "verbose" -> {
        options.verbose = true;
        ctx.out.println("Set 'verbose' mode.");
      }
      case "quiet" -> {
        options.verbose = false;
        ctx.out.println("Set 'quiet' mode.");
      }
      case "format" -> {
        if (!"json".equalsIgnoreCase(rest.strip())) {
          ctx.out.println("Invalid or missing format: only 'json'");
          return;
        }
        options.format = "json";
        ctx.out.println("Set format to 'json' mode.");
      }
      case "noformat" -> {
        options.format = null;
        ctx.out.println("Disabled format.");
      }
      default -> ctx.out.println("Unknown command '/set " + what + "'. Type /? for help");
    }
  }

  private static Object typed(String v) {
    return new core.llm.providers.ollama.Modelfile.Parameter("", v).typedValue();
  }

  /**
   * {@code /save NAME}: a model made from this one with the session's system message, parameters
   * and messages, as {@code ollama run}'s {@code /save} does ({@code /api/create} with {@code
   * from}).
   */
  private void save(String name) {
    if (name.isEmpty()) {
      ctx.out.println("Usage:\n  /save <modelname>");
      return;
    }
    Optional<CliContext.NativeOllama> target = ctx.nativeOllama(model);
    if (target.isEmpty()) {
      ctx.out.println("/save needs an Ollama provider; the model '" + model + "' goes to another");
      return;
    }
    core.llm.providers.ollama.models.CreateRequest.Builder b =
        core.llm.providers.ollama.models.CreateRequest.builder(name)
            .from(target.get().model())
            .system(options.system)
            .stream(false);
    if (!options.parameters.isEmpty()) {
      b.parameters(
          new com.fasterxml.jackson.databind.ObjectMapper()
              .convertValue(options.parameters, core.llm.providers.ollama.models.Options.class));
    }
    for (ChatMessage m : history) {
      b.message(
          new core.llm.providers.ollama.models.Message(
              m.role().wireName(), m.content(), null, null, null, null, null, null));
    }
    target.get().provider().client().create(b.build()).await();
    ctx.out.println("Created new model '" + name + "'");
  }

  private void show(String what) {
    if (what.isEmpty()) {
      ctx.out.println(SHOW_HELP);
      return;
    }
    if (!List.of("info", "system", "parameters", "template", "modelfile", "license")
        .contains(what)) {
      ctx.out.println("Unknown command '/show " + what + "'. Type /? for help");
      return;
    }
    if ("system".equals(what) && options.system != null) {
      ctx.out.println(options.system);
      return;
    }
    Optional<CliContext.NativeOllama> target = ctx.nativeOllama(model);
    if (target.isEmpty()) {
      ctx.out.println("/show needs an Ollama provider; the model '" + model + "' goes to another");
      return;
    }
    ShowResponse s = target.get().provider().client().show(target.get().model()).await();
    String text =
        switch (what) {
          case "info" -> null;
          case "system" -> s.system();
          case "parameters" -> s.parameters();
          case "template" -> s.template();
          case "license" -> s.license();
          default -> s.modelfile();
        };
    if ("info".equals(what)) {
      ShowCommand.printInfo(ctx.out, s);
    } else if (text == null || text.isBlank()) {
      ctx.out.println("No " + what + " was specified for this model.");
    } else {
      ctx.out.println(text.stripTrailing());
    }
  }

  /**
   * Reads one message: a line, or a {@code """} block spanning lines (its content without the
   * quotes). Null at end of input, {@link LineInput#INTERRUPTED} for Ctrl-C.
   */
  private String readMessage(LineInput reader) throws IOException {
    String line = reader.readLine(">>> ");
    if (line == null
        || LineInput.INTERRUPTED.equals(line)
        || !line.stripLeading().startsWith("\"\"\"")) {
      return line;
    }
    String first = line.stripLeading().substring(3);
    if (first.endsWith("\"\"\"")) {
      return first.substring(0, first.length() - 3);
    }
    StringBuilder sb = new StringBuilder(first);
    while (true) {
      String next = reader.readLine("... ");
      if (LineInput.INTERRUPTED.equals(next)) {
        return next; // Ctrl-C drops the whole block
      }
      if (next == null) {
        return sb.toString();
      }
      if (next.stripTrailing().endsWith("\"\"\"")) {
        String last = next.stripTrailing();
        last = last.substring(0, last.length() - 3);
        if (!last.isEmpty()) {
          sb.append(sb.length() > 0 ? "\n" : "").append(last);
        }
        return sb.toString();
      }
      sb.append(sb.length() > 0 ? "\n" : "").append(next);
    }
  }

  /**
   * Sends the history plus {@code prompt}, prints the answer as it streams and keeps both in the
   * history. A cancelled answer keeps what was shown; a failed one leaves the history as it was.
   */
  private AnswerPrinter.Outcome<CompletionResult> ask(String prompt) {
    ChatMessage user =
        pendingImages.isEmpty()
            ? ChatMessage.user(prompt)
            : ChatMessage.user(prompt, pendingImages);
    history.add(user);
    AnswerPrinter.Outcome<CompletionResult> o;
    printer.waitingFor((loaded ? "waiting for " : "loading ") + model + "…");
    long sent;
    try {
      sent = System.nanoTime(); // latency from the request, not from the JVM's start
      o = printer.print(llm.chatStream(options.request(model, history)));
      loaded = true;
    } catch (RuntimeException e) {
      history.remove(history.size() - 1);
      throw e;
    }
    if (options.verbose && o.result() != null) {
      printStats(o.result().usage(), sent, printer.firstTokenNanos(), System.nanoTime());
    }
    pendingImages = List.of(); // sent once, with the first message, as ollama does
    if (o.cancelled() && o.content().isEmpty()) {
      history.remove(history.size() - 1);
    } else {
      history.add(ChatMessage.assistant(o.content()));
    }
    return o;
  }

  /**
   * {@code ollama run --verbose}'s statistics from the final chunk's metrics, preceded by what was
   * measured here from the moment the request was sent: the time to the first token, and the total
   * when the server reported none.
   */
  private void printStats(Usage u, long sent, long firstToken, long end) {
    Usage usage = u == null ? Usage.UNKNOWN : u;
    if (usage.totalDuration() == null) {
      usage =
          new Usage(
              usage.promptTokens(),
              usage.completionTokens(),
              Duration.ofNanos(end - sent),
              usage.loadDuration(),
              usage.promptEvalDuration(),
              usage.evalDuration());
    }
    GenerateCommand.printStats(ctx.err, usage);
    if (firstToken != 0) {
      ctx.err.printf(
          Locale.ROOT,
          "%-22s%s%n",
          "first token after:",
          GenerateCommand.duration(Duration.ofNanos(firstToken - sent)));
    }
    ctx.err.flush();
  }

  /** The conversation so far (tests). */
  List<ChatMessage> history() {
    return List.copyOf(history);
  }
}

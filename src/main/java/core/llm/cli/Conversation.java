package core.llm.cli;

import core.llm.common.ChatMessage;
import core.llm.common.CompletionResult;
import core.llm.common.ImageData;
import core.llm.providers.base.LlmProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        /clear   Clear the session context (the history)
        /bye     Exit
        /?       Show this help

      Use \"\"\" to begin and end a multi-line message.
      Ctrl-C stops the answer in progress; Ctrl-D or /bye ends the session.""";

  private final CliContext ctx;
  private final LlmProvider llm;
  private final String model;
  private final CompletionOptions options;
  private final AnswerPrinter printer;
  private final List<ChatMessage> history = new ArrayList<>();
  private List<ImageData> pendingImages;

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
    return exitCode(ask(prompt));
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

  /** The interactive session; returns when the user leaves. */
  int interactive() throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(ctx.in, StandardCharsets.UTF_8));
    ctx.interrupts.idleAction(
        () -> {
          ctx.out.print("\nUse Ctrl + d or /bye to exit.\n>>> ");
          ctx.out.flush();
        });
    try {
      while (true) {
        String input = readMessage(reader);
        if (input == null) {
          ctx.out.println();
          return ExitCodes.OK;
        }
        String trimmed = input.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (trimmed.startsWith("/") && !input.contains("\n")) {
          if (!command(trimmed)) {
            return ExitCodes.OK;
          }
          continue;
        }
        try {
          if (ask(input).brokenPipe()) {
            return ExitCodes.BROKEN_PIPE; // nobody reads the answers any more
          }
        } catch (RuntimeException e) {
          // In a session an error ends the answer, not the session.
          ctx.err.println(Failures.describe(e, model, ctx.serverUrl()).line());
          if (ctx.debug) {
            e.printStackTrace(ctx.err);
          }
        }
      }
    } finally {
      ctx.interrupts.idleAction(null);
    }
  }

  /** Runs a slash command; false means leave the session. */
  private boolean command(String line) {
    String name = line.split("\\s+", 2)[0];
    switch (name) {
      case "/bye", "/exit" -> {
        return false;
      }
      case "/clear" -> {
        history.clear();
        ctx.out.println("Cleared session context");
      }
      case "/?", "/help" -> ctx.out.println(HELP);
      default -> ctx.out.println("Unknown command '" + name + "'. Type /? for help");
    }
    return true;
  }

  /**
   * Reads one message: a line, or a {@code """} block spanning lines (its content without the
   * quotes). Null at end of input.
   */
  private String readMessage(BufferedReader reader) throws IOException {
    ctx.out.print(">>> ");
    ctx.out.flush();
    String line = reader.readLine();
    if (line == null || !line.stripLeading().startsWith("\"\"\"")) {
      return line;
    }
    String first = line.stripLeading().substring(3);
    if (first.endsWith("\"\"\"")) {
      return first.substring(0, first.length() - 3);
    }
    StringBuilder sb = new StringBuilder(first);
    while (true) {
      ctx.out.print("... ");
      ctx.out.flush();
      String next = reader.readLine();
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
    try {
      o = printer.print(llm.chatStream(options.request(model, history)));
    } catch (RuntimeException e) {
      history.remove(history.size() - 1);
      throw e;
    }
    pendingImages = List.of(); // sent once, with the first message, as ollama does
    if (o.cancelled() && o.content().isEmpty()) {
      history.remove(history.size() - 1);
    } else {
      history.add(ChatMessage.assistant(o.content()));
    }
    return o;
  }

  /** The conversation so far (tests). */
  List<ChatMessage> history() {
    return List.copyOf(history);
  }
}

package core.llm.cli;

import core.llm.providers.base.LlmProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code llm chat MODEL [PROMPT]}: one answer, or an interactive session. */
@Command(
    name = "chat",
    aliases = "run",
    description = { // `run`: the habit of `ollama run`
      "Chat with a model, the answer streamed as it comes.",
      "With a PROMPT (or '-', or input piped in) it answers once; otherwise it starts an interactive "
          + "session that keeps the conversation: \"\"\" for multi-line messages, /bye to quit, "
          + "Ctrl-C to stop an answer."
    })
final class ChatCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "MODEL", description = "Model name, e.g. llama3.2.")
  String model;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PROMPT",
      description = "The question; '-' reads it from stdin.")
  String prompt;

  @Mixin CompletionOptions options;

  @Override
  int run(CliContext ctx) throws Exception {
    ctx.model = model;
    String oneShot = oneShotPrompt(ctx, prompt);
    LlmProvider llm = ctx.llm();
    Conversation conversation = new Conversation(ctx, llm, ctx.model(model), options);
    if (oneShot != null) {
      try (AutoCloseable signals = ctx.interrupts.install()) {
        return conversation.oneShot(oneShot);
      }
    }
    // a line editor routes Ctrl-C itself (through the terminal's signal handlers)
    try (LineInput input = ctx.lineInput();
        AutoCloseable signals = input.interactive() ? () -> {} : ctx.interrupts.install()) {
      return conversation.interactive(input);
    }
  }

  /**
   * The prompt of a one-shot answer, or null for an interactive session. Like {@code ollama run}:
   * input that is not a terminal is the prompt, and with a PROMPT argument as well it goes first
   * ({@code cat notes.txt | llm chat M "summarize this"} sends the notes, a blank line, then the
   * question). {@code '-'} reads the prompt from stdin alone.
   */
  static String oneShotPrompt(CliContext ctx, String prompt) throws IOException {
    if ("-".equals(prompt) || (prompt == null && !ctx.stdinTty)) {
      return readPrompt(ctx.in);
    }
    if (prompt != null && !ctx.stdinTty) {
      String piped = new String(ctx.in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return piped.isEmpty() ? prompt : piped + "\n\n" + prompt;
    }
    return prompt;
  }

  /** All of stdin, trimmed; an empty prompt is a usage error, not a request. */
  static String readPrompt(InputStream in) throws IOException {
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("no prompt: give one as an argument or on stdin");
    }
    return text;
  }
}

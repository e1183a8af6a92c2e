package core.llm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code llm generate MODEL PROMPT}: one streamed completion, no session. */
@Command(
    name = "generate",
    description = "Answer one prompt, streamed ('-' reads the prompt from stdin).")
final class GenerateCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "MODEL")
  String model;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PROMPT",
      description =
          "The prompt; '-' or input piped in reads it from stdin (piped text goes before a PROMPT).")
  String prompt;

  @Mixin CompletionOptions options;

  @Override
  int run(CliContext ctx) throws Exception {
    ctx.model = model;
    String text = ChatCommand.oneShotPrompt(ctx, prompt);
    if (text == null) {
      throw new IllegalArgumentException("no prompt: give one as an argument or on stdin");
    }
    Conversation conversation = new Conversation(ctx, ctx.llm(), ctx.model(model), options);
    try (AutoCloseable signals = ctx.interrupts.install()) {
      return conversation.oneShot(text);
    }
  }
}

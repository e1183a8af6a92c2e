package core.llm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code llm generate MODEL PROMPT}: one streamed completion, no session. */
@Command(name = "generate", description = "Answer one prompt, streamed ('-' reads the prompt from stdin).")
final class GenerateCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "MODEL")
  String model;

  @Parameters(index = "1", paramLabel = "PROMPT")
  String prompt;

  @Mixin
  CompletionOptions options;

  @Override
  int run(CliContext ctx) throws Exception {
    ctx.model = model;
    String text = "-".equals(prompt) ? ChatCommand.readPrompt(ctx.in) : prompt;
    Conversation conversation = new Conversation(ctx, ctx.llm(), ctx.model(model), options);
    try (AutoCloseable signals = ctx.interrupts.install()) {
      return conversation.oneShot(text);
    }
  }
}

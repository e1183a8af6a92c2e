package core.llm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llm embed MODEL TEXT...}: the vectors as one JSON array of arrays on stdout. */
@Command(
    name = "embed",
    description = {
      "Embed texts; prints a JSON array with one vector per TEXT, in order.",
      "Without TEXT (or with '-') the text is read from stdin."
    })
final class EmbedCommand extends BaseCommand {
  /** Made on first use: picocli builds every command at start-up, and Jackson takes time. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  @Parameters(index = "0", paramLabel = "MODEL")
  String model;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT")
  List<String> texts = List.of();

  @Option(
      names = "--dimensions",
      paramLabel = "N",
      description = "Truncate vectors to N dimensions.")
  Integer dimensions;

  @Override
  int run(CliContext ctx) throws Exception {
    ctx.model = model;
    List<String> inputs =
        texts.isEmpty() || texts.equals(List.of("-"))
            ? List.of(ChatCommand.readPrompt(ctx.in))
            : texts;
    EmbeddingResult r =
        ctx.llm().embed(new EmbeddingRequest(ctx.model(model), inputs, dimensions)).await();
    ctx.out.println(Json.MAPPER.writeValueAsString(r.vectors()));
    return ExitCodes.OK;
  }
}

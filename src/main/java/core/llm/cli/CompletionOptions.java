package core.llm.cli;

import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.ImageData;
import core.llm.common.ResponseFormat;
import core.llm.common.Thinking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options of {@code chat} and {@code generate}: how to ask and how to show the answer. */
final class CompletionOptions {
  @Option(
      names = "--format",
      paramLabel = "json",
      description = "Ask for a JSON answer (only 'json').")
  String format;

  @Option(
      names = "--think",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "LEVEL",
      preprocessor = ThinkLevel.class,
      description =
          "Ask the model to think first; --think=LEVEL for true, false, low, medium or high.")
  String think;

  /**
   * {@code --think} takes a level only when it is attached ({@code --think=high}) or is one of the
   * levels: otherwise the next word is the prompt ({@code --think "why is the sky blue"} used to
   * take the question as the level).
   */
  static final class ThinkLevel implements IParameterPreprocessor {
    private static final Set<String> LEVELS = Set.of("true", "false", "low", "medium", "high");

    @Override
    public boolean preprocess(
        Stack<String> args, CommandSpec spec, ArgSpec arg, Map<String, Object> info) {
      if (!" ".equals(info.get("separator"))) { // picocli says " " when nothing is attached
        return false; // --think=LEVEL: picocli reads the attached value
      }
      if (!args.isEmpty() && LEVELS.contains(args.peek().toLowerCase(Locale.ROOT))) {
        return false; // --think high: a level
      }
      arg.setValue("true");
      return true; // a bare --think: the next word stays a parameter
    }
  }

  @Option(names = "--hide-thinking", description = "Do not print the model's thinking.")
  boolean hideThinking;

  @Option(
      names = "--show-thinking",
      description =
          "Print the model's thinking even when the output is a pipe or a file (it is left out there).")
  boolean showThinking;

  /**
   * Whether the thinking is printed: on a terminal unless hidden; elsewhere only when asked for.
   */
  boolean printsThinking(boolean stdoutTty) {
    return !hideThinking && (stdoutTty || showThinking);
  }

  @Option(
      names = "--verbose",
      description =
          "After each answer, print timings and token counts on stderr (as ollama run --verbose).")
  boolean verbose;

  @Option(names = "--system", paramLabel = "TEXT", description = "System message.")
  String system;

  @Option(
      names = "--image",
      paramLabel = "FILE",
      description = "Attach an image to the (first) prompt; repeatable.")
  List<Path> images = new ArrayList<>();

  /** A request for the conversation so far, with these options applied. */
  CompletionRequest request(String model, List<ChatMessage> conversation) {
    CompletionRequest.Builder b = CompletionRequest.builder(model);
    if (system != null) {
      b.system(system);
    }
    b.messages(conversation);
    if (format != null) {
      if (!format.equalsIgnoreCase("json")) {
        throw new IllegalArgumentException(
            "--format: only 'json' is supported, not '" + format + "'");
      }
      b.responseFormat(ResponseFormat.json());
    }
    if (think != null) {
      b.think(Thinking.parse(think));
    }
    if (!parameters.isEmpty()) {
      core.llm.common.GenerationOptions.Builder o = core.llm.common.GenerationOptions.builder();
      parameters.forEach(o::providerOption);
      b.options(o.build());
    }
    return b.build();
  }

  /** Session parameters ({@code /set parameter NAME VALUE}), sent as provider options. */
  final java.util.Map<String, Object> parameters = new java.util.LinkedHashMap<>();

  /** The attached images, read now so a missing file fails before any request. */
  List<ImageData> readImages() throws IOException {
    List<ImageData> out = new ArrayList<>();
    for (Path p : images) {
      out.add(ImageData.of(Files.readAllBytes(p), mediaType(p)));
    }
    return out;
  }

  private static String mediaType(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (n.endsWith(".gif")) {
      return "image/gif";
    }
    if (n.endsWith(".webp")) {
      return "image/webp";
    }
    return "image/png";
  }
}

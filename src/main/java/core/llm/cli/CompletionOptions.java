package core.llm.cli;

import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.ImageData;
import core.llm.common.ResponseFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options of {@code chat} and {@code generate}: how to ask and how to show the answer. */
final class CompletionOptions {
  @Option(names = "--format", paramLabel = "json", description = "Ask for a JSON answer (only 'json').")
  String format;

  @Option(names = "--think", arity = "0..1", fallbackValue = "true", paramLabel = "LEVEL",
      description = "Ask the model to think first: true, false, or a level (low, medium, high).")
  String think;

  @Option(names = "--hide-thinking", description = "Do not print the model's thinking.")
  boolean hideThinking;

  @Option(names = "--system", paramLabel = "TEXT", description = "System message.")
  String system;

  @Option(names = "--image", paramLabel = "FILE", description = "Attach an image to the (first) prompt; repeatable.")
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
        throw new IllegalArgumentException("--format: only 'json' is supported, not '" + format + "'");
      }
      b.responseFormat(ResponseFormat.json());
    }
    if (think != null) {
      b.think(think.toLowerCase(Locale.ROOT));
    }
    return b.build();
  }

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

package core.llm.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.CompletionResult;
import core.llm.common.ImageData;
import core.llm.common.Usage;
import core.llm.providers.ollama.models.Format;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.GenerateResponse;
import core.llm.providers.ollama.models.Think;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llm generate MODEL PROMPT}: one streamed completion, no session. Against an Ollama (the
 * provider named by {@code --provider}, else the first the router would try for the model) it is
 * Ollama's own {@code /api/generate}, which is what {@code --suffix}, {@code --raw}, {@code
 * --template} and {@code --context} need; any other provider gets the neutral completion (a chat of
 * one message), and those options are refused.
 */
@Command(
    name = "generate",
    description = {
      "Answer one prompt, streamed ('-' reads the prompt from stdin).",
      "Against Ollama this is /api/generate (no chat template unless the model's own; --suffix, "
          + "--raw, --template, --context); other providers answer it as a one-message chat."
    })
final class GenerateCommand extends BaseCommand {
  /** Made on first use: picocli builds every command at start-up, and Jackson takes time. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

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

  @Option(
      names = "--suffix",
      paramLabel = "TEXT",
      description = "Text after the insertion point (fill-in-the-middle; Ollama only).")
  String suffix;

  @Option(
      names = "--raw",
      description = "Send the prompt as is, without the model's template (Ollama only).")
  boolean raw;

  @Option(
      names = "--template",
      paramLabel = "TEMPLATE",
      description = "A prompt template instead of the model's (Ollama only).")
  String template;

  @Option(
      names = "--context",
      paramLabel = "FILE",
      description =
          "Continue from an earlier answer: a file of token ids (a JSON array) as --save-context "
              + "writes (Ollama only).")
  Path context;

  @Option(
      names = "--save-context",
      paramLabel = "FILE",
      description = "Write the answer's context (token ids) to FILE for --context (Ollama only).")
  Path saveContext;

  @Option(
      names = "--stats",
      description =
          "Print timings and token counts on stderr after the answer (as ollama run --verbose).")
  boolean stats;

  @Override
  int run(CliContext ctx) throws Exception {
    ctx.model = model;
    String text = ChatCommand.oneShotPrompt(ctx, prompt);
    if (text == null) {
      throw new IllegalArgumentException("no prompt: give one as an argument or on stdin");
    }
    Optional<CliContext.NativeOllama> ollama = ctx.nativeOllama(model);
    if (ollama.isPresent()) {
      return generate(ctx, ollama.get(), text);
    }
    String only = ollamaOnlyOption();
    if (only != null) {
      throw new IllegalArgumentException(
          only + " needs an Ollama provider; the model '" + model + "' goes to another kind");
    }
    Conversation conversation = new Conversation(ctx, ctx.llm(), ctx.model(model), options);
    try (AutoCloseable signals = ctx.interrupts.install()) {
      AnswerPrinter.Outcome<CompletionResult> o = conversation.answer(text);
      if ((stats || options.verbose) && o.result() != null) {
        printStats(ctx.err, o.result().usage());
      }
      return Conversation.exitCode(o);
    }
  }

  /** The first option given that only {@code /api/generate} has, or null. */
  private String ollamaOnlyOption() {
    if (suffix != null) {
      return "--suffix";
    }
    if (raw) {
      return "--raw";
    }
    if (template != null) {
      return "--template";
    }
    if (context != null) {
      return "--context";
    }
    return saveContext != null ? "--save-context" : null;
  }

  /** {@code POST /api/generate}, streamed, through the provider's native client. */
  private int generate(CliContext ctx, CliContext.NativeOllama target, String text)
      throws Exception {
    GenerateRequest request = request(target.model(), text);
    AnswerPrinter printer = new AnswerPrinter(ctx, !options.printsThinking(ctx.stdoutTty));
    printer.waitingFor("loading " + target.model() + "…");
    try (AutoCloseable signals = ctx.interrupts.install()) {
      AnswerPrinter.Outcome<GenerateResponse> o =
          printer.print(
              target.provider().client().generateStream(request),
              GenerateResponse::thinking,
              GenerateResponse::response);
      GenerateResponse last = o.result();
      if (last != null) {
        if (stats || options.verbose) {
          printStats(ctx.err, usage(last));
        }
        if (saveContext != null) {
          List<Integer> tokens = last.context() == null ? List.of() : last.context();
          Files.writeString(saveContext, Json.MAPPER.writeValueAsString(tokens) + "\n");
        }
      }
      return Conversation.exitCode(o);
    }
  }

  GenerateRequest request(String name, String text) throws IOException {
    GenerateRequest.Builder b = GenerateRequest.builder(name).prompt(text).stream(true);
    if (options.system != null) {
      b.system(options.system);
    }
    if (suffix != null) {
      b.suffix(suffix);
    }
    if (raw) {
      b.raw(true);
    }
    if (template != null) {
      b.template(template);
    }
    if (context != null) {
      b.context(readContext(context));
    }
    if (options.format != null) {
      if (!options.format.equalsIgnoreCase("json")) {
        throw new IllegalArgumentException(
            "--format: only 'json' is supported, not '" + options.format + "'");
      }
      b.format(Format.json());
    }
    if (options.think != null) {
      String level = options.think.toLowerCase(Locale.ROOT);
      b.think(
          switch (level) {
            case "true" -> Think.TRUE;
            case "false" -> Think.FALSE;
            default -> Think.level(level);
          });
    }
    for (ImageData image : options.readImages()) {
      b.image(image.base64());
    }
    return b.build();
  }

  private static List<Integer> readContext(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8).strip();
    try {
      return new ArrayList<>(Json.MAPPER.readValue(json, new TypeReference<List<Integer>>() {}));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--context: "
              + file
              + " is not a JSON array of token ids (write it with --save-context)");
    }
  }

  private static Usage usage(GenerateResponse r) {
    return new Usage(
        r.promptEvalCount(),
        r.evalCount(),
        nanos(r.totalDuration()),
        nanos(r.loadDuration()),
        nanos(r.promptEvalDuration()),
        nanos(r.evalDuration()));
  }

  private static Duration nanos(Long n) {
    return n == null ? null : Duration.ofNanos(n);
  }

  /** The statistics block of {@code ollama run --verbose}, for what the server reported. */
  static void printStats(PrintStream err, Usage u) {
    if (u == null) {
      return;
    }
    stat(err, "total duration", u.totalDuration());
    stat(err, "load duration", u.loadDuration());
    count(err, "prompt eval count", u.promptTokens());
    stat(err, "prompt eval duration", u.promptEvalDuration());
    rate(err, "prompt eval rate", u.promptTokens(), u.promptEvalDuration());
    count(err, "eval count", u.completionTokens());
    stat(err, "eval duration", u.evalDuration());
    rate(err, "eval rate", u.completionTokens(), u.evalDuration());
    err.flush();
  }

  private static void stat(PrintStream err, String name, Duration d) {
    if (d != null) {
      err.printf(Locale.ROOT, "%-22s%s%n", name + ":", duration(d));
    }
  }

  private static void count(PrintStream err, String name, Integer n) {
    if (n != null) {
      err.printf(Locale.ROOT, "%-22s%d token(s)%n", name + ":", n);
    }
  }

  private static void rate(PrintStream err, String name, Integer n, Duration d) {
    if (n != null && d != null && !d.isZero()) {
      err.printf(Locale.ROOT, "%-22s%.2f tokens/s%n", name + ":", n / (d.toNanos() / 1e9));
    }
  }

  /** Go's Duration style, as ollama prints it: 1.234567s, 5.678901ms, 12.3µs. */
  static String duration(Duration d) {
    long n = d.toNanos();
    if (n >= 1_000_000_000L) {
      return trim(String.format(Locale.ROOT, "%.6f", n / 1e9)) + "s";
    }
    if (n >= 1_000_000L) {
      return trim(String.format(Locale.ROOT, "%.6f", n / 1e6)) + "ms";
    }
    if (n >= 1_000L) {
      return trim(String.format(Locale.ROOT, "%.3f", n / 1e3)) + "µs";
    }
    return n + "ns";
  }

  private static String trim(String s) {
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}

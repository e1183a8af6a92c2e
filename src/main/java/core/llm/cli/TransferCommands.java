package core.llm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.ProgressSummary;
import core.llm.providers.ollama.models.CreateRequest;
import core.llm.providers.ollama.models.Options;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.ollama.models.PullRequest;
import core.llm.providers.ollama.models.PushRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pull}, {@code push} and {@code create}: streamed progress through {@link ProgressPrinter}. */
final class TransferCommands {
  private TransferCommands() {}

  /** Prints a progress stream until it ends; a failure is thrown after the lines before it. */
  static int follow(CliContext ctx, ResponseStream<ProgressResponse, ProgressSummary> stream) {
    ProgressPrinter printer = new ProgressPrinter(ctx.out, ctx.stdoutTty, System::nanoTime);
    StreamQueue<ProgressResponse> events = new StreamQueue<>(stream);
    while (true) {
      StreamQueue.Event<ProgressResponse> ev = events.next();
      if (ev instanceof StreamQueue.Item<ProgressResponse> item) {
        printer.accept(item.value());
      } else if (ev instanceof StreamQueue.Failed<ProgressResponse> f) {
        printer.closeBar();
        throw f.error() instanceof RuntimeException re ? re : new RuntimeException(f.error());
      } else {
        printer.closeBar();
        return ExitCodes.OK;
      }
    }
  }

  /** {@code llm pull MODEL}. */
  @Command(name = "pull", description = "Download a model from the registry, with a progress bar per layer.")
  static final class Pull extends BaseCommand {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(names = "--insecure", description = "Allow an insecure registry connection.")
    boolean insecure;

    @Override
    int run(CliContext ctx) {
      ctx.model = model;
      OllamaClient client = ctx.ollama().client();
      return follow(ctx, client.pullStream(new PullRequest(model, insecure ? true : null, true)));
    }
  }

  /** {@code llm push MODEL}. */
  @Command(name = "push", description = "Upload a model to the registry, with a progress bar per layer.")
  static final class Push extends BaseCommand {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(names = "--insecure", description = "Allow an insecure registry connection.")
    boolean insecure;

    @Override
    int run(CliContext ctx) {
      ctx.model = model;
      // Push uploads a local model: pulling a name the registry does not have cannot help.
      ctx.notFoundHint = "`llm list` shows the installed models, the ones push can upload";
      return follow(ctx, ctx.ollama().client().pushStream(new PushRequest(model, insecure ? true : null, true)));
    }
  }

  /** {@code llm create MODEL --from X}: a model derived from another, without a Modelfile. */
  @Command(name = "create", description = "Create a model from an existing one (--from) with its own system message, "
      + "template, parameters or quantization.")
  static final class Create extends BaseCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "MODEL", description = "Name of the new model.")
    String model;

    @Option(names = "--from", required = true, paramLabel = "MODEL", description = "The model to start from.")
    String from;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message of the new model.")
    String system;

    @Option(names = "--template", paramLabel = "TEXT", description = "Prompt template (Go template syntax).")
    String template;

    @Option(names = {"--parameter", "-p"}, paramLabel = "KEY=VALUE",
        description = "Default option, e.g. temperature=0.2 or num_ctx=8192; repeatable.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--quantize", paramLabel = "TYPE", description = "Quantize, e.g. q4_K_M.")
    String quantize;

    @Option(names = "--license", paramLabel = "TEXT", description = "License text.")
    String license;

    @Override
    int run(CliContext ctx) {
      ctx.model = from;
      CreateRequest.Builder b = CreateRequest.builder(model).from(from).system(system).template(template).quantize(quantize);
      if (license != null) {
        b.license(license);
      }
      if (!parameters.isEmpty()) {
        b.parameters(options(parameters));
      }
      return follow(ctx, ctx.ollama().client().createStream(b.build()));
    }

    /** KEY=VALUE pairs as Ollama options: numbers and booleans typed, {@code stop} as a list. */
    static Options options(Map<String, String> raw) {
      Map<String, Object> typed = new LinkedHashMap<>();
      raw.forEach((k, v) -> typed.put(k, k.equals("stop") ? List.of(v) : typed(v)));
      return JSON.convertValue(typed, Options.class);
    }

    private static Object typed(String v) {
      if (v.equals("true") || v.equals("false")) {
        return Boolean.parseBoolean(v);
      }
      try {
        return v.contains(".") ? (Object) Double.parseDouble(v) : (Object) Long.parseLong(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
  }
}

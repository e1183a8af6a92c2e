package core.llm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.ollama.Modelfile;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.ProgressSummary;
import core.llm.providers.ollama.models.CreateRequest;
import core.llm.providers.ollama.models.Options;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.ollama.models.PullRequest;
import core.llm.providers.ollama.models.PushRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code pull}, {@code push} and {@code create}: streamed progress through {@link ProgressPrinter}.
 */
final class TransferCommands {
  private TransferCommands() {}

  /** Prints a progress stream until it ends; a failure is thrown after the lines before it. */
  static int follow(CliContext ctx, ResponseStream<ProgressResponse, ProgressSummary> stream) {
    ProgressPrinter printer =
        new ProgressPrinter(ctx.out, ctx.stdoutTty, System::nanoTime, ctx.columns());
    StreamQueue<ProgressResponse> events = new StreamQueue<>(stream);
    try (AutoCloseable cleanLine = printer.finishLineOnExit()) {
      return follow(printer, events);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) { // AutoCloseable.close() declares Exception; ours throws none
      throw new IllegalStateException(e);
    }
  }

  private static int follow(ProgressPrinter printer, StreamQueue<ProgressResponse> events) {
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
  @Command(
      name = "pull",
      description = "Download a model from the registry, with a progress bar per layer.")
  static final class Pull extends BaseCommand {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(names = "--insecure", description = "Allow an insecure registry connection.")
    boolean insecure;

    @Override
    int run(CliContext ctx) {
      ctx.model = model;
      // not "try `llm pull MODEL`": that is what just failed
      ctx.notFoundHint = "the registry has no such model or tag: check the name (e.g. llama3.2:1b)";
      OllamaClient client = ctx.ollama().client();
      return follow(ctx, client.pullStream(new PullRequest(model, insecure ? true : null, true)));
    }
  }

  /** {@code llm push MODEL}. */
  @Command(
      name = "push",
      description = "Upload a model to the registry, with a progress bar per layer.")
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
      return follow(
          ctx,
          ctx.ollama().client().pushStream(new PushRequest(model, insecure ? true : null, true)));
    }
  }

  /**
   * {@code llm create MODEL -f Modelfile} as {@code ollama create} takes it (a local GGUF file or
   * safetensors folder in FROM is uploaded as blobs), or {@code --from X} without a Modelfile. The
   * other options override what the Modelfile says.
   */
  @Command(
      name = "create",
      description =
          "Create a model from a Modelfile (-f) or from an existing model (--from), with its own "
              + "system message, template, parameters or quantization.")
  static final class Create extends BaseCommand {
    /** Made on first use: picocli builds every command at start-up, and Jackson takes time. */
    private static final class Json {
      static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Parameters(paramLabel = "MODEL", description = "Name of the new model.")
    String model;

    @Option(
        names = "--from",
        paramLabel = "MODEL",
        description = "The model to start from (instead of a Modelfile).")
    String from;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "MODELFILE",
        description =
            "A Modelfile: FROM, PARAMETER, TEMPLATE, SYSTEM, ADAPTER, LICENSE, MESSAGE; a FROM that"
                + " names a local GGUF file or safetensors folder is uploaded.")
    Path file;

    @Option(
        names = "--system",
        paramLabel = "TEXT",
        description = "System message of the new model.")
    String system;

    @Option(
        names = "--template",
        paramLabel = "TEXT",
        description = "Prompt template (Go template syntax).")
    String template;

    @Option(
        names = {"--parameter", "-p"},
        paramLabel = "KEY=VALUE",
        converter = ParameterConverter.class,
        description =
            "Default option, e.g. temperature=0.2 or num_ctx=8192; repeatable (stop several times "
                + "for several stop sequences).")
    List<Parameter> parameters = new ArrayList<>();

    /** One {@code --parameter}, its value typed. */
    record Parameter(String key, Object value) {}

    /**
     * {@code KEY=VALUE} with numbers and booleans typed, and a value of the wrong type for a known
     * option refused while parsing, as a usage error, rather than by the server.
     */
    static final class ParameterConverter implements ITypeConverter<Parameter> {
      @Override
      public Parameter convert(String pair) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? "" : pair.substring(0, eq).strip();
        if (key.isEmpty()) {
          throw new TypeConversionException("expected KEY=VALUE, not '" + pair + "'");
        }
        String value = pair.substring(eq + 1);
        if (key.equals("stop")) {
          return new Parameter(key, value);
        }
        Object typed = typed(value);
        try {
          Json.MAPPER.convertValue(Map.of(key, typed), Options.class);
        } catch (IllegalArgumentException e) {
          throw new TypeConversionException(
              key + " must be " + expected(e) + ", not '" + value + "'");
        }
        return new Parameter(key, typed);
      }
    }

    @Option(names = "--quantize", paramLabel = "TYPE", description = "Quantize, e.g. q4_K_M.")
    String quantize;

    @Option(names = "--license", paramLabel = "TEXT", description = "License text.")
    String license;

    @Override
    int run(CliContext ctx) {
      if ((file == null) == (from == null)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "give a Modelfile (-f FILE) or a model to start from (--from MODEL), one of the two");
      }
      CreateRequest.Builder b;
      if (file != null) {
        Modelfile mf = readModelfile(file);
        ctx.model = mf.from();
        Path dir = file.toAbsolutePath().getParent();
        b = mf.createRequestBuilder(ctx.ollama().client(), model, dir).await();
      } else {
        ctx.model = from;
        b = CreateRequest.builder(model).from(from);
      }
      if (system != null) {
        b.system(system);
      }
      if (template != null) {
        b.template(template);
      }
      if (quantize != null) {
        b.quantize(quantize);
      }
      if (license != null) {
        b.license(license);
      }
      if (!parameters.isEmpty()) {
        b.parameters(options(parameters));
      }
      return follow(ctx, ctx.ollama().client().createStream(b.build()));
    }

    /** The Modelfile, read on this (command) thread: at most 1 MiB, errors in a person's words. */
    private static Modelfile readModelfile(Path file) {
      try {
        if (Files.size(file) > 1024 * 1024) {
          throw new IllegalArgumentException(
              "the Modelfile " + file + " is larger than 1 MiB; is it the right file?");
        }
        return Modelfile.parse(Files.readString(file));
      } catch (Modelfile.SyntaxException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage());
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException("no Modelfile at " + file);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(
            "cannot read the Modelfile " + file + ": " + e.getMessage());
      }
    }

    /**
     * The pairs as Ollama options; {@code stop} is a list, every occurrence kept (a Modelfile may
     * have several).
     */
    static Options options(List<Parameter> parameters) {
      Map<String, Object> typed = new LinkedHashMap<>();
      List<String> stops = new ArrayList<>();
      for (Parameter p : parameters) {
        if (p.key().equals("stop")) {
          stops.add((String) p.value());
          typed.put("stop", stops);
        } else {
          typed.put(p.key(), p.value());
        }
      }
      return Json.MAPPER.convertValue(typed, Options.class);
    }

    /** What the option's type wants, in words, from Jackson's refusal. */
    private static String expected(IllegalArgumentException e) {
      Class<?> type =
          e.getCause() instanceof MismatchedInputException mi ? mi.getTargetType() : null;
      if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
        return "a whole number";
      }
      if (type == Boolean.class || type == boolean.class) {
        return "true or false";
      }
      if (type != null && Number.class.isAssignableFrom(type)) {
        return "a number";
      }
      return type == null ? "of another type" : "a " + type.getSimpleName();
    }

    private static Object typed(String v) {
      return new core.llm.providers.ollama.Modelfile.Parameter("", v).typedValue();
    }
  }
}

package core.llm.cli;

import core.llm.providers.ollama.LoadResult;
import core.llm.providers.ollama.ModelLifecycle;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.models.CopyRequest;
import core.llm.providers.ollama.models.DeleteRequest;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.ollama.models.ListModel;
import core.llm.providers.ollama.models.ProcessModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Model management on the Ollama server with its native client: {@code list}, {@code ps}, {@code
 * cp}, {@code rm}, {@code load}, {@code unload}, {@code version}. ({@code show} has its own class.)
 */
final class ModelCommands {
  /**
   * For commands on models that must already be installed: pulling would not be what they meant.
   */
  static final String INSTALLED_HINT = "`llm list` shows the installed models";

  private ModelCommands() {}

  /** {@code llm list}. */
  @Command(
      name = "list",
      aliases = "ls",
      description = "List the models installed on the Ollama server.")
  static final class ListModels extends BaseCommand {
    @Override
    int run(CliContext ctx) {
      List<ListModel> models = ctx.ollama().client().list().await().models();
      Instant now = Instant.now();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "ID", "SIZE", "MODIFIED"});
      for (ListModel m : models == null ? List.<ListModel>of() : models) {
        rows.add(
            new String[] {
              m.name(),
              Fmt.shortDigest(m.digest()),
              m.size() == null ? "-" : Fmt.bytes(m.size()),
              Fmt.ago(m.modifiedAtTime(), now)
            });
      }
      ctx.out.print(Fmt.table(rows));
      return ExitCodes.OK;
    }
  }

  /** {@code llm ps}. */
  @Command(name = "ps", description = "List the models loaded in memory.")
  static final class Ps extends BaseCommand {
    @Override
    int run(CliContext ctx) {
      List<ProcessModel> models = ctx.ollama().client().ps().await().models();
      Instant now = Instant.now();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "ID", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"});
      for (ProcessModel m : models == null ? List.<ProcessModel>of() : models) {
        rows.add(
            new String[] {
              m.name(),
              Fmt.shortDigest(m.digest()),
              m.size() == null ? "-" : Fmt.bytes(m.size()),
              processor(m),
              m.contextLength() == null ? "" : String.valueOf(m.contextLength()),
              Fmt.until(m.expiresAtTime(), now)
            });
      }
      ctx.out.print(Fmt.table(rows));
      return ExitCodes.OK;
    }

    /**
     * {@code 100% GPU}, {@code 100% CPU} or {@code 48%/52% CPU/GPU}, as {@code ollama ps} shows.
     */
    static String processor(ProcessModel m) {
      if (m.size() == null || m.size() <= 0) {
        return "";
      }
      long gpu = Math.round(m.vramFraction() * 100);
      if (gpu >= 100) {
        return "100% GPU";
      }
      if (gpu <= 0) {
        return "100% CPU";
      }
      return (100 - gpu) + "%/" + gpu + "% CPU/GPU";
    }
  }

  /** {@code llm cp SRC DST}. */
  @Command(name = "cp", description = "Copy a model under a new name.")
  static final class Copy extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "1", paramLabel = "DESTINATION")
    String destination;

    @Override
    int run(CliContext ctx) {
      ctx.model = source;
      ctx.notFoundHint = INSTALLED_HINT;
      ctx.ollama().client().copy(new CopyRequest(source, destination)).await();
      ctx.out.println("copied '" + source + "' to '" + destination + "'");
      return ExitCodes.OK;
    }
  }

  /** {@code llm rm MODEL...}. */
  @Command(name = "rm", description = "Remove models from the Ollama server.")
  static final class Remove extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "MODEL")
    List<String> models;

    @Override
    int run(CliContext ctx) {
      OllamaClient client = ctx.ollama().client();
      ctx.notFoundHint = INSTALLED_HINT;
      for (String m : models) {
        ctx.model = m;
        client.delete(new DeleteRequest(m)).await();
        ctx.out.println("deleted '" + m + "'");
      }
      return ExitCodes.OK;
    }
  }

  /** {@code llm load MODEL [--keep-alive D]}. */
  @Command(name = "load", description = "Load a model into memory ahead of use.")
  static final class Load extends BaseCommand {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(
        names = "--keep-alive",
        paramLabel = "DURATION",
        description =
            "How long to keep it after its last use: 30m, 1h, 3600 (seconds), -1 for ever.")
    String keepAlive;

    @Override
    int run(CliContext ctx) {
      ctx.model = model;
      KeepAlive ka = keepAlive == null ? null : KeepAlive.parse(keepAlive);
      // Open the connection first (a cheap call): the time printed is the load's, not this
      // process's start-up.
      ctx.ollama().client().version().otherwiseEmpty().await();
      LoadResult r = lifecycle(ctx).load(model, ka, null).await();
      String until =
          r.process() == null ? "" : Fmt.until(r.process().expiresAtTime(), Instant.now());
      // "until" only when it is a time to come (a server clock behind ours would say "Stopping...")
      String suffix =
          until.endsWith("from now") || until.equals("Forever")
              ? ", kept " + until.toLowerCase(Locale.ROOT)
              : "";
      ctx.out.println("loaded '" + r.model() + "' in " + Fmt.seconds(r.took()) + suffix);
      return ExitCodes.OK;
    }
  }

  /** {@code llm unload MODEL}. */
  @Command(
      name = "unload",
      aliases = "stop",
      description = "Unload a model from memory now.") // `ollama stop`
  static final class Unload extends BaseCommand {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Override
    int run(CliContext ctx) {
      ctx.model = model;
      lifecycle(ctx).unload(model).await();
      ctx.out.println("unloaded '" + model + "'");
      return ExitCodes.OK;
    }
  }

  /** {@code llm version}: this program's version and the server's. */
  @Command(name = "version", description = "Show the client version and the Ollama server version.")
  static final class Version extends BaseCommand {
    @Override
    int run(CliContext ctx) {
      ctx.out.println("client version is " + Llm.clientVersion());
      ctx.out.flush();
      try {
        String server = ctx.ollama().client().version().await().version();
        ctx.out.println("ollama version is " + server);
      } catch (core.llm.common.LlmException e) {
        if (e.kind() != core.llm.common.ErrorKind.CONNECTION
            && e.kind() != core.llm.common.ErrorKind.TIMEOUT) {
          throw e;
        }
        // as `ollama -v` does: the client's version is the answer; a missing server is a warning
        ctx.err.println("Warning: could not connect to a running Ollama instance");
      }
      return ExitCodes.OK;
    }
  }

  static ModelLifecycle lifecycle(CliContext ctx) {
    return ctx.ollama()
        .lifecycle()
        .orElseThrow(
            () -> new IllegalStateException("this Ollama provider has no model lifecycle"));
  }
}

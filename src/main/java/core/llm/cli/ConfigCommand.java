package core.llm.cli;

import core.llm.providers.config.ConfigLoadResult;
import core.llm.providers.config.ConfigLoader;
import core.llm.providers.config.LlmConfig;
import core.llm.providers.config.ProviderConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code llm config ...}: configuration tools. */
@Command(
    name = "config",
    description = "Configuration tools.",
    subcommands = ConfigCommand.Validate.class)
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code llm config validate FILE}: the same loading and validation the factory applies (with the
   * environment's overrides and the registered provider types), every problem at once.
   */
  @Command(
      name = "validate",
      description =
          "Check a configuration file: prints the validation report; "
              + "exit 0 when valid, "
              + ExitCodes.CONFIG
              + " otherwise.")
  static final class Validate extends BaseCommand {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    int run(CliContext ctx) {
      ConfigLoadResult r = new ConfigLoader(ctx.env::get, ctx.creators().keySet()).load(file);
      ctx.out.println(file + ": " + r.report());
      if (!r.isValid()) {
        return ExitCodes.CONFIG;
      }
      LlmConfig c = r.config();
      ctx.out.println("default provider: " + c.defaultProvider());
      for (ProviderConfig p : c.providers()) {
        ctx.out.println(
            "  "
                + p.name()
                + " ("
                + p.type()
                + ")"
                + (p.baseUrl() == null ? "" : " " + p.baseUrl())
                + (p.enabled() ? "" : " disabled"));
      }
      return ExitCodes.OK;
    }
  }
}

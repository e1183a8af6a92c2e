package core.llm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every command takes, before or after the command name ({@code llm --debug list} and
 * {@code llm list --debug} both work): a mixin on the root and on each command.
 */
final class GlobalOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Configuration file (YAML or JSON). Default: $XDG_CONFIG_HOME/core-llm/config.yaml or "
              + "~/.config/core-llm/config.yaml if present, else one Ollama at OLLAMA_HOST.")
  Path config;

  @Option(
      names = "--provider",
      paramLabel = "NAME",
      description = "Use this configured provider instead of routing by model.")
  String provider;

  @Option(names = "--debug", description = "Print stack traces of failures.")
  boolean debug;
}

package core.llm.cli;

import core.llm.providers.ollama.models.ModelDetails;
import core.llm.providers.ollama.models.ShowResponse;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llm show MODEL}: the model's details, like {@code ollama show}. */
@Command(
    name = "show",
    description = "Show a model's details, capabilities, parameters, system message and license.")
final class ShowCommand extends BaseCommand {
  @Parameters(paramLabel = "MODEL")
  String model;

  @Option(names = "--modelfile", description = "Print only the Modelfile.")
  boolean modelfile;

  @Option(names = "--parameters", description = "Print only the parameters.")
  boolean parameters;

  @Option(names = "--template", description = "Print only the template.")
  boolean template;

  @Option(names = "--system", description = "Print only the system message.")
  boolean system;

  @Option(names = "--license", description = "Print only the license.")
  boolean license;

  @Override
  int run(CliContext ctx) {
    ctx.model = model;
    ShowResponse s = ctx.ollama().client().show(model).await();
    PrintStream out = ctx.out;
    String only =
        modelfile
            ? s.modelfile()
            : parameters
                ? s.parameters()
                : template ? s.template() : system ? s.system() : license ? s.license() : null;
    if (modelfile || parameters || template || system || license) {
      out.println(only == null ? "" : only.stripTrailing());
      return ExitCodes.OK;
    }
    printInfo(out, s);
    return ExitCodes.OK;
  }

  /** The details block of {@code ollama show} (also {@code /show info} in a chat). */
  static void printInfo(PrintStream out, ShowResponse s) {
    ModelDetails d = s.details();
    out.println("  Model");
    row(out, "architecture", d == null ? null : d.family());
    row(out, "parameters", d == null ? null : d.parameterSize());
    row(out, "context length", s.contextLength());
    row(out, "embedding length", embeddingLength(s));
    row(out, "quantization", d == null ? null : d.quantizationLevel());
    section(out, "Capabilities", s.capabilities());
    if (s.parameters() != null && !s.parameters().isBlank()) {
      // "name value" lines, aligned as the Model rows are (as ollama show does)
      section(
          out,
          "Parameters",
          s.parameters().strip().lines().map(ShowCommand::parameterRow).toList());
    }
    if (s.system() != null && !s.system().isBlank()) {
      section(out, "System", s.system().strip().lines().limit(2).toList());
    }
    if (s.license() != null && !s.license().isBlank()) {
      section(out, "License", s.license().strip().lines().limit(2).toList());
    }
    out.println();
  }

  private static Object embeddingLength(ShowResponse s) {
    Map<String, Object> info = s.modelInfo();
    if (info == null) {
      return null;
    }
    return info.entrySet().stream()
        .filter(e -> e.getKey().endsWith(".embedding_length"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  static String parameterRow(String line) {
    String l = line.strip();
    int space = l.indexOf(' ');
    int tab = l.indexOf('\t');
    int cut = space < 0 ? tab : tab < 0 ? space : Math.min(space, tab);
    if (cut < 0) {
      return l;
    }
    return String.format("%-20s %s", l.substring(0, cut), l.substring(cut).strip());
  }

  private static void row(PrintStream out, String name, Object value) {
    if (value != null) {
      out.printf("    %-20s %s%n", name, value);
    }
  }

  private static void section(PrintStream out, String title, List<String> lines) {
    if (lines == null || lines.isEmpty()) {
      return;
    }
    out.println();
    out.println("  " + title);
    lines.forEach(l -> out.println("    " + l));
  }
}

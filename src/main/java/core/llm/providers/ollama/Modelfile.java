package core.llm.providers.ollama;

import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.providers.ollama.models.CreateRequest;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.Options;
import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed Modelfile (Ollama's syntax, {@code docs/modelfile.mdx}): {@code FROM}, {@code
 * PARAMETER}, {@code TEMPLATE}, {@code SYSTEM}, {@code ADAPTER}, {@code LICENSE}, {@code MESSAGE},
 * {@code REQUIRES}; instructions in any case, {@code #} comments, values as the rest of the line,
 * {@code "quoted"} or {@code """multi-line"""}.
 *
 * <pre>{@code
 * Modelfile mf = Modelfile.parse(Files.readString(path));
 * mf.toCreateRequest(client, "my-model", path.getParent())   // uploads a local FROM or ADAPTER
 *     .compose(client::create);
 * }</pre>
 *
 * @param from a model name, or a path (relative to the Modelfile's folder) of a GGUF file or a
 *     safetensors folder
 * @param parameters {@code PARAMETER name value}, in order ({@code stop} may repeat)
 * @param adapters {@code ADAPTER} paths
 * @param licenses {@code LICENSE} texts
 */
public record Modelfile(
    String from,
    List<Parameter> parameters,
    String template,
    String system,
    List<String> adapters,
    List<String> licenses,
    List<Message> messages,
    String requires) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One {@code PARAMETER} line. */
  public record Parameter(String name, String value) {
    /** The value as Ollama reads it: {@code true}/{@code false}, a number, else the text. */
    public Object typedValue() {
      return typed(value);
    }
  }

  /** A Modelfile that cannot be read; the message names the line. */
  public static final class SyntaxException extends IllegalArgumentException {
    private final int line;

    SyntaxException(int line, String message) {
      super("Modelfile line " + line + ": " + message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  public Modelfile {
    parameters = List.copyOf(parameters);
    adapters = List.copyOf(adapters);
    licenses = List.copyOf(licenses);
    messages = List.copyOf(messages);
  }

  /** Parses the text; throws {@link SyntaxException} naming the line of the first problem. */
  public static Modelfile parse(String text) {
    String from = null;
    String template = null;
    String system = null;
    String requires = null;
    List<Parameter> parameters = new ArrayList<>();
    List<String> adapters = new ArrayList<>();
    List<String> licenses = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = firstSpace(line);
      String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
      String rest = space < 0 ? "" : line.substring(space).strip();
      // A """ value may span lines: gather them first.
      if (rest.contains("\"\"\"")) {
        int open = rest.indexOf("\"\"\"");
        StringBuilder value = new StringBuilder(rest.substring(open + 3));
        int close = value.indexOf("\"\"\"");
        while (close < 0) {
          if (++i >= lines.length) {
            throw new SyntaxException(lineNo, "a \"\"\" value is never closed");
          }
          value.append('\n').append(lines[i]);
          close = value.indexOf("\"\"\"");
        }
        if (!value.substring(close + 3).isBlank()) {
          throw new SyntaxException(i + 1, "text after the closing \"\"\"");
        }
        rest = rest.substring(0, open) + "\u0000" + value.substring(0, close);
      }
      switch (instruction) {
        case "FROM" -> from = required(lineNo, "FROM", single(rest));
        case "TEMPLATE" -> template = single(rest);
        case "SYSTEM" -> system = single(rest);
        case "REQUIRES" -> requires = required(lineNo, "REQUIRES", single(rest));
        case "ADAPTER" -> adapters.add(required(lineNo, "ADAPTER", single(rest)));
        case "LICENSE" -> licenses.add(single(rest));
        case "PARAMETER" -> {
          int sp = firstSpace(rest);
          if (sp < 0) {
            throw new SyntaxException(lineNo, "PARAMETER needs a name and a value");
          }
          parameters.add(
              new Parameter(
                  rest.substring(0, sp).toLowerCase(Locale.ROOT), single(rest.substring(sp))));
        }
        case "MESSAGE" -> {
          int sp = firstSpace(rest);
          String role = (sp < 0 ? rest : rest.substring(0, sp)).toLowerCase(Locale.ROOT);
          if (!List.of("system", "user", "assistant", "tool").contains(role)) {
            throw new SyntaxException(
                lineNo, "MESSAGE role must be system, user, assistant or tool, not '" + role + "'");
          }
          String content = sp < 0 ? "" : single(rest.substring(sp));
          messages.add(new Message(role, content, null, null, null, null, null, null));
        }
        default ->
            throw new SyntaxException(
                lineNo,
                "unknown instruction '"
                    + instruction
                    + "' (FROM, PARAMETER, TEMPLATE, SYSTEM, ADAPTER, LICENSE, MESSAGE, REQUIRES)");
      }
    }
    if (from == null) {
      throw new SyntaxException(Math.max(1, lines.length), "no FROM line");
    }
    return new Modelfile(
        from, parameters, template, system, adapters, licenses, messages, requires);
  }

  /**
   * The parameters as Ollama options: numbers and booleans typed, every {@code stop} kept. Throws
   * {@link IllegalArgumentException} naming a parameter whose value has the wrong type.
   */
  public Options options() {
    Map<String, Object> typed = new LinkedHashMap<>();
    List<String> stops = new ArrayList<>();
    for (Parameter p : parameters) {
      if (p.name().equals("stop")) {
        stops.add(p.value());
        typed.put("stop", stops);
      } else {
        typed.put(p.name(), typed(p.value()));
      }
    }
    try {
      return JSON.convertValue(typed, Options.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "a PARAMETER has a value of the wrong type: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code /api/create} request for a model named {@code model}. A {@code FROM} or {@code
   * ADAPTER} that names a file (or, for {@code FROM}, a folder of safetensors files) under {@code
   * dir} is uploaded as blobs first, through the client (never whole in memory); a {@code FROM}
   * that names no file is a model name. File checks use Vert.x's asynchronous file system.
   */
  public Future<CreateRequest> toCreateRequest(OllamaClient client, String model, Path dir) {
    return createRequestBuilder(client, model, dir).map(CreateRequest.Builder::build);
  }

  /** As {@link #toCreateRequest}, leaving the builder open for overrides (quantize...). */
  public Future<CreateRequest.Builder> createRequestBuilder(
      OllamaClient client, String model, Path dir) {
    FileSystem fs = client.vertx().fileSystem();
    CreateRequest.Builder b =
        CreateRequest.builder(model).template(template).system(system).requires(requires);
    if (!parameters.isEmpty()) {
      try {
        b.parameters(options());
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
    }
    messages.forEach(b::message);
    if (licenses.size() == 1) {
      b.license(licenses.get(0));
    } else if (licenses.size() > 1) {
      b.license(licenses);
    }
    Path base = dir == null ? Path.of(".") : dir;
    Path fromPath = base.resolve(expandHome(from));
    Future<Void> source =
        fs.exists(fromPath.toString())
            .compose(
                exists -> {
                  if (!exists) {
                    b.from(from);
                    return Future.succeededFuture();
                  }
                  return fs.props(fromPath.toString())
                      .compose(
                          props ->
                              props.isDirectory()
                                  ? uploadFolder(client, fs, fromPath, b)
                                  : client
                                      .createBlob(fromPath)
                                      .map(
                                          digest -> {
                                            b.file(fromPath.getFileName().toString(), digest);
                                            return null;
                                          }));
                });
    for (String adapter : adapters) {
      Path path = base.resolve(expandHome(adapter));
      source =
          source.compose(
              v ->
                  client
                      .createBlob(path)
                      .map(
                          digest -> {
                            b.adapter(path.getFileName().toString(), digest);
                            return null;
                          }));
    }
    return source.map(v -> b);
  }

  private static Future<Void> uploadFolder(
      OllamaClient client, FileSystem fs, Path folder, CreateRequest.Builder b) {
    return fs.readDir(folder.toString())
        .compose(
            entries -> {
              Future<Void> chain = Future.succeededFuture();
              for (String entry : entries.stream().sorted().toList()) {
                Path file = Path.of(entry);
                chain =
                    chain.compose(
                        v ->
                            fs.props(file.toString())
                                .compose(
                                    props -> {
                                      if (!props.isRegularFile()) {
                                        return Future.succeededFuture();
                                      }
                                      return client
                                          .createBlob(file)
                                          .map(
                                              digest -> {
                                                b.file(file.getFileName().toString(), digest);
                                                return null;
                                              });
                                    }));
              }
              return chain;
            });
  }

  private static String expandHome(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return System.getProperty("user.home") + path.substring(1);
    }
    return path;
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** A value: the rest of the line, a "quoted" one, or a gathered """ value (marked by NUL). */
  private static String single(String rest) {
    String v = rest.strip();
    int nul = rest.indexOf('\u0000');
    if (nul >= 0) {
      return rest.substring(nul + 1);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  private static String required(int line, String instruction, String value) {
    if (value == null || value.isBlank()) {
      throw new SyntaxException(line, instruction + " needs a value");
    }
    return value;
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

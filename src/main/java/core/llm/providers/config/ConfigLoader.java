package core.llm.providers.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import core.llm.common.OllamaHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a configuration (YAML or JSON), applies environment overrides, fills defaults and
 * validates, reporting every problem at once.
 *
 * <p>Pipeline: parse → bind (unknown keys, types, durations) → overrides → defaults → {@link
 * ConfigValidator}. The environment is a parameter (a {@code Function} or a {@code Map}); only
 * {@link #fromSystemEnv} reads {@link System#getenv}.
 *
 * <p>Overrides:
 *
 * <ul>
 *   <li>{@code LLM_PROVIDER}: the default provider.
 *   <li>{@code PROVIDER_MODEL_MAPPING}: JSON {@code {"ollama": ["llama3.2:1b", "mistral"]}} (a
 *       single string is accepted for a list); each model is mapped to that provider, replacing a
 *       mapping of the same model from the file. Malformed → a problem at {@code
 *       env.PROVIDER_MODEL_MAPPING}.
 *   <li>{@code OLLAMA_HOST}: parsed by {@link OllamaHost#parse}, sets the baseUrl of the provider
 *       named {@code ollama} of type ollama (replacing its baseUrl), else of the first ollama
 *       provider without a baseUrl.
 * </ul>
 *
 * Defaults: an ollama provider still without a baseUrl gets {@code http://127.0.0.1:11434}; a
 * missing {@code defaultProvider} becomes the first enabled provider. With no file, the embedded
 * default is one provider {@code ollama} (type ollama, OLLAMA_HOST or the default address), the
 * default provider; overrides still apply.
 *
 * <p>Blocking methods ({@link #load(Path)}) are for start-up code and tools; on an event loop read
 * the file with Vert.x and call {@link #parse(String, ConfigFormat)}.
 */
public final class ConfigLoader {
  public static final String ENV_PROVIDER = "LLM_PROVIDER";
  public static final String ENV_MODEL_MAPPING = "PROVIDER_MODEL_MAPPING";
  public static final String ENV_OLLAMA_HOST = OllamaHost.ENV;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();
  private static final ObjectMapper WRITER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Function<String, String> env;
  private final Set<String> knownTypes;

  /**
   * @param env environment lookup (overrides and key presence); null means an empty environment
   * @param knownTypes registered provider types; null means {@link ConfigValidator#BUILT_IN_TYPES}
   */
  public ConfigLoader(Function<String, String> env, Set<String> knownTypes) {
    this.env = env == null ? k -> null : env;
    this.knownTypes = knownTypes == null ? ConfigValidator.BUILT_IN_TYPES : Set.copyOf(knownTypes);
  }

  public static ConfigLoader create(Map<String, String> env, Set<String> knownTypes) {
    Map<String, String> copy = env == null ? Map.of() : Map.copyOf(env);
    return new ConfigLoader(copy::get, knownTypes);
  }

  public static ConfigLoader fromSystemEnv(Set<String> knownTypes) {
    return new ConfigLoader(System::getenv, knownTypes);
  }

  /** The environment this loader uses. */
  public Function<String, String> env() {
    return env;
  }

  public Set<String> knownTypes() {
    return knownTypes;
  }

  /**
   * Reads a file (blocking). Format by extension, else by content. A null path gives {@link
   * #embedded()}; an unreadable file gives a result with a {@code (file)} problem and no config.
   */
  public ConfigLoadResult load(Path path) {
    if (path == null) {
      return embedded();
    }
    String text;
    try {
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        return tooLarge(size);
      }
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new ConfigLoadResult(null, ValidationReport.of(List.of(unreadable(path, e))));
    }
    return parse(text, ConfigFormat.fromFileName(path.getFileName().toString()));
  }

  /**
   * The largest configuration read: 1 MiB. A real one is a few KiB; a larger file is the wrong
   * file, and parsing megabytes of YAML takes seconds of CPU.
   */
  public static final int MAX_FILE_BYTES = 1 << 20;

  static ConfigLoadResult tooLarge(long size) {
    return new ConfigLoadResult(
        null,
        ValidationReport.of(
            List.of(
                ConfigProblem.error(
                    "(file)",
                    "the file has "
                        + size
                        + " bytes; a configuration is read only up to "
                        + MAX_FILE_BYTES
                        + " bytes (1 MiB): is this the right file?"))));
  }

  static ConfigProblem unreadable(Path path, Throwable e) {
    String why =
        e instanceof java.nio.file.NoSuchFileException
                || String.valueOf(e.getMessage()).contains("NoSuchFile")
            ? "file not found"
            : e.getClass().getSimpleName();
    return ConfigProblem.error("(file)", "cannot read " + path + ": " + why);
  }

  /** The embedded default with overrides applied, validated. */
  public ConfigLoadResult embedded() {
    return finish(LlmConfig.embeddedDefault(null), new ArrayList<>());
  }

  /**
   * Parses configuration text.
   *
   * @param format null to sniff ({@link ConfigFormat#sniff})
   */
  public ConfigLoadResult parse(String text, ConfigFormat format) {
    Objects.requireNonNull(text, "text");
    if (text.length() > MAX_FILE_BYTES) {
      return tooLarge(text.getBytes(StandardCharsets.UTF_8).length);
    }
    ConfigFormat f = format == null ? ConfigFormat.sniff(text) : format;
    List<ConfigProblem> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = (f == ConfigFormat.JSON ? JSON : YAML).readTree(text);
    } catch (JsonProcessingException e) {
      problems.add(syntaxProblem(f, e));
      return new ConfigLoadResult(null, ValidationReport.of(problems));
    }
    LlmConfig bound = new ConfigBinder(JSON, problems).bind(root);
    if (bound == null) {
      return new ConfigLoadResult(null, ValidationReport.of(problems));
    }
    return finish(bound, problems);
  }

  /** Parses text whose format is given by a file name's extension (sniffed when unknown). */
  public ConfigLoadResult parse(String text, String fileName) {
    return parse(text, ConfigFormat.fromFileName(fileName));
  }

  /** Applies overrides and defaults to an already built configuration, then validates it. */
  public ConfigLoadResult finish(LlmConfig config) {
    return finish(config, new ArrayList<>());
  }

  private ConfigLoadResult finish(LlmConfig config, List<ConfigProblem> problems) {
    LlmConfig c = applyOverrides(config, problems);
    new ConfigValidator(knownTypes, env).validate(c, problems);
    return new ConfigLoadResult(c, ValidationReport.of(problems));
  }

  private LlmConfig applyOverrides(LlmConfig c, List<ConfigProblem> problems) {
    String defaultProvider = c.defaultProvider();
    String llmProvider = env.apply(ENV_PROVIDER);
    if (llmProvider != null && !llmProvider.isBlank()) {
      defaultProvider = llmProvider.strip();
    }

    Map<String, String> mapping = new LinkedHashMap<>(c.modelMapping());
    String rawMapping = env.apply(ENV_MODEL_MAPPING);
    if (rawMapping != null && !rawMapping.isBlank()) {
      modelMappingFromEnv(rawMapping, mapping, problems);
    }

    List<ProviderConfig> providers = new ArrayList<>(c.providers());
    String host = env.apply(ENV_OLLAMA_HOST);
    if (host != null && !host.isBlank()) {
      try {
        core.llm.common.BaseUrl url = OllamaHost.resolve(host, ENV_OLLAMA_HOST);
        int target = ollamaTarget(providers);
        if (url.authorization() != null) {
          // a configuration holds no credentials (it is printed and logged): say so, never drop
          // them
          problems.add(
              ConfigProblem.error(
                  "env." + ENV_OLLAMA_HOST,
                  "must not contain user info"
                      + " (credentials) when a configuration is used; give them to OllamaClientOptions.setBaseUrl in code"
                      + ""));
        } else if (target >= 0) {
          providers.set(target, providers.get(target).withBaseUrl(url.toString()));
        }
      } catch (core.llm.common.LlmException e) {
        // the message shows the accepted forms and never the value
        problems.add(ConfigProblem.error("env." + ENV_OLLAMA_HOST, e.getMessage()));
      }
    }
    for (int i = 0; i < providers.size(); i++) {
      ProviderConfig p = providers.get(i);
      if ("ollama".equals(p.type()) && (p.baseUrl() == null || p.baseUrl().isBlank())) {
        providers.set(i, p.withBaseUrl(OllamaHost.DEFAULT.toString()));
      }
    }
    if (defaultProvider == null || defaultProvider.isBlank()) {
      defaultProvider =
          providers.stream()
              .filter(ProviderConfig::enabled)
              .map(ProviderConfig::name)
              .findFirst()
              .orElse(providers.isEmpty() ? null : providers.get(0).name());
    }
    return new LlmConfig(
        defaultProvider,
        providers,
        mapping,
        c.aliases(),
        c.fallback(),
        c.routing(),
        c.reload(),
        c.gateway());
  }

  private static int ollamaTarget(List<ProviderConfig> providers) {
    for (int i = 0; i < providers.size(); i++) {
      ProviderConfig p = providers.get(i);
      if (LlmConfig.EMBEDDED_PROVIDER.equals(p.name()) && "ollama".equals(p.type())) {
        return i;
      }
    }
    for (int i = 0; i < providers.size(); i++) {
      ProviderConfig p = providers.get(i);
      if ("ollama".equals(p.type()) && (p.baseUrl() == null || p.baseUrl().isBlank())) {
        return i;
      }
    }
    return -1;
  }

  private static void modelMappingFromEnv(
      String raw, Map<String, String> mapping, List<ConfigProblem> problems) {
    String path = "env." + ENV_MODEL_MAPPING;
    JsonNode root;
    try {
      root = JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      problems.add(
          ConfigProblem.error(
              path,
              "malformed JSON"
                  + (loc == null
                      ? ""
                      : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                  + "; expected e.g. {\"ollama\": [\"llama3.2:1b\", \"mistral\"]}"));
      return;
    }
    if (root == null || !root.isObject()) {
      problems.add(
          ConfigProblem.error(path, "expected a JSON object of provider name to list of models"));
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String provider = e.getKey();
      JsonNode models = e.getValue();
      if (models.isTextual()) {
        mapping.put(models.asText(), provider);
      } else if (models.isArray()) {
        for (int i = 0; i < models.size(); i++) {
          JsonNode m = models.get(i);
          if (m.isTextual() && !m.asText().isBlank()) {
            mapping.put(m.asText(), provider);
          } else {
            problems.add(
                ConfigProblem.error(
                    path + "." + provider + "[" + i + "]", "expected a model name"));
          }
        }
      } else {
        problems.add(ConfigProblem.error(path + "." + provider, "expected a list of model names"));
      }
    }
  }

  private static ConfigProblem syntaxProblem(ConfigFormat f, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    StringBuilder reason = new StringBuilder();
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    for (String line : original.split("\n")) {
      // snakeyaml adds indented context lines (position, source excerpt, caret): keep the rest.
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        reason.append(reason.length() == 0 ? "" : "; ").append(line.strip());
      }
    }
    String where =
        loc == null || loc.getLineNr() < 0
            ? ""
            : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    return ConfigProblem.error("(file)", f + " syntax error" + where + ": " + reason);
  }

  /** The configuration as indented JSON (durations as ISO-8601); contains no credential. */
  public static String toJson(LlmConfig config) {
    try {
      return WRITER.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise configuration", e);
    }
  }
}

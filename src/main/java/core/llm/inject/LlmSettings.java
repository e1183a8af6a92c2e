package core.llm.inject;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the host tells {@link LlmModule}: the configuration file (none = the embedded default, one
 * Ollama at {@code OLLAMA_HOST}) and the environment used for overrides and API keys. Bind your own
 * with {@code OptionalBinder.newOptionalBinder(binder(),
 * LlmSettings.class).setBinding().toInstance(...)}; the default is {@link #defaults()}.
 *
 * @param configFile YAML or JSON file, or null
 * @param env environment lookup ({@code LLM_PROVIDER}, {@code PROVIDER_MODEL_MAPPING}, {@code
 *     OLLAMA_HOST}, key variables)
 */
public record LlmSettings(Path configFile, Function<String, String> env) {

  public LlmSettings {
    env = env == null ? System::getenv : env;
  }

  /** No file, the process environment. */
  public static LlmSettings defaults() {
    return new LlmSettings(null, System::getenv);
  }

  /** That file, the process environment. */
  public static LlmSettings ofFile(Path file) {
    return new LlmSettings(Objects.requireNonNull(file, "file"), System::getenv);
  }

  /** The same file with a fixed environment (tests, or hosts that curate variables). */
  public LlmSettings withEnv(Map<String, String> vars) {
    Map<String, String> copy = Map.copyOf(vars);
    return new LlmSettings(configFile, copy::get);
  }

  public Optional<Path> file() {
    return Optional.ofNullable(configFile);
  }

  /** Never prints environment values. */
  @Override
  public String toString() {
    return "LlmSettings[configFile=" + configFile + "]";
  }
}

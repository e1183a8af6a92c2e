package core.llm.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options every provider understands, plus {@link #providerOptions()}: an escape hatch whose keys
 * are passed to the provider's own options as they are (Ollama {@code options}, OpenAI or Anthropic
 * top-level request fields).
 */
public record GenerationOptions(
    Double temperature,
    Integer maxTokens,
    Double topP,
    List<String> stop,
    Long seed,
    Map<String, Object> providerOptions) {

  public static final GenerationOptions DEFAULTS =
      new GenerationOptions(null, null, null, null, null, null);

  public GenerationOptions {
    stop = stop == null ? null : List.copyOf(stop);
    providerOptions = providerOptions == null ? Map.of() : Map.copyOf(providerOptions);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Fluent builder; every field optional. */
  public static final class Builder {
    private Double temperature;
    private Integer maxTokens;
    private Double topP;
    private List<String> stop;
    private Long seed;
    // made on first use: most requests set none
    private Map<String, Object> providerOptions;

    public Builder temperature(double value) {
      temperature = value;
      return this;
    }

    public Builder maxTokens(int value) {
      maxTokens = value;
      return this;
    }

    public Builder topP(double value) {
      topP = value;
      return this;
    }

    public Builder stop(List<String> value) {
      stop = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** A provider-specific option, passed through as is (for example Ollama's {@code num_ctx}). */
    public Builder providerOption(String key, Object value) {
      if (providerOptions == null) {
        providerOptions = new LinkedHashMap<>();
      }
      providerOptions.put(key, value);
      return this;
    }

    public GenerationOptions build() {
      return new GenerationOptions(temperature, maxTokens, topP, stop, seed, providerOptions);
    }
  }
}

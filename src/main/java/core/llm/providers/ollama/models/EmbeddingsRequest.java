package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The body of the legacy POST /api/embeddings (one prompt, vector not normalised). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@Deprecated
public record EmbeddingsRequest(
    @JsonProperty("model") String model,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("keep_alive") KeepAlive keepAlive,
    @JsonProperty("options") Options options,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public EmbeddingsRequest {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public EmbeddingsRequest(String model, String prompt, KeepAlive keepAlive, Options options) {
    this(model, prompt, keepAlive, options, Map.of());
  }
}

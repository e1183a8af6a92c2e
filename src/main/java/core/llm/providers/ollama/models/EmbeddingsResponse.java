package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/** The reply of the legacy POST /api/embeddings: float64 values, not normalised. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@Deprecated
public record EmbeddingsResponse(
    @JsonSerialize(using = GoFloats.DoubleArraySerializer.class) @JsonProperty("embedding")
        double[] embedding,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public EmbeddingsResponse {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public EmbeddingsResponse(double[] embedding) {
    this(embedding, Map.of());
  }
}

package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** The reply of the legacy POST /api/embeddings: float64 values, not normalised. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@Deprecated
public record EmbeddingsResponse(
    @JsonSerialize(using = GoFloats.DoubleArraySerializer.class) @JsonProperty("embedding")
        double[] embedding) {}

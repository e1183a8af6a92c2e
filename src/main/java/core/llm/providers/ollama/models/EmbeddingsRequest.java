package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of the legacy POST /api/embeddings (one prompt, vector not normalised). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@Deprecated
public record EmbeddingsRequest(
    @JsonProperty("model") String model,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("keep_alive") KeepAlive keepAlive,
    @JsonProperty("options") Options options) {}

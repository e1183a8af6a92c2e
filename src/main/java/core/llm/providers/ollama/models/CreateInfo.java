package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The {@code info} overrides of POST /api/create. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateInfo(
    @JsonProperty("capabilities") List<String> capabilities,
    @JsonProperty("model_family") String modelFamily,
    @JsonProperty("base_name") String baseName,
    @JsonProperty("quantization_level") String quantizationLevel,
    @JsonProperty("parameter_size") String parameterSize,
    @JsonProperty("context_length") Long contextLength,
    @JsonProperty("embedding_length") Long embeddingLength) {}

package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of GET /api/experimental/model-recommendations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelRecommendation(
    @JsonProperty("model") String model,
    @JsonProperty("description") String description,
    @JsonProperty("context_length") Long contextLength,
    @JsonProperty("max_output_tokens") Long maxOutputTokens,
    @JsonProperty("vram_bytes") Long vramBytes,
    @JsonProperty("required_plan") String requiredPlan) {}

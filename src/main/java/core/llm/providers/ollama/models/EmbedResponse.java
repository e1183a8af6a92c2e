package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.Map;

/** The reply of POST /api/embed: one L2-normalised vector per input, in input order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmbedResponse(
    @JsonProperty("model") String model,
    // float[] halves the memory of large batches; records compare arrays by identity
    @JsonSerialize(using = GoFloats.FloatMatrixSerializer.class) @JsonProperty("embeddings")
        float[][] embeddings,
    @JsonProperty("total_duration") Long totalDuration,
    @JsonProperty("load_duration") Long loadDuration,
    @JsonProperty("prompt_eval_count") Integer promptEvalCount,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public EmbedResponse {
    extra = Wire.extra(extra);
  }

  @JsonIgnore
  public Duration totalDurationTime() {
    return Wire.nanos(totalDuration);
  }

  @JsonIgnore
  public Duration loadDurationTime() {
    return Wire.nanos(loadDuration);
  }
}

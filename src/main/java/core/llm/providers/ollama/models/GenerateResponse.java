package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** One NDJSON object of /api/generate (or the whole reply when {@code stream:false}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerateResponse(
    @JsonProperty("model") String model,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("response") String response,
    @JsonProperty("thinking") String thinking,
    @JsonProperty("done") Boolean done,
    @JsonProperty("done_reason") String doneReason,
    @JsonProperty("context") List<Integer> context,
    @JsonProperty("total_duration") Long totalDuration,
    @JsonProperty("load_duration") Long loadDuration,
    @JsonProperty("prompt_eval_count") Integer promptEvalCount,
    @JsonProperty("prompt_eval_duration") Long promptEvalDuration,
    @JsonProperty("eval_count") Integer evalCount,
    @JsonProperty("eval_duration") Long evalDuration,
    @JsonProperty("tool_calls") List<MessageToolCall> toolCalls,
    @JsonProperty("logprobs") List<Logprob> logprobs,
    @JsonProperty("remote_model") String remoteModel,
    @JsonProperty("remote_host") String remoteHost,
    @JsonProperty("_debug_info") DebugInfo debugInfo,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra)
    implements GenerationMetrics {

  public GenerateResponse {
    extra = Wire.extra(extra);
  }
}

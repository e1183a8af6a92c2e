package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One NDJSON object of /api/chat (or the whole reply when {@code stream:false}). The {@code
 * done:true} object may still carry content and, on the native path, the only tool calls.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatResponse(
    @JsonProperty("model") String model,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("message") Message message,
    @JsonProperty("done") Boolean done,
    @JsonProperty("done_reason") String doneReason,
    @JsonProperty("total_duration") Long totalDuration,
    @JsonProperty("load_duration") Long loadDuration,
    @JsonProperty("prompt_eval_count") Integer promptEvalCount,
    @JsonProperty("prompt_eval_duration") Long promptEvalDuration,
    @JsonProperty("eval_count") Integer evalCount,
    @JsonProperty("eval_duration") Long evalDuration,
    @JsonProperty("logprobs") List<Logprob> logprobs,
    @JsonProperty("remote_model") String remoteModel,
    @JsonProperty("remote_host") String remoteHost,
    @JsonProperty("_debug_info") DebugInfo debugInfo,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra)
    implements GenerationMetrics {

  public ChatResponse {
    extra = Wire.extra(extra);
  }
}

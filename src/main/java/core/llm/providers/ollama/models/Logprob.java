package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

/** A generated token's log probability in generate and chat responses ({@code logprobs:true}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Logprob(
    @JsonProperty("token") String token,
    @JsonSerialize(using = GoFloats.DoubleSerializer.class) @JsonProperty("logprob") Double logprob,
    @JsonProperty("bytes") List<Integer> bytes,
    @JsonProperty("top_logprobs") List<TokenLogprob> topLogprobs,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public Logprob {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public Logprob(
      String token, Double logprob, List<Integer> bytes, List<TokenLogprob> topLogprobs) {
    this(token, logprob, bytes, topLogprobs, Map.of());
  }
}

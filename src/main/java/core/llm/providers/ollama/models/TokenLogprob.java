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

/**
 * One alternative token in a {@link Logprob}'s {@code top_logprobs} (generate and chat responses).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenLogprob(
    @JsonProperty("token") String token,
    @JsonSerialize(using = GoFloats.DoubleSerializer.class) @JsonProperty("logprob") Double logprob,
    @JsonProperty("bytes") List<Integer> bytes,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public TokenLogprob {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public TokenLogprob(String token, Double logprob, List<Integer> bytes) {
    this(token, logprob, bytes, Map.of());
  }
}

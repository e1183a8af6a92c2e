package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;

/**
 * One alternative token in a {@link Logprob}'s {@code top_logprobs} (generate and chat responses).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenLogprob(
    @JsonProperty("token") String token,
    @JsonSerialize(using = GoFloats.DoubleSerializer.class) @JsonProperty("logprob") Double logprob,
    @JsonProperty("bytes") List<Integer> bytes) {}

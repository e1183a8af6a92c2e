package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;

/** A generated token's log probability in generate and chat responses ({@code logprobs:true}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Logprob(
    @JsonProperty("token") String token,
    @JsonSerialize(using = GoFloats.DoubleSerializer.class) @JsonProperty("logprob") Double logprob,
    @JsonProperty("bytes") List<Integer> bytes,
    @JsonProperty("top_logprobs") List<TokenLogprob> topLogprobs) {}

package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The {@code {"error":...}} body of any failed call, and the terminal line of a failed stream. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorResponse(
    @JsonProperty("error") String error,
    // only on 401 from cloud and account routes
    @JsonProperty("signin_url") String signinUrl,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public ErrorResponse {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public ErrorResponse(String error, String signinUrl) {
    this(error, signinUrl, Map.of());
  }
}

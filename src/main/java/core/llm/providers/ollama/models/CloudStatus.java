package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The {@code cloud} part of GET /api/status; source is none, env, config or both. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CloudStatus(
    @JsonProperty("disabled") Boolean disabled,
    @JsonProperty("source") String source,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public CloudStatus {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public CloudStatus(Boolean disabled, String source) {
    this(disabled, source, Map.of());
  }
}

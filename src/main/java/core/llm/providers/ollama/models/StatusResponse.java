package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The reply of GET /api/status (v0.16.2+). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusResponse(
    @JsonProperty("cloud") CloudStatus cloud,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public StatusResponse {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public StatusResponse(CloudStatus cloud) {
    this(cloud, Map.of());
  }
}

package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The reply of GET /api/version ({@code 0.0.0} on dev builds). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionResponse(
    @JsonProperty("version") String version,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public VersionResponse {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public VersionResponse(String version) {
    this(version, Map.of());
  }

  @JsonIgnore
  public OllamaVersion ollamaVersion() {
    return OllamaVersion.parse(version);
  }
}

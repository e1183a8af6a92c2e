package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The reply of GET /api/version ({@code 0.0.0} on dev builds). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionResponse(@JsonProperty("version") String version) {

  @JsonIgnore
  public OllamaVersion ollamaVersion() {
    return OllamaVersion.parse(version);
  }
}

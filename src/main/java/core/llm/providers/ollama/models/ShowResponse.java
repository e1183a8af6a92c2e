package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** The reply of POST /api/show. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShowResponse(
    @JsonProperty("license") String license,
    @JsonProperty("modelfile") String modelfile,
    @JsonProperty("parameters") String parameters,
    @JsonProperty("template") String template,
    @JsonProperty("system") String system,
    @JsonProperty("renderer") String renderer,
    @JsonProperty("parser") String parser,
    @JsonProperty("details") ModelDetails details,
    @JsonProperty("messages") List<Message> messages,
    @JsonProperty("remote_model") String remoteModel,
    @JsonProperty("remote_host") String remoteHost,
    @JsonProperty("model_info") Map<String, Object> modelInfo,
    @JsonProperty("projector_info") Map<String, Object> projectorInfo,
    @JsonProperty("tensors") List<Tensor> tensors,
    @JsonProperty("capabilities") List<String> capabilities,
    @JsonProperty("modified_at") String modifiedAt,
    @JsonProperty("requires") String requires,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ShowResponse {
    extra = Wire.extra(extra);
  }

  /** Local offset (the manifest file time). */
  @JsonIgnore
  public OffsetDateTime modifiedAtTime() {
    return Wire.time(modifiedAt);
  }

  /**
   * The {@code parameters} text blob as key to values; repeated keys such as stop keep every value.
   */
  @JsonIgnore
  public Map<String, List<String>> parameterMap() {
    return ParameterText.parse(parameters);
  }

  /**
   * {@code <architecture>.context_length} from model_info, else details.context_length; null if
   * neither.
   */
  @JsonIgnore
  public Long contextLength() {
    if (modelInfo != null
        && modelInfo.get("general.architecture") instanceof String arch
        && modelInfo.get(arch + ".context_length") instanceof Number n) {
      return n.longValue();
    }
    return details == null ? null : details.contextLength();
  }

  @JsonIgnore
  public boolean hasCapability(String capability) {
    return capabilities != null && capabilities.contains(capability);
  }
}

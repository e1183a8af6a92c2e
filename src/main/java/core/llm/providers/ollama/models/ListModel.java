package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** One model of GET /api/tags; {@code digest} is bare hex without {@code sha256:}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ListModel(
    @JsonProperty("name") String name,
    @JsonProperty("model") String model,
    @JsonProperty("modified_at") String modifiedAt,
    @JsonProperty("size") Long size,
    @JsonProperty("digest") String digest,
    @JsonProperty("details") ModelDetails details,
    @JsonProperty("capabilities") List<String> capabilities,
    @JsonProperty("remote_model") String remoteModel,
    @JsonProperty("remote_host") String remoteHost,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public ListModel {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public ListModel(
      String name,
      String model,
      String modifiedAt,
      Long size,
      String digest,
      ModelDetails details,
      List<String> capabilities,
      String remoteModel,
      String remoteHost) {
    this(
        name,
        model,
        modifiedAt,
        size,
        digest,
        details,
        capabilities,
        remoteModel,
        remoteHost,
        Map.of());
  }

  /** Carries the server local offset, not UTC. */
  @JsonIgnore
  public OffsetDateTime modifiedAtTime() {
    return Wire.time(modifiedAt);
  }
}

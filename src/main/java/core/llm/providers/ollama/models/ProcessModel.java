package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.Map;

/** One loaded model of GET /api/ps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProcessModel(
    @JsonProperty("name") String name,
    @JsonProperty("model") String model,
    @JsonProperty("size") Long size,
    @JsonProperty("size_vram") Long sizeVram,
    @JsonProperty("digest") String digest,
    @JsonProperty("details") ModelDetails details,
    @JsonProperty("expires_at") String expiresAt,
    @JsonProperty("context_length") Integer contextLength,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public ProcessModel {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public ProcessModel(
      String name,
      String model,
      Long size,
      Long sizeVram,
      String digest,
      ModelDetails details,
      String expiresAt,
      Integer contextLength) {
    this(name, model, size, sizeVram, digest, details, expiresAt, contextLength, Map.of());
  }

  /** Local offset; around year 2318 for a model kept forever. */
  @JsonIgnore
  public OffsetDateTime expiresAtTime() {
    return Wire.time(expiresAt);
  }

  /** Share of the model in GPU memory: 1 fully on GPU, 0 CPU only, -1 when size is unknown. */
  @JsonIgnore
  public double vramFraction() {
    if (size == null || size <= 0) {
      return -1;
    }
    return (sizeVram == null ? 0L : sizeVram) / (double) size;
  }
}

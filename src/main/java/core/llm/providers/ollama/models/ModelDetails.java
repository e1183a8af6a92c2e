package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The {@code details} of /api/show, /api/tags and /api/ps entries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelDetails(
    @JsonProperty("parent_model") String parentModel,
    @JsonProperty("format") String format,
    @JsonProperty("family") String family,
    // Go writes a nil slice as "families":null; keep the null so replies round-trip
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("families") List<String> families,
    @JsonProperty("parameter_size") String parameterSize,
    @JsonProperty("quantization_level") String quantizationLevel,
    @JsonProperty("context_length") Long contextLength,
    @JsonProperty("embedding_length") Long embeddingLength,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public ModelDetails {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public ModelDetails(
      String parentModel,
      String format,
      String family,
      List<String> families,
      String parameterSize,
      String quantizationLevel,
      Long contextLength,
      Long embeddingLength) {
    this(
        parentModel,
        format,
        family,
        families,
        parameterSize,
        quantizationLevel,
        contextLength,
        embeddingLength,
        Map.of());
  }
}

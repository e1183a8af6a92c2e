package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code parameters} schema of a tool in /api/chat {@code tools}; property order is kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolParameters(
    @JsonProperty("type") String type,
    @JsonProperty("$defs") JsonNode defs,
    @JsonProperty("items") JsonNode items,
    @JsonProperty("required") List<String> required,
    @JsonProperty("properties") LinkedHashMap<String, ToolProperty> properties,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public ToolParameters {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public ToolParameters(
      String type,
      JsonNode defs,
      JsonNode items,
      List<String> required,
      LinkedHashMap<String, ToolProperty> properties) {
    this(type, defs, items, required, properties, Map.of());
  }

  /** What to send for a tool without parameters: the server wants an object with properties. */
  public static ToolParameters empty() {
    return new ToolParameters("object", null, null, null, new LinkedHashMap<>());
  }
}

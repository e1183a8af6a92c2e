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

/**
 * One property of a tool's parameter schema in /api/chat {@code tools}.
 *
 * <p>Only these keywords survive on the server; others ({@code default}, {@code minimum}, ...) are
 * dropped by it, so they are ignored here too. Nested {@code properties}/{@code required} need
 * v0.13.5.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolProperty(
    @JsonProperty("type") StringOrList type,
    @JsonProperty("description") String description,
    @JsonProperty("enum") List<Object> enumValues,
    @JsonProperty("items") JsonNode items,
    @JsonProperty("anyOf") List<ToolProperty> anyOf,
    @JsonProperty("properties") LinkedHashMap<String, ToolProperty> properties,
    @JsonProperty("required") List<String> required,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public ToolProperty {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public ToolProperty(
      StringOrList type,
      String description,
      List<Object> enumValues,
      JsonNode items,
      List<ToolProperty> anyOf,
      LinkedHashMap<String, ToolProperty> properties,
      List<String> required) {
    this(type, description, enumValues, items, anyOf, properties, required, Map.of());
  }

  public static ToolProperty of(String type, String description) {
    return new ToolProperty(StringOrList.of(type), description, null, null, null, null, null);
  }
}

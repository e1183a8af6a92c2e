package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/** A tool definition sent in the {@code tools} of /api/chat. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tool(
    @JsonProperty("type") String type,
    @JsonProperty("items") JsonNode items,
    @JsonProperty("function") ToolFunction function,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public Tool {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public Tool(String type, JsonNode items, ToolFunction function) {
    this(type, items, function, Map.of());
  }

  public static Tool function(String name, String description, ToolParameters parameters) {
    return new Tool(
        "function",
        null,
        new ToolFunction(
            name, description, parameters == null ? ToolParameters.empty() : parameters));
  }

  /**
   * A function tool from a JSON Schema object. Keywords the server does not model are dropped here,
   * exactly as the server would drop them (unknown fields read from the wire are kept instead, in
   * {@code extra}, so recorded requests round-trip).
   */
  public static Tool function(String name, String description, JsonNode parametersSchema) {
    if (parametersSchema == null || parametersSchema.isNull()) {
      return function(name, description, (ToolParameters) null);
    }
    try {
      return function(
          name,
          description,
          Wire.MAPPER.treeToValue(
              modelled(parametersSchema, PARAMETER_KEYWORDS), ToolParameters.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a usable tool parameter schema: " + e.getOriginalMessage(), e);
    }
  }

  private static final Set<String> PARAMETER_KEYWORDS =
      Set.of("type", "$defs", "items", "required", "properties");
  private static final Set<String> PROPERTY_KEYWORDS =
      Set.of("type", "description", "enum", "items", "anyOf", "properties", "required");

  /** The keywords the server models, recursively through properties and anyOf (§4.2). */
  private static JsonNode modelled(JsonNode node, Set<String> keywords) {
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = Wire.MAPPER.createObjectNode();
    node.fields()
        .forEachRemaining(
            e -> {
              String key = e.getKey();
              JsonNode value = e.getValue();
              if (!keywords.contains(key)) {
                return;
              }
              if (key.equals("properties") && value.isObject()) {
                ObjectNode properties = out.putObject(key);
                value
                    .fields()
                    .forEachRemaining(
                        p -> properties.set(p.getKey(), modelled(p.getValue(), PROPERTY_KEYWORDS)));
              } else if (key.equals("anyOf") && value.isArray()) {
                ArrayNode anyOf = out.putArray(key);
                value.forEach(v -> anyOf.add(modelled(v, PROPERTY_KEYWORDS)));
              } else {
                out.set(key, value);
              }
            });
    return out;
  }
}

package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** A tool definition sent in the {@code tools} of /api/chat. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tool(
    @JsonProperty("type") String type,
    @JsonProperty("items") JsonNode items,
    @JsonProperty("function") ToolFunction function) {

  public static Tool function(String name, String description, ToolParameters parameters) {
    return new Tool(
        "function",
        null,
        new ToolFunction(
            name, description, parameters == null ? ToolParameters.empty() : parameters));
  }

  /**
   * A function tool from a JSON Schema object. Keywords the server does not model are dropped here,
   * exactly as the server would drop them.
   */
  public static Tool function(String name, String description, JsonNode parametersSchema) {
    if (parametersSchema == null || parametersSchema.isNull()) {
      return function(name, description, (ToolParameters) null);
    }
    try {
      return function(
          name, description, Wire.MAPPER.treeToValue(parametersSchema, ToolParameters.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a usable tool parameter schema: " + e.getOriginalMessage(), e);
    }
  }
}

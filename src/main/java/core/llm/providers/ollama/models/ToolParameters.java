package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;

/** The {@code parameters} schema of a tool in /api/chat {@code tools}; property order is kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolParameters(
    @JsonProperty("type") String type,
    @JsonProperty("$defs") JsonNode defs,
    @JsonProperty("items") JsonNode items,
    @JsonProperty("required") List<String> required,
    @JsonProperty("properties") LinkedHashMap<String, ToolProperty> properties) {

  /** What to send for a tool without parameters: the server wants an object with properties. */
  public static ToolParameters empty() {
    return new ToolParameters("object", null, null, null, new LinkedHashMap<>());
  }
}

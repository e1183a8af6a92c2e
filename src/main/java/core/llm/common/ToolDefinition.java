package core.llm.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name function name
 * @param description what it does, for the model
 * @param parameters a JSON Schema of type object describing the arguments
 */
public record ToolDefinition(String name, String description, JsonNode parameters) {
  public ToolDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parameters, "parameters");
  }
}

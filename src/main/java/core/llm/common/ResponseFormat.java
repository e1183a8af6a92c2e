package core.llm.common;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Structured output: any JSON object ({@link #json()}), or JSON matching a schema.
 *
 * @param schema a JSON Schema, or null for "any JSON object"
 * @param name a short name for the schema (OpenAI requires one)
 */
public record ResponseFormat(JsonNode schema, String name) {
  public static ResponseFormat json() {
    return new ResponseFormat(null, null);
  }

  public static ResponseFormat schema(String name, JsonNode schema) {
    return new ResponseFormat(schema, name);
  }
}

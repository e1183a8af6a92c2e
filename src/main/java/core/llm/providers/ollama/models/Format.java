package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code format} field of /api/generate and /api/chat: {@code "json"} or a JSON Schema object.
 *
 * <p>Any string read from the wire (including {@code ""}, which the server treats as "none") is
 * kept and written back unchanged so recorded requests round-trip.
 */
public final class Format {

  private static final Format JSON = new Format(TextNode.valueOf("json"));

  private final JsonNode value;

  private Format(JsonNode value) {
    this.value = value;
  }

  public static Format json() {
    return JSON;
  }

  public static Format schema(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      throw new IllegalArgumentException("a format schema must be a JSON object");
    }
    return new Format(schema.deepCopy());
  }

  public static Format schema(Map<String, ?> schema) {
    return schema((JsonNode) Wire.MAPPER.valueToTree(schema));
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Format fromJson(JsonNode node) {
    if (node.isTextual() || node.isObject()) {
      return new Format(node);
    }
    throw new IllegalArgumentException(
        "format must be a string or a JSON Schema object, got " + node.getNodeType());
  }

  @JsonValue
  JsonNode jsonValue() {
    return value;
  }

  public boolean isJson() {
    return value.isTextual() && "json".equals(value.textValue());
  }

  /** The empty string means "no format"; only seen when replaying recorded requests. */
  public boolean isNone() {
    return value.isTextual() && value.textValue().isEmpty();
  }

  public Optional<JsonNode> schema() {
    return value.isObject() ? Optional.of(value.deepCopy()) : Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Format f && value.equals(f.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return "Format[" + value + "]";
  }
}

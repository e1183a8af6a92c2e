package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code format} field of /api/generate and /api/chat: a string ({@link Text}, normally {@code
 * "json"}) or a JSON Schema object ({@link Schema}).
 *
 * <p>The variants are records; match them with {@code instanceof} (or a pattern {@code switch} on
 * Java 21):
 *
 * <pre>{@code
 * switch (format) {
 *   case Format.Text t -> ... t.value() ...   // "json"
 *   case Format.Schema s -> ... s.node() ...
 * }
 * }</pre>
 *
 * <p>Any string read from the wire (including {@code ""}, which the server treats as "none") is
 * kept and written back unchanged so recorded requests round-trip.
 */
public sealed interface Format permits Format.Text, Format.Schema {

  /** {@code "format": "json"} (or another string read from the wire), written verbatim. */
  record Text(@JsonValue String value) implements Format {
    public Text {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "Format[\"" + value + "\"]";
    }
  }

  /** {@code "format": {...}}: a JSON Schema object, copied in and out (nodes are mutable). */
  record Schema(ObjectNode node) implements Format {
    public Schema {
      node = Objects.requireNonNull(node, "node").deepCopy();
    }

    @JsonValue
    @Override
    public ObjectNode node() {
      return node.deepCopy();
    }

    @Override
    public String toString() {
      return "Format[" + node + "]";
    }
  }

  static Format json() {
    return new Text("json");
  }

  static Format schema(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      throw new IllegalArgumentException("a format schema must be a JSON object");
    }
    return new Schema((ObjectNode) schema);
  }

  static Format schema(Map<String, ?> schema) {
    return schema((JsonNode) Wire.MAPPER.valueToTree(schema));
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  private static Format fromJson(JsonNode node) {
    if (node.isTextual()) {
      return new Text(node.textValue());
    }
    if (node.isObject()) {
      return new Schema((ObjectNode) node);
    }
    throw new IllegalArgumentException(
        "format must be a string or a JSON Schema object, got " + node.getNodeType());
  }

  default boolean isJson() {
    return this instanceof Text t && "json".equals(t.value());
  }

  /** The empty string means "no format"; only seen when replaying recorded requests. */
  default boolean isNone() {
    return this instanceof Text t && t.value().isEmpty();
  }

  default Optional<JsonNode> schema() {
    return this instanceof Schema s ? Optional.of(s.node()) : Optional.empty();
  }
}

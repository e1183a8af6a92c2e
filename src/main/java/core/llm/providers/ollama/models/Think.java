package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code think} field of /api/generate and /api/chat: a boolean or a level string.
 *
 * <p>Building rejects unknown levels, but reading keeps any string as is: a newer server may echo a
 * level this SDK does not know yet, and dropping it would break lossless round trips. Only {@code
 * max} needs server v0.22.0 or later.
 */
public final class Think {

  private static final Set<String> LEVELS = Set.of("low", "medium", "high", "max");

  public static final Think TRUE = new Think(Boolean.TRUE);
  public static final Think FALSE = new Think(Boolean.FALSE);
  public static final Think LOW = new Think("low");
  public static final Think MEDIUM = new Think("medium");
  public static final Think HIGH = new Think("high");
  public static final Think MAX = new Think("max");

  private final Object value;

  private Think(Object value) {
    this.value = value;
  }

  public static Think of(boolean enabled) {
    return enabled ? TRUE : FALSE;
  }

  /** A known level; anything else would be a 400 from the server, so fail early. */
  public static Think level(String level) {
    if (level == null || !LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "unknown think level \"" + level + "\" (expected low, medium, high or max)");
    }
    return new Think(level);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Think fromJson(JsonNode node) {
    if (node.isBoolean()) {
      return of(node.booleanValue());
    }
    if (node.isTextual()) {
      return new Think(node.textValue());
    }
    throw new IllegalArgumentException(
        "think must be a boolean or a string, got " + node.getNodeType());
  }

  @JsonValue
  Object jsonValue() {
    return value;
  }

  /** False only for {@code think:false}; any level means thinking is on. */
  public boolean isEnabled() {
    return !(value instanceof Boolean b) || b;
  }

  public Optional<String> level() {
    return value instanceof String s ? Optional.of(s) : Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Think t && value.equals(t.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return "Think[" + value + "]";
  }
}

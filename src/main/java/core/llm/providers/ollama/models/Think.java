package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code think} field of /api/generate and /api/chat: a boolean ({@link Enabled}) or a level
 * string ({@link Level}).
 *
 * <p>The variants are records; match them with {@code instanceof} (or a pattern {@code switch} on
 * Java 21):
 *
 * <pre>{@code
 * switch (think) {
 *   case Think.Enabled e -> ... e.value() ...
 *   case Think.Level l -> ... l.value() ...
 * }
 * }</pre>
 *
 * <p>{@link #level(String)} rejects unknown levels, but reading (and {@code new Level(...)}) keeps
 * any string as is: a newer server may echo a level this SDK does not know yet, and dropping it
 * would break lossless round trips. Only {@code max} needs server v0.22.0 or later.
 */
public sealed interface Think permits Think.Enabled, Think.Level {

  Think TRUE = new Enabled(true);
  Think FALSE = new Enabled(false);
  Think LOW = new Level("low");
  Think MEDIUM = new Level("medium");
  Think HIGH = new Level("high");
  Think MAX = new Level("max");

  /** {@code "think": true} or {@code "think": false}. */
  record Enabled(@JsonValue boolean value) implements Think {
    @Override
    public String toString() {
      return "Think[" + value + "]";
    }
  }

  /** {@code "think": "high"}: any string, written back verbatim. */
  record Level(@JsonValue String value) implements Think {
    public Level {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "Think[" + value + "]";
    }
  }

  static Think of(boolean enabled) {
    return enabled ? TRUE : FALSE;
  }

  /** A known level; anything else would be a 400 from the server, so fail early. */
  static Think level(String level) {
    if (level == null || !Set.of("low", "medium", "high", "max").contains(level)) {
      throw new IllegalArgumentException(
          "unknown think level \"" + level + "\" (expected low, medium, high or max)");
    }
    return new Level(level);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  private static Think fromJson(JsonNode node) {
    if (node.isBoolean()) {
      return of(node.booleanValue());
    }
    if (node.isTextual()) {
      return new Level(node.textValue());
    }
    throw new IllegalArgumentException(
        "think must be a boolean or a string, got " + node.getNodeType());
  }

  /** False only for {@code think:false}; any level means thinking is on. */
  default boolean isEnabled() {
    return !(this instanceof Enabled e) || e.value();
  }

  default Optional<String> level() {
    return this instanceof Level l ? Optional.of(l.value()) : Optional.empty();
  }
}

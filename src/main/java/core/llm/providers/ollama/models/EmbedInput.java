package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The {@code input} of /api/embed: one string ({@link Single}) or a list of strings ({@link
 * Batch}), written back in the form read.
 */
public sealed interface EmbedInput permits EmbedInput.Single, EmbedInput.Batch {

  /** {@code "input": "text"}. */
  record Single(@JsonValue String text) implements EmbedInput {
    public Single {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public List<String> texts() {
      return List.of(text);
    }

    @Override
    public String toString() {
      return "EmbedInput[" + text + "]";
    }
  }

  /** {@code "input": ["a", "b"]} (possibly of one). */
  record Batch(@JsonValue List<String> texts) implements EmbedInput {
    public Batch {
      texts = List.copyOf(texts);
    }

    @Override
    public String toString() {
      return "EmbedInput[" + texts + "]";
    }
  }

  static EmbedInput of(String text) {
    return new Single(text);
  }

  static EmbedInput of(List<String> texts) {
    return new Batch(texts);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  private static EmbedInput fromJson(JsonNode node) {
    if (node.isTextual()) {
      return of(node.textValue());
    }
    return of(Wire.strings(node));
  }

  /** The inputs in order; a single string gives a list of one. */
  List<String> texts();

  default boolean isBatch() {
    return this instanceof Batch;
  }
}

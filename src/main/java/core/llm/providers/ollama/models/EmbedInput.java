package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The {@code input} of /api/embed: one string or a list of strings, written back in the form read.
 */
public final class EmbedInput {

  private final StringOrList value;

  private EmbedInput(StringOrList value) {
    this.value = value;
  }

  public static EmbedInput of(String text) {
    return new EmbedInput(StringOrList.of(text));
  }

  public static EmbedInput of(List<String> texts) {
    return new EmbedInput(StringOrList.of(texts));
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static EmbedInput fromJson(JsonNode node) {
    return new EmbedInput(StringOrList.fromJson(node));
  }

  @JsonValue
  Object jsonValue() {
    return value.jsonValue();
  }

  /** The inputs in order; a single string gives a list of one. */
  public List<String> texts() {
    return value.values();
  }

  public boolean isBatch() {
    return value.isList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbedInput e && value.equals(e.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return "EmbedInput[" + value + "]";
  }
}

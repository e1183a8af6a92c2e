package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A field that is either one string ({@link Single}) or an array of strings ({@link Many}) on the
 * wire: a tool property's {@code type} ({@code ["string","null"]}) and the create request's {@code
 * license}. The form read is the form written back.
 */
public sealed interface StringOrList permits StringOrList.Single, StringOrList.Many {

  /** One string on the wire. */
  record Single(@JsonValue String value) implements StringOrList {
    public Single {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public List<String> values() {
      return List.of(value);
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /** An array of strings on the wire (possibly of one). */
  record Many(@JsonValue List<String> values) implements StringOrList {
    public Many {
      values = List.copyOf(values);
    }

    @Override
    public String toString() {
      return values.toString();
    }
  }

  static StringOrList of(String value) {
    return new Single(value);
  }

  static StringOrList of(List<String> values) {
    return new Many(values);
  }

  static StringOrList of(String first, String... more) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(List.of(more));
    return of(all);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  private static StringOrList fromJson(JsonNode node) {
    if (node.isTextual()) {
      return of(node.textValue());
    }
    return of(Wire.strings(node));
  }

  default boolean isList() {
    return this instanceof Many;
  }

  /** Every value, whichever form came in. */
  List<String> values();
}

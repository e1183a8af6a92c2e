package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A field that is either one string or an array of strings on the wire: a tool property's {@code
 * type} ({@code ["string","null"]}) and the create request's {@code license}. The form read is the
 * form written back.
 */
public final class StringOrList {

  private final String single;
  private final List<String> list;

  private StringOrList(String single, List<String> list) {
    this.single = single;
    this.list = list;
  }

  public static StringOrList of(String value) {
    return new StringOrList(Objects.requireNonNull(value, "value"), null);
  }

  public static StringOrList of(List<String> values) {
    return new StringOrList(null, List.copyOf(values));
  }

  public static StringOrList of(String first, String... more) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(List.of(more));
    return of(all);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static StringOrList fromJson(JsonNode node) {
    if (node.isTextual()) {
      return of(node.textValue());
    }
    if (node.isArray()) {
      List<String> values = new ArrayList<>();
      for (JsonNode item : node) {
        if (!item.isTextual()) {
          throw new IllegalArgumentException(
              "expected an array of strings, found " + item.getNodeType());
        }
        values.add(item.textValue());
      }
      return of(values);
    }
    throw new IllegalArgumentException(
        "expected a string or an array of strings, got " + node.getNodeType());
  }

  @JsonValue
  Object jsonValue() {
    return single != null ? single : list;
  }

  public boolean isList() {
    return list != null;
  }

  /** Every value, whichever form came in. */
  public List<String> values() {
    return single != null ? List.of(single) : list;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StringOrList s
        && Objects.equals(single, s.single)
        && Objects.equals(list, s.list);
  }

  @Override
  public int hashCode() {
    return Objects.hash(single, list);
  }

  @Override
  public String toString() {
    return String.valueOf(jsonValue());
  }
}

package core.llm.providers.ollama.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Round-trip helpers: always a plain mapper, as the client will use. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Parses {@code json} as {@code type}, writes it back and asserts the JSON trees are equal. */
  static <T> T roundTrip(String json, Class<T> type) throws Exception {
    T value = MAPPER.readValue(json, type);
    String written = MAPPER.writeValueAsString(value);
    assertEquals(
        MAPPER.readTree(json),
        MAPPER.readTree(written),
        () -> "round trip changed the JSON: " + written);
    return value;
  }

  static JsonNode write(Object value) throws Exception {
    return MAPPER.readTree(MAPPER.writeValueAsString(value));
  }

  static JsonNode tree(String json) throws Exception {
    return MAPPER.readTree(json);
  }
}

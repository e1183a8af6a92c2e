package core.llm.providers.ollama.models;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads tool-call {@code arguments} as an ordered object. OpenAI-style histories carry them as a
 * JSON string holding an object; the server rejects that with a 400, so it is parsed here and
 * always written back as an object.
 */
public final class ToolArgumentsDeserializer extends JsonDeserializer<Map<String, Object>> {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  @Override
  public Map<String, Object> deserialize(JsonParser p, DeserializationContext ctxt)
      throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.START_OBJECT || token == JsonToken.FIELD_NAME) {
      return p.readValueAs(MAP);
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return parseObject(p.getText());
      } catch (IllegalArgumentException e) {
        return ctxt.reportInputMismatch(this, e.getMessage());
      }
    }
    return ctxt.reportInputMismatch(
        this, "tool call arguments must be a JSON object or a string holding one, got " + token);
  }

  /** Parses a string that must hold a JSON object; a blank string means "no arguments". */
  static Map<String, Object> parseObject(String json) {
    if (json == null || json.isBlank()) {
      return new LinkedHashMap<>();
    }
    Object parsed;
    try {
      parsed = Wire.MAPPER.readValue(json, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "tool call arguments are not valid JSON: " + abbreviate(json), e);
    }
    if (!(parsed instanceof Map)) {
      throw new IllegalArgumentException(
          "tool call arguments must be a JSON object, got: " + abbreviate(json));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) parsed;
    return map;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}

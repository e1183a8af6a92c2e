package core.llm.providers.openai;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.providers.base.JsonSchemas;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OpenAI's strict structured output accepts only schemas whose objects require every property. */
class OpenAiStrictSchemaTest {
  record City(String name, int population) {}

  record Report(String title, List<City> cities) {}

  record WithOptional(String title, Optional<String> subtitle) {}

  record NestedOptional(String title, List<WithOptional> parts) {}

  private static JsonNode json(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }

  @Test
  void recordsWithOnlyRequiredComponentsAreStrict() {
    assertTrue(OpenAiWire.strictCompatible(JsonSchemas.of(City.class)));
    assertTrue(
        OpenAiWire.strictCompatible(JsonSchemas.of(Report.class)),
        JsonSchemas.of(Report.class).toString());
  }

  @Test
  void anOptionalComponentAnywhereMakesTheSchemaNonStrict() {
    assertFalse(OpenAiWire.strictCompatible(JsonSchemas.of(WithOptional.class)));
    assertFalse(
        OpenAiWire.strictCompatible(JsonSchemas.of(NestedOptional.class)),
        "an optional field inside an array item counts too");
  }

  @Test
  void handWrittenSchemas() throws Exception {
    assertTrue(OpenAiWire.strictCompatible(json("{\"type\":\"object\"}")));
    assertFalse(
        OpenAiWire.strictCompatible(
            json(
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]}")),
        "additionalProperties must be false");
    assertTrue(
        OpenAiWire.strictCompatible(
            json(
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"],"
                    + "\"additionalProperties\":false}")));
    assertFalse(
        OpenAiWire.strictCompatible(
            json(
                "{\"anyOf\":[{\"type\":\"object\",\"properties\":{\"a\":{},\"b\":{}},\"required\":[\"a\"],"
                    + "\"additionalProperties\":false}]}")));
  }
}

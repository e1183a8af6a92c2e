package core.llm.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.CompletionRequest;
import core.llm.common.ResponseFormat;
import core.llm.providers.base.JsonSchemas;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's strict structured output accepts a subset of JSON Schema: every object requires all its
 * properties and forbids others, only some keywords and formats. A schema goes strict when it
 * translates into that subset with the same meaning, and as it is, non-strict, otherwise.
 */
class OpenAiStrictSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Kind {
    A,
    B
  }

  record City(String name, int population) {}

  record Report(String title, List<City> cities) {}

  record WithOptional(String title, Optional<String> subtitle, Optional<Kind> kind) {}

  record NestedOptional(String title, List<WithOptional> parts) {}

  record Formats(Instant at, UUID id, URI link) {}

  record WithMap(Map<String, Integer> counts) {}

  record Any(Object value) {}

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  /** What is sent as response_format for the schema. */
  private static JsonNode sent(JsonNode schema) throws Exception {
    return JSON.readTree(
            OpenAiWire.chatBody(
                    CompletionRequest.builder("gpt-4o")
                        .user("x")
                        .responseFormat(ResponseFormat.schema("r", schema))
                        .build(),
                    false)
                .getBytes())
        .path("response_format")
        .path("json_schema");
  }

  private static void assertStrict(String expectedSchema, JsonNode schema) throws Exception {
    JsonNode sent = sent(schema);
    assertEquals(true, sent.path("strict").asBoolean(), sent.toPrettyString());
    assertEquals(json(expectedSchema), sent.path("schema"), sent.toPrettyString());
  }

  private static void assertNotStrict(JsonNode schema) throws Exception {
    JsonNode sent = sent(schema);
    assertEquals(false, sent.path("strict").asBoolean(true), sent.toPrettyString());
    assertEquals(schema, sent.path("schema"), "sent as it is");
  }

  @Test
  void recordsWithOnlyRequiredComponentsAreStrictAsGenerated() throws Exception {
    assertStrict(
        """
        {"type":"object","properties":{"title":{"type":"string"},
           "cities":{"type":"array","items":{"type":"object","properties":{
             "name":{"type":"string"},"population":{"type":"integer"}},
             "required":["name","population"],"additionalProperties":false}}},
         "required":["title","cities"],"additionalProperties":false}
        """,
        JsonSchemas.of(Report.class));
  }

  @Test
  void optionalComponentsBecomeRequiredNullableOnes() throws Exception {
    String withOptional =
        """
        {"type":"object","properties":{"title":{"type":"string"},
           "subtitle":{"type":["string","null"]},
           "kind":{"anyOf":[{"type":"null"},{"type":"string","enum":["A","B"]}]}},
         "required":["title","subtitle","kind"],"additionalProperties":false}
        """;
    assertStrict(withOptional, JsonSchemas.of(WithOptional.class));
    assertStrict(
        """
        {"type":"object","properties":{"title":{"type":"string"},
           "parts":{"type":"array","items":%s}},
         "required":["title","parts"],"additionalProperties":false}
        """
            .formatted(withOptional),
        JsonSchemas.of(NestedOptional.class));
  }

  @Test
  void formatsStrictModeKnowsStayOthersAreDropped() throws Exception {
    assertStrict(
        """
        {"type":"object","properties":{
           "at":{"type":"string","format":"date-time"},
           "id":{"type":"string","format":"uuid"},
           "link":{"type":"string"}},
         "required":["at","id","link"],"additionalProperties":false}
        """,
        JsonSchemas.of(Formats.class));
  }

  @Test
  void mapsAndAnyValuesHaveNoStrictForm() throws Exception {
    assertNotStrict(JsonSchemas.of(WithMap.class));
    assertNotStrict(JsonSchemas.of(Any.class));
  }

  @Test
  void handWrittenSchemas() throws Exception {
    assertNotStrict(json("{\"type\":\"object\"}"));
    assertStrict(
        """
        {"type":"object","properties":{"a":{"type":"string"}},"required":["a"],
         "additionalProperties":false}
        """,
        json(
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]}"));
    assertNotStrict(json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"));
    assertStrict(
        """
        {"type":"object","properties":{"a":{"type":["string","null"]}},"required":["a"],
         "additionalProperties":false}
        """,
        json(
            "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                + "\"properties\":{\"a\":{\"type\":[\"string\",\"null\"]}}}"));
    assertNotStrict(
        json(
            "{\"type\":\"object\",\"properties\":{\"a\":{\"allOf\":[{\"type\":\"string\"}]}},"
                + "\"required\":[\"a\"]}"));
    assertNotStrict(
        json(
            "{\"anyOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
                + "\"required\":[\"a\"],\"additionalProperties\":false}]}"));
    assertNotStrict(json("{\"type\":\"string\"}"));
  }

  @Test
  void theCallersSchemaIsNotModified() throws Exception {
    JsonNode schema =
        json(
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]}");
    JsonNode before = schema.deepCopy();
    sent(schema);
    assertEquals(before, schema);
  }
}

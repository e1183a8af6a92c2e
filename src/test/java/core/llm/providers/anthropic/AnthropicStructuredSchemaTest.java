package core.llm.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.CompletionRequest;
import core.llm.common.ErrorContext;
import core.llm.common.ResponseFormat;
import core.llm.providers.base.JsonSchemas;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Anthropic's tool input_schema takes plain JSON Schema: the generated schema goes as it is. */
class AnthropicStructuredSchemaTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  record Box<T>(T value) {}

  record Entry(LocalDate day, Box<String> label, Optional<Integer> count) {}

  @Test
  void theGeneratedSchemaIsTheToolInputSchema() throws Exception {
    CompletionRequest request =
        CompletionRequest.builder("claude-sonnet-4-5")
            .user("x")
            .responseFormat(ResponseFormat.schema("Entry", JsonSchemas.of(Entry.class)))
            .build();
    JsonNode body =
        new AnthropicRequests(1024)
            .messages(request, false, ErrorContext.of("anthropic", "POST /v1/messages"));
    assertEquals(
        PLAIN.readTree(
            """
            {"type":"object","properties":{
               "day":{"type":"string","format":"date"},
               "label":{"type":"object","properties":{"value":{"type":"string"}},
                 "required":["value"],"additionalProperties":false},
               "count":{"type":["integer","null"]}},
             "required":["day","label"],"additionalProperties":false}
            """),
        body.path("tools").get(0).path("input_schema"));
  }
}

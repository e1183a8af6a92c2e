package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.CompletionRequest;
import core.llm.common.ResponseFormat;
import core.llm.providers.base.JsonSchemas;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Ollama's format takes plain JSON Schema: the generated schema goes as it is, formats included.
 */
class OllamaStructuredSchemaTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  record Note(String text, Instant at, Optional<String> tag) {}

  @Test
  void theGeneratedSchemaIsTheFormat() throws Exception {
    CompletionRequest request =
        CompletionRequest.builder("qwen3")
            .user("x")
            .responseFormat(ResponseFormat.schema("Note", JsonSchemas.of(Note.class)))
            .build();
    JsonNode wire =
        PLAIN.readTree(PLAIN.writeValueAsString(OllamaConversions.chatRequest(request)));
    assertEquals(
        PLAIN.readTree(
            """
            {"type":"object","properties":{
               "text":{"type":"string"},
               "at":{"type":"string","format":"date-time"},
               "tag":{"type":["string","null"]}},
             "required":["text","at"],"additionalProperties":false}
            """),
        wire.path("format"));
  }
}

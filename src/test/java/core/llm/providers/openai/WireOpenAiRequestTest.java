package core.llm.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.EmbeddingRequest;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.ResponseFormat;
import core.llm.common.Thinking;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Chat Completions and Embeddings bodies the provider builds, compared as JSON trees with
 * literal bodies in the shape of OpenAI's API reference (messages with content parts, tool_calls
 * whose arguments are a JSON string, tools, response_format json_schema, stream_options).
 */
class WireOpenAiRequestTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private static void assertBody(String expected, Buffer body) throws Exception {
    JsonNode want = PLAIN.readTree(expected);
    JsonNode got = PLAIN.readTree(body.getBytes());
    assertEquals(want, got, () -> "\nexpected: " + want + "\nwritten:  " + got);
  }

  private static JsonNode json(String text) throws Exception {
    return PLAIN.readTree(text);
  }

  @Test
  void minimalChat() throws Exception {
    assertBody(
        """
        {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}
        """,
        OpenAiWire.chatBody(
            CompletionRequest.builder("gpt-4o-mini").user("Hello!").build(), false));
  }

  @Test
  void streamingAsksForUsage() throws Exception {
    assertBody(
        """
        {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}],
         "stream":true,"stream_options":{"include_usage":true}}
        """,
        OpenAiWire.chatBody(CompletionRequest.builder("gpt-4o-mini").user("Hello!").build(), true));
  }

  @Test
  void sampling() throws Exception {
    CompletionRequest r =
        CompletionRequest.builder("gpt-4o")
            .system("Be brief.")
            .user("hi")
            .options(
                GenerationOptions.builder()
                    .temperature(0.5)
                    .maxTokens(256)
                    .topP(0.9)
                    .stop(List.of("END", "\n\n"))
                    .seed(7)
                    .providerOption("frequency_penalty", 0.1)
                    .providerOption("max_completion_tokens", 512)
                    .build())
            .build();
    assertBody(
        """
        {"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],
         "temperature":0.5,"max_tokens":256,"top_p":0.9,"stop":["END","\\n\\n"],"seed":7,
         "frequency_penalty":0.1,"max_completion_tokens":512}
        """,
        OpenAiWire.chatBody(r, false));
  }

  @Test
  void conversationWithImagesToolCallsAndResults() throws Exception {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("city", "Paris");
    args.put("days", 3);
    CompletionRequest r =
        CompletionRequest.builder("gpt-4o")
            .message(
                ChatMessage.user("What is this?", List.of(new ImageData("iVBORw0KGgo=", null))))
            .message(ChatMessage.user("", List.of(ImageData.of("data:image/jpeg;base64,/9j/4A=="))))
            .message(
                ChatMessage.assistant("", List.of(new ToolCall("call_abc", "get_weather", args))))
            .message(ChatMessage.toolResult("call_abc", "get_weather", "18C"))
            .message(
                ChatMessage.assistant(
                    "Checking.", List.of(new ToolCall("call_def", "get_time", Map.of()))))
            .message(ChatMessage.toolResult("call_def", "get_time", "12:00"))
            .message(ChatMessage.assistant("It is 18C at noon."))
            .build();
    assertBody(
        """
        {"model":"gpt-4o","messages":[
          {"role":"user","content":[{"type":"text","text":"What is this?"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
          {"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4A=="}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function",
            "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":3}"}}]},
          {"role":"tool","tool_call_id":"call_abc","content":"18C"},
          {"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_def","type":"function",
            "function":{"name":"get_time","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_def","content":"12:00"},
          {"role":"assistant","content":"It is 18C at noon."}]}
        """,
        OpenAiWire.chatBody(r, false));
  }

  @Test
  void tools() throws Exception {
    JsonNode params =
        json(
            """
            {"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}
            """);
    CompletionRequest r =
        CompletionRequest.builder("gpt-4o")
            .user("weather?")
            .tool(new ToolDefinition("get_weather", "Current weather", params))
            .tool(new ToolDefinition("now", null, json("{\"type\":\"object\",\"properties\":{}}")))
            .build();
    assertBody(
        """
        {"model":"gpt-4o","messages":[{"role":"user","content":"weather?"}],
         "tools":[
          {"type":"function","function":{"name":"get_weather","description":"Current weather",
            "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],
              "additionalProperties":false}}},
          {"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}}]}
        """,
        OpenAiWire.chatBody(r, false));
  }

  @Test
  void responseFormatJsonSchemaStrictAndNot() throws Exception {
    JsonNode strict =
        json(
            """
            {"type":"object","properties":{"age":{"type":"integer"}},"required":["age"],"additionalProperties":false}
            """);
    assertBody(
        """
        {"model":"gpt-4o","messages":[{"role":"user","content":"age?"}],
         "response_format":{"type":"json_schema","json_schema":{"name":"Person","strict":true,
           "schema":{"type":"object","properties":{"age":{"type":"integer"}},"required":["age"],
             "additionalProperties":false}}}}
        """,
        OpenAiWire.chatBody(
            CompletionRequest.builder("gpt-4o")
                .user("age?")
                .responseFormat(ResponseFormat.schema("Person", strict))
                .build(),
            false));
    JsonNode loose = json("{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}");
    assertBody(
        """
        {"model":"gpt-4o","messages":[{"role":"user","content":"age?"}],
         "response_format":{"type":"json_schema","json_schema":{"name":"my_Person","strict":false,
           "schema":{"type":"object","properties":{"age":{"type":"integer"}}}}}}
        """,
        OpenAiWire.chatBody(
            CompletionRequest.builder("gpt-4o")
                .user("age?")
                .responseFormat(ResponseFormat.schema("my.Person", loose))
                .build(),
            false));
    assertBody(
        """
        {"model":"gpt-4o","messages":[{"role":"user","content":"json please"}],
         "response_format":{"type":"json_object"}}
        """,
        OpenAiWire.chatBody(
            CompletionRequest.builder("gpt-4o")
                .user("json please")
                .responseFormat(ResponseFormat.json())
                .build(),
            false));
  }

  @Test
  void thinkLevelsBecomeReasoningEffort() throws Exception {
    for (String[] c :
        new String[][] {{"low", "low"}, {"medium", "medium"}, {"high", "high"}, {"max", "high"}}) {
      assertBody(
          "{\"model\":\"o3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
              + "\"reasoning_effort\":\""
              + c[1]
              + "\"}",
          OpenAiWire.chatBody(
              CompletionRequest.builder("o3").user("x").think(Thinking.level(c[0])).build(),
              false));
    }
    // true/false leave the server's default: nothing is sent
    assertBody(
        "{\"model\":\"o3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        OpenAiWire.chatBody(CompletionRequest.builder("o3").user("x").think(true).build(), false));
    // off and a token budget (Anthropic's) have no reasoning_effort either
    for (Thinking t : new Thinking[] {Thinking.OFF, Thinking.budget(5000)}) {
      assertBody(
          "{\"model\":\"o3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
          OpenAiWire.chatBody(CompletionRequest.builder("o3").user("x").think(t).build(), false));
    }
  }

  @Test
  void embeddings() throws Exception {
    assertBody(
        """
        {"model":"text-embedding-3-small","input":["a","b"],"encoding_format":"float"}
        """,
        OpenAiWire.embeddingBody(EmbeddingRequest.of("text-embedding-3-small", "a", "b")));
    assertBody(
        """
        {"model":"text-embedding-3-small","input":["a"],"encoding_format":"float","dimensions":256}
        """,
        OpenAiWire.embeddingBody(
            new EmbeddingRequest("text-embedding-3-small", List.of("a"), 256)));
  }
}

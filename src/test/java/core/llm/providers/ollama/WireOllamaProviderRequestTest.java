package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.ResponseFormat;
import core.llm.common.Thinking;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The /api/chat body the provider-neutral {@code OllamaProvider} builds from a {@link
 * CompletionRequest} (before the client sets {@code stream}), compared as a JSON tree with literal
 * JSON written from the API reference (reference/ollama-api.md §3.2, §4).
 */
class WireOllamaProviderRequestTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private static void assertWire(String expected, CompletionRequest request) throws Exception {
    JsonNode want = PLAIN.readTree(expected);
    JsonNode got = PLAIN.readTree(PLAIN.writeValueAsString(OllamaConversions.chatRequest(request)));
    assertEquals(want, got, () -> "\nexpected: " + want + "\nwritten:  " + got);
  }

  @Test
  void conversationToolsFormatAndThink() throws Exception {
    JsonNode params =
        PLAIN.readTree(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    JsonNode schema =
        PLAIN.readTree("{\"type\":\"object\",\"properties\":{\"t\":{\"type\":\"number\"}}}");
    CompletionRequest r =
        CompletionRequest.builder("qwen3")
            .system("Be terse.")
            .message(
                ChatMessage.user("weather?", List.of(ImageData.of("data:image/png;base64,AQID"))))
            .message(
                ChatMessage.assistant(
                    "",
                    "need the tool",
                    null,
                    List.of(
                        new ToolCall("call_1", "get_weather", Map.of("city", "Paris")),
                        new ToolCall(null, "get_time", Map.of()))))
            .message(ChatMessage.toolResult("call_1", "get_weather", "18C"))
            .message(ChatMessage.toolResult(null, "get_time", "12:00"))
            .tool(new ToolDefinition("get_weather", "Current weather", params))
            .responseFormat(ResponseFormat.schema("W", schema))
            .think(Thinking.level("high"))
            .options(
                GenerationOptions.builder()
                    .temperature(0.2)
                    .maxTokens(100)
                    .topP(0.9)
                    .stop(List.of("END"))
                    .seed(3)
                    .build())
            .build();
    assertWire(
        """
        {"model":"qwen3",
         "messages":[
           {"role":"system","content":"Be terse."},
           {"role":"user","content":"weather?","images":["AQID"]},
           {"role":"assistant","content":"","thinking":"need the tool","tool_calls":[
             {"id":"call_1","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}},
             {"function":{"index":1,"name":"get_time","arguments":{}}}]},
           {"role":"tool","content":"18C","tool_name":"get_weather","tool_call_id":"call_1"},
           {"role":"tool","content":"12:00","tool_name":"get_time"}],
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
           "parameters":{"type":"object","required":["city"],"properties":{"city":{"type":"string"}}}}}],
         "format":{"type":"object","properties":{"t":{"type":"number"}}},
         "options":{"temperature":0.2,"num_predict":100,"top_p":0.9,"stop":["END"],"seed":3},
         "think":"high"}
        """,
        r);
  }

  @Test
  void jsonFormatAndBooleanThink() throws Exception {
    assertWire(
        """
        {"model":"m","messages":[{"role":"user","content":"x"}],"format":"json","think":false,"options":{}}
        """,
        CompletionRequest.builder("m")
            .user("x")
            .responseFormat(ResponseFormat.json())
            .think(false)
            .build());
  }

  @Test
  void everyThinkingVariantBecomesOllamasThink() throws Exception {
    for (Object[] c :
        new Object[][] {
          {Thinking.ON, "true"},
          {Thinking.OFF, "false"},
          {Thinking.level(Thinking.Level.LOW), "\"low\""},
          {Thinking.level("MAX"), "\"max\""},
        }) {
      assertWire(
          "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
              + "\"think\":"
              + c[1]
              + ",\"options\":{}}",
          CompletionRequest.builder("m").user("x").think((Thinking) c[0]).build());
    }
    // Ollama has no token budget: refused before anything is sent
    assertThrows(
        IllegalArgumentException.class,
        () ->
            OllamaConversions.chatRequest(
                CompletionRequest.builder("m").user("x").think(Thinking.budget(2048)).build()));
  }

  @Test
  void providerOptionsSplitIntoRequestFieldsAndOptions() throws Exception {
    assertWire(
        """
        {"model":"m","messages":[{"role":"user","content":"x"}],
         "options":{"num_ctx":8192,"min_p":0.05},
         "keep_alive":"10m","truncate":false,"shift":true,"logprobs":true,"top_logprobs":2}
        """,
        CompletionRequest.builder("m")
            .user("x")
            .options(
                GenerationOptions.builder()
                    .providerOption("num_ctx", 8192)
                    .providerOption("min_p", 0.05)
                    .providerOption("keep_alive", "10m")
                    .providerOption("truncate", false)
                    .providerOption("shift", true)
                    .providerOption("logprobs", true)
                    .providerOption("top_logprobs", 2)
                    .build())
            .build());
  }

  @Test
  void keepAliveProviderOptionInEveryForm() throws Exception {
    for (Object[] c :
        new Object[][] {
          {300, "300"},
          {-1, "-1"},
          {0, "0"},
          {2.5, "2.5"},
          {0.5, "0.5"},
          {Duration.ofMinutes(5), "300"},
          {"5m", "\"5m\""},
          {"300", "300"},
        }) {
      assertWire(
          "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
              + "\"options\":{},\"keep_alive\":"
              + c[1]
              + "}",
          CompletionRequest.builder("m")
              .user("x")
              .options(GenerationOptions.builder().providerOption("keep_alive", c[0]).build())
              .build());
    }
  }
}

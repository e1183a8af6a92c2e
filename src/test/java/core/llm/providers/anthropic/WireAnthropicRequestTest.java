package core.llm.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.ErrorContext;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.ResponseFormat;
import core.llm.common.Thinking;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Messages bodies the provider builds, compared as JSON trees with literal bodies in the shape
 * of Anthropic's API reference: top-level {@code system}, required {@code max_tokens}, content
 * blocks (text, image, tool_use, tool_result, thinking), {@code tools} with {@code input_schema},
 * {@code thinking} with {@code budget_tokens}, {@code stop_sequences}.
 */
class WireAnthropicRequestTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final ErrorContext CTX = ErrorContext.of("anthropic", "POST /v1/messages");
  private final AnthropicRequests requests = new AnthropicRequests(1024);

  private static void assertBody(String expected, JsonNode body) throws Exception {
    JsonNode want = PLAIN.readTree(expected);
    // through the same text the provider sends
    JsonNode got = PLAIN.readTree(PLAIN.writeValueAsBytes(body));
    assertEquals(want, got, () -> "\nexpected: " + want + "\nwritten:  " + got);
  }

  private static JsonNode json(String text) throws Exception {
    return PLAIN.readTree(text);
  }

  @Test
  void minimal() throws Exception {
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":1024,
         "messages":[{"role":"user","content":[{"type":"text","text":"Hello, Claude"}]}]}
        """,
        requests.messages(
            CompletionRequest.builder("claude-sonnet-4-5").user("Hello, Claude").build(),
            false,
            CTX));
  }

  @Test
  void systemSamplingAndStream() throws Exception {
    CompletionRequest r =
        CompletionRequest.builder("claude-sonnet-4-5")
            .system("You are terse.")
            .system("Answer in French.")
            .user("hi")
            .options(
                GenerationOptions.builder()
                    .temperature(0.3)
                    .maxTokens(200)
                    .topP(0.8)
                    .stop(List.of("END"))
                    .seed(1)
                    .providerOption("top_k", 5)
                    .providerOption("metadata", Map.of("user_id", "u1"))
                    .providerOption("system", "ignored: the provider owns system")
                    .build())
            .build();
    assertBody(
        """
        {"model":"claude-sonnet-4-5","system":"You are terse.\\n\\nAnswer in French.",
         "messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],
         "max_tokens":200,"temperature":0.3,"top_p":0.8,"stop_sequences":["END"],"stream":true,
         "top_k":5,"metadata":{"user_id":"u1"}}
        """,
        requests.messages(r, true, CTX));
  }

  @Test
  void conversationWithImagesThinkingToolUseAndResults() throws Exception {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("city", "Paris");
    args.put("days", 3);
    CompletionRequest r =
        CompletionRequest.builder("claude-sonnet-4-5")
            .message(
                ChatMessage.user("What is this?", List.of(new ImageData("iVBORw0KGgo=", null))))
            .message(
                ChatMessage.assistant(
                    "Let me check.",
                    "The user wants weather.",
                    "sig-abc",
                    List.of(new ToolCall("toolu_01", "get_weather", args))))
            .message(ChatMessage.toolResult("toolu_01", "get_weather", "18C"))
            .message(ChatMessage.assistant("", List.of(new ToolCall(null, "get_time", Map.of()))))
            .message(ChatMessage.toolResult(null, "get_time", "12:00"))
            .build();
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[
          {"role":"user","content":[
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
            {"type":"text","text":"What is this?"}]},
          {"role":"assistant","content":[
            {"type":"thinking","thinking":"The user wants weather.","signature":"sig-abc"},
            {"type":"text","text":"Let me check."},
            {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris","days":3}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"18C"}]},
          {"role":"assistant","content":[
            {"type":"tool_use","id":"toolu_core_1","name":"get_time","input":{}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_core_1","content":"12:00"}]}]}
        """,
        requests.messages(r, false, CTX));
  }

  @Test
  void unsignedThinkingIsNotSentBack() throws Exception {
    CompletionRequest r =
        CompletionRequest.builder("claude-sonnet-4-5")
            .user("q")
            .message(ChatMessage.assistant("a", "thought elsewhere", null, List.of()))
            .user("q2")
            .build();
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[
          {"role":"user","content":[{"type":"text","text":"q"}]},
          {"role":"assistant","content":[{"type":"text","text":"a"}]},
          {"role":"user","content":[{"type":"text","text":"q2"}]}]}
        """,
        requests.messages(r, false, CTX));
  }

  @Test
  void tools() throws Exception {
    JsonNode schema =
        json(
            """
            {"type":"object","properties":{"city":{"type":"string","description":"City"}},"required":["city"]}
            """);
    CompletionRequest r =
        CompletionRequest.builder("claude-sonnet-4-5")
            .user("weather?")
            .tool(new ToolDefinition("get_weather", "Current weather", schema))
            .tool(new ToolDefinition("now", null, json("{\"type\":\"object\",\"properties\":{}}")))
            .build();
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":1024,
         "messages":[{"role":"user","content":[{"type":"text","text":"weather?"}]}],
         "tools":[
           {"name":"get_weather","description":"Current weather",
            "input_schema":{"type":"object","properties":{"city":{"type":"string","description":"City"}},"required":["city"]}},
           {"name":"now","input_schema":{"type":"object","properties":{}}}]}
        """,
        requests.messages(r, false, CTX));
  }

  @Test
  void thinkingBudgetAndMaxTokens() throws Exception {
    // no maxTokens: the default room for the answer plus the budget
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":5120,
         "messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
         "thinking":{"type":"enabled","budget_tokens":4096}}
        """,
        requests.messages(
            CompletionRequest.builder("claude-sonnet-4-5")
                .user("x")
                .think(Thinking.level("medium"))
                .build(),
            false,
            CTX));
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":20000,
         "messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
         "thinking":{"type":"enabled","budget_tokens":16384}}
        """,
        requests.messages(
            CompletionRequest.builder("claude-sonnet-4-5")
                .user("x")
                .think(Thinking.level("high"))
                .options(GenerationOptions.builder().maxTokens(20000).build())
                .build(),
            false,
            CTX));
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":1024,
         "messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}
        """,
        requests.messages(
            CompletionRequest.builder("claude-sonnet-4-5").user("x").think(false).build(),
            false,
            CTX));
  }

  @Test
  void thinkingOnAndATokenBudget() throws Exception {
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":5120,
         "messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
         "thinking":{"type":"enabled","budget_tokens":4096}}
        """,
        requests.messages(
            CompletionRequest.builder("claude-sonnet-4-5").user("x").think(true).build(),
            false,
            CTX));
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":3024,
         "messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
         "thinking":{"type":"enabled","budget_tokens":2000}}
        """,
        requests.messages(
            CompletionRequest.builder("claude-sonnet-4-5")
                .user("x")
                .think(Thinking.budget(2000))
                .build(),
            false,
            CTX));
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":33792,
         "messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
         "thinking":{"type":"enabled","budget_tokens":32768}}
        """,
        requests.messages(
            CompletionRequest.builder("claude-sonnet-4-5")
                .user("x")
                .think(Thinking.level(Thinking.Level.MAX))
                .build(),
            false,
            CTX));
  }

  @Test
  void structuredOutputIsAForcedTool() throws Exception {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}");
    assertBody(
        """
        {"model":"claude-sonnet-4-5","max_tokens":1024,
         "messages":[{"role":"user","content":[{"type":"text","text":"age?"}]}],
         "tools":[{"name":"respond","description":"Give the final answer as the input of this tool, matching its schema.",
           "input_schema":{"type":"object","properties":{"age":{"type":"integer"}}}}],
         "tool_choice":{"type":"tool","name":"respond"}}
        """,
        requests.messages(
            CompletionRequest.builder("claude-sonnet-4-5")
                .user("age?")
                .responseFormat(ResponseFormat.schema("Person", schema))
                .build(),
            false,
            CTX));
  }

  @Test
  void countTokensHasNoGenerationSettings() throws Exception {
    assertBody(
        """
        {"model":"claude-sonnet-4-5","system":"s",
         "messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}
        """,
        requests.countTokens(
            CompletionRequest.builder("claude-sonnet-4-5")
                .system("s")
                .user("x")
                .options(GenerationOptions.builder().maxTokens(10).temperature(0.1).build())
                .build(),
            CTX));
  }
}

package core.llm.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.FinishReason;
import core.llm.common.Thinking;
import core.llm.common.ToolDefinition;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Extended thinking in a tool-use loop: the API only accepts the previous turn's thinking back with
 * its signature, unchanged and first in the assistant message.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnthropicThinkingTest {
  private static Vertx vertx;
  private AnthropicFixture fx;
  private final ToolDefinition weather =
      new ToolDefinition(
          "get_weather",
          "Weather of a city",
          FakeAnthropicServer.JSON.createObjectNode().put("type", "object"));

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void start() {
    fx = AnthropicFixture.start(vertx);
  }

  @AfterEach
  void stop() {
    fx.close().await();
  }

  private CompletionRequest.Builder request() {
    return CompletionRequest.builder(fx.chatModel())
        .user("Weather in Paris?")
        .tool(weather)
        .think(Thinking.level("low"));
  }

  private void script(List<String> thinking, List<String> signatures) {
    fx.server()
        .script(
            FakeAnthropicServer.thinkingThenToolCall(
                thinking, signatures, "toolu_1", "get_weather", "{\"city\":\"Paris\"}"));
  }

  /**
   * Sends the second turn with the first reply's message and returns the assistant message sent.
   */
  private JsonNode secondTurn(CompletionResult first) {
    fx.nextReplyTokens(List.of("Sunny"), 30, 1);
    fx.provider()
        .chat(
            request()
                .message(first.message())
                .message(ChatMessage.toolResult("toolu_1", "get_weather", "18C"))
                .build())
        .await();
    JsonNode assistant = fx.lastRequestBody().path("messages").get(1);
    assertEquals("assistant", assistant.path("role").asText());
    return assistant.path("content");
  }

  @Test
  void signedThinkingOfAReplyGoesBackFirstAndUnchanged() {
    script(List.of("The user wants Paris weather."), List.of("sig-AAA"));
    CompletionResult first = fx.provider().chat(request().build()).await();
    assertEquals(FinishReason.TOOL_CALLS, first.finishReason());
    assertEquals("The user wants Paris weather.", first.message().thinking());
    assertEquals("sig-AAA", first.message().thinkingSignature());

    JsonNode content = secondTurn(first);
    assertEquals("thinking", content.get(0).path("type").asText());
    assertEquals("The user wants Paris weather.", content.get(0).path("thinking").asText());
    assertEquals("sig-AAA", content.get(0).path("signature").asText());
    assertEquals("tool_use", content.get(1).path("type").asText());
  }

  @Test
  void aStreamedReplyAssemblesTheSignatureFromItsDeltas() {
    script(List.of("Streamed reasoning here."), List.of("sig-BBB"));
    ResponseStream<?, CompletionResult> stream = fx.provider().chatStream(request().build());
    stream.handler(d -> {});
    CompletionResult first = stream.result().await();
    assertEquals("Streamed reasoning here.", first.message().thinking());
    assertEquals("sig-BBB", first.message().thinkingSignature());
    assertEquals("sig-BBB", secondTurn(first).get(0).path("signature").asText());
  }

  @Test
  void severalThinkingBlocksCannotBeSentBackAsOne() {
    script(List.of("First thought. ", "Second thought."), List.of("sig-1", "sig-2"));
    CompletionResult first = fx.provider().chat(request().build()).await();
    assertEquals("First thought. Second thought.", first.message().thinking());
    assertNull(first.message().thinkingSignature(), "one signature cannot vouch for two blocks");
    assertEquals("tool_use", secondTurn(first).get(0).path("type").asText(), "thinking left out");
  }

  @Test
  void unsignedThinkingFromElsewhereIsLeftOut() {
    fx.nextReplyTokens(List.of("ok"), 1, 1);
    fx.provider()
        .chat(
            request()
                .message(
                    new ChatMessage(
                        core.llm.common.Role.ASSISTANT,
                        "",
                        "my own notes",
                        null,
                        null,
                        List.of(
                            new core.llm.common.ToolCall(
                                "toolu_1", "get_weather", java.util.Map.of("city", "Paris"))),
                        null,
                        null))
                .message(ChatMessage.toolResult("toolu_1", "get_weather", "18C"))
                .build())
        .await();
    JsonNode content = fx.lastRequestBody().path("messages").get(1).path("content");
    assertEquals(1, content.size());
    assertEquals("tool_use", content.get(0).path("type").asText());
  }
}

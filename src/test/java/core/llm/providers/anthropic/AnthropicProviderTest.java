package core.llm.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.BadRequestException;
import core.llm.common.Capability;
import core.llm.common.CapabilityMissingException;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.FinishReason;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.InvalidResponseException;
import core.llm.common.Thinking;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Non-streamed behaviour: request mapping, replies, tools, structured output, models, tokens. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnthropicProviderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;
  private AnthropicFixture fx;

  record Weather(String city, int celsius) {}

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
    return CompletionRequest.builder(fx.chatModel());
  }

  @Test
  void chatSendsTheMessagesRequestAndReadsTheReply() {
    fx.nextReplyTokens(List.of("Hel", "lo"), 11, 2);
    CompletionResult r =
        fx.provider()
            .chat(
                request()
                    .system("Be brief.")
                    .system("Be kind.")
                    .user("Hi")
                    .options(
                        GenerationOptions.builder()
                            .temperature(0.2)
                            .topP(0.9)
                            .stop(List.of("END"))
                            .providerOption("top_k", 5)
                            .providerOption("metadata", Map.of("user_id", "u1"))
                            .build())
                    .build())
            .await();

    assertEquals("Hello", r.content());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(11, r.usage().promptTokens());
    assertEquals(2, r.usage().completionTokens());
    assertEquals(FakeAnthropicServer.MODEL, r.model());
    assertEquals("anthropic-test", r.provider());

    FakeAnthropicServer.Recorded sent = fx.server().last();
    assertEquals("POST", sent.method());
    assertEquals("/v1/messages", sent.path());
    assertEquals(AnthropicFixture.API_KEY, sent.headers().get("x-api-key"));
    assertEquals("2023-06-01", sent.headers().get("anthropic-version"));
    assertTrue(sent.headers().get("content-type").startsWith("application/json"));
    JsonNode body = sent.body();
    assertEquals("Be brief.\n\nBe kind.", body.path("system").asText());
    assertEquals(4096, body.path("max_tokens").asInt());
    assertEquals(0.2, body.path("temperature").asDouble());
    assertEquals(0.9, body.path("top_p").asDouble());
    assertEquals("END", body.path("stop_sequences").get(0).asText());
    assertEquals(5, body.path("top_k").asInt());
    assertEquals("u1", body.path("metadata").path("user_id").asText());
    assertFalse(body.has("stream"));
    assertEquals(1, body.path("messages").size());
    JsonNode user = body.path("messages").get(0);
    assertEquals("user", user.path("role").asText());
    assertEquals("Hi", user.path("content").get(0).path("text").asText());
  }

  @Test
  void explicitMaxTokensAndBetaAndExtraHeadersAreSent() {
    fx.close().await();
    fx =
        AnthropicFixture.start(
            vertx,
            new AnthropicOptions()
                .addBeta("a-2025")
                .addBeta("b-2025")
                .addHeader("x-trace", "t1")
                .setDefaultMaxTokens(100));
    fx.nextReplyTokens(List.of("ok"), 1, 1);
    fx.provider().chat(request().user("Hi").build()).await();
    assertEquals(100, fx.lastRequestBody().path("max_tokens").asInt());
    assertEquals("a-2025,b-2025", fx.server().last().headers().get("anthropic-beta"));
    assertEquals("t1", fx.server().last().headers().get("x-trace"));

    fx.nextReplyTokens(List.of("ok"), 1, 1);
    fx.provider()
        .chat(
            request().user("Hi").options(GenerationOptions.builder().maxTokens(77).build()).build())
        .await();
    assertEquals(77, fx.lastRequestBody().path("max_tokens").asInt());
  }

  @Test
  void imagesBecomeBase64SourceBlocks() {
    fx.nextReplyTokens(List.of("a cat"), 1, 1);
    ImageData image = ImageData.of("data:image/jpeg;base64,QUJD");
    fx.provider()
        .chat(request().message(ChatMessage.user("What is it?", List.of(image))).build())
        .await();
    JsonNode content = fx.lastRequestBody().path("messages").get(0).path("content");
    assertEquals("image", content.get(0).path("type").asText());
    assertEquals("base64", content.get(0).path("source").path("type").asText());
    assertEquals("image/jpeg", content.get(0).path("source").path("media_type").asText());
    assertEquals("QUJD", content.get(0).path("source").path("data").asText());
    assertEquals("What is it?", content.get(1).path("text").asText());
  }

  @Test
  void toolsRoundTrip() throws Exception {
    JsonNode schema =
        JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    ToolDefinition weather = new ToolDefinition("get_weather", "Weather of a city", schema);
    fx.nextReplyToolCall("toolu_01", "get_weather", "{\"city\":\"Paris\",\"days\":[1,2]}");
    CompletionResult first =
        fx.provider().chat(request().user("Weather?").tool(weather).build()).await();

    assertEquals(FinishReason.TOOL_CALLS, first.finishReason());
    ToolCall call = first.message().toolCalls().get(0);
    assertEquals("toolu_01", call.id());
    assertEquals("get_weather", call.name());
    assertEquals("Paris", call.arguments().get("city"));
    assertEquals(List.of(1, 2), call.arguments().get("days"));
    JsonNode tools = fx.lastRequestBody().path("tools");
    assertEquals("get_weather", tools.get(0).path("name").asText());
    assertEquals("Weather of a city", tools.get(0).path("description").asText());
    assertEquals(schema, tools.get(0).path("input_schema"));

    // Second turn: the assistant's call and two results, which must merge into one user message.
    fx.nextReplyTokens(List.of("Sunny"), 30, 1);
    CompletionResult second =
        fx.provider()
            .chat(
                request()
                    .user("Weather?")
                    .tool(weather)
                    .message(first.message())
                    .message(ChatMessage.toolResult("toolu_01", "get_weather", "18C"))
                    .message(ChatMessage.toolResult("toolu_02", "get_weather", "20C"))
                    .build())
            .await();
    assertEquals("Sunny", second.content());
    JsonNode messages = fx.lastRequestBody().path("messages");
    assertEquals(3, messages.size());
    JsonNode use = messages.get(1).path("content").get(0);
    assertEquals("assistant", messages.get(1).path("role").asText());
    assertEquals("tool_use", use.path("type").asText());
    assertEquals("toolu_01", use.path("id").asText());
    assertEquals("Paris", use.path("input").path("city").asText());
    JsonNode results = messages.get(2);
    assertEquals("user", results.path("role").asText());
    assertEquals(2, results.path("content").size());
    assertEquals("tool_result", results.path("content").get(0).path("type").asText());
    assertEquals("toolu_01", results.path("content").get(0).path("tool_use_id").asText());
    assertEquals("18C", results.path("content").get(0).path("content").asText());
    assertEquals("toolu_02", results.path("content").get(1).path("tool_use_id").asText());
  }

  @Test
  void structuredOutputForcesTheRespondToolAndParsesItsInput() {
    fx.nextReplyText("{\"city\":\"Oslo\",\"celsius\":-3}");
    Weather w =
        fx.provider()
            .generateJson(request().user("Weather in Oslo?").build(), Weather.class)
            .await();
    assertEquals(new Weather("Oslo", -3), w);

    JsonNode body = fx.lastRequestBody();
    assertEquals("tool", body.path("tool_choice").path("type").asText());
    assertEquals("respond", body.path("tool_choice").path("name").asText());
    JsonNode tool = body.path("tools").get(0);
    assertEquals("respond", tool.path("name").asText());
    assertEquals(
        "integer",
        tool.path("input_schema").path("properties").path("celsius").path("type").asText());
  }

  @Test
  void structuredOutputThatDoesNotParseIsAnInvalidResponse() {
    fx.nextReplyText("Sorry, I cannot tell.");
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                fx.provider()
                    .generateJson(request().user("Weather?").build(), Weather.class)
                    .await());
    InvalidResponseException invalid = assertInstanceOf(InvalidResponseException.class, e);
    assertTrue(invalid.getMessage().contains("Sorry, I cannot tell."), invalid.getMessage());
  }

  @Test
  void thinkingLevelsBecomeBudgetsAndAnswersKeepTheirRoom() {
    fx.nextReplyTokens(List.of("42"), 1, 1);
    fx.provider().chat(request().user("Think").think(Thinking.level("high")).build()).await();
    JsonNode body = fx.lastRequestBody();
    assertEquals("enabled", body.path("thinking").path("type").asText());
    assertEquals(16384, body.path("thinking").path("budget_tokens").asInt());
    assertEquals(4096 + 16384, body.path("max_tokens").asInt());

    fx.nextReplyTokens(List.of("42"), 1, 1);
    fx.provider().chat(request().user("Think").think(false).build()).await();
    assertFalse(fx.lastRequestBody().has("thinking"));

    assertEquals(1024, AnthropicRequests.thinkingBudget(Thinking.level("low"), null));
    assertEquals(4096, AnthropicRequests.thinkingBudget(Thinking.ON, null));
    assertEquals(32768, AnthropicRequests.thinkingBudget(Thinking.level("max"), null));
    assertEquals(2000, AnthropicRequests.thinkingBudget(Thinking.budget(2000), null));
  }

  @Test
  void invalidRequestsFailFastWithoutSending() {
    int before = fx.server().requests().size();
    Exception unknown =
        assertThrows(
            Exception.class,
            () ->
                fx.provider()
                    .chat(request().user("x").think(Thinking.budget(500)).build())
                    .await());
    assertInstanceOf(BadRequestException.class, unknown);
    Exception tooSmall =
        assertThrows(
            Exception.class,
            () ->
                fx.provider()
                    .chat(
                        request()
                            .user("x")
                            .think(Thinking.level("high"))
                            .options(GenerationOptions.builder().maxTokens(1000).build())
                            .build())
                    .await());
    assertTrue(tooSmall.getMessage().contains("below max tokens"), tooSmall.getMessage());
    Exception stream =
        assertThrows(
            Exception.class,
            () ->
                fx.provider()
                    .chatStream(request().user("x").think(Thinking.budget(10)).build())
                    .result()
                    .await());
    assertInstanceOf(BadRequestException.class, stream);
    assertEquals(before, fx.server().requests().size());
  }

  @Test
  void thinkingAndToolUseBlocksOfAReplyAreRead() {
    fx.server()
        .script(
            (req, body, resp) ->
                FakeAnthropicServer.json(
                    resp,
                    200,
                    FakeAnthropicServer.message(
                        new io.vertx.core.json.JsonArray()
                            .add(
                                new io.vertx.core.json.JsonObject()
                                    .put("type", "thinking")
                                    .put("thinking", "Hmm.")
                                    .put("signature", "sig"))
                            .add(
                                new io.vertx.core.json.JsonObject()
                                    .put("type", "text")
                                    .put("text", "Cut")),
                        "max_tokens",
                        3,
                        4)));
    CompletionResult r = fx.provider().chat(request().user("x").build()).await();
    assertEquals("Hmm.", r.message().thinking());
    assertEquals("Cut", r.content());
    assertEquals(FinishReason.LENGTH, r.finishReason());
  }

  @Test
  void embeddingsAreNotOfferedAndFailFast() {
    assertFalse(fx.provider().capabilities().contains(Capability.EMBEDDINGS));
    assertTrue(fx.provider().capabilities().contains(Capability.TOOLS));
    Exception e =
        assertThrows(
            Exception.class,
            () -> fx.provider().embed(EmbeddingRequest.of(fx.embeddingModel(), "x")).await());
    CapabilityMissingException missing = assertInstanceOf(CapabilityMissingException.class, e);
    assertEquals("embeddings", missing.capability());
    assertTrue(missing.getMessage().contains("no embeddings API"));
    assertTrue(fx.server().requests().isEmpty());
  }

  @Test
  void listModelsHealthAndCountTokens() {
    fx.server().setModels(List.of("claude-a", "claude-b"));
    assertEquals(
        List.of("claude-a", "claude-b"),
        fx.provider().listModels().await().stream().map(m -> m.id()).toList());
    assertTrue(fx.server().last().path().startsWith("/v1/models"));
    assertTrue(fx.provider().health().await().up());

    int tokens =
        fx.provider()
            .countTokens(
                request()
                    .system("S")
                    .user("Count me")
                    .options(GenerationOptions.builder().maxTokens(10).temperature(1).build())
                    .build())
            .await()
            .tokens();
    assertEquals(42, tokens);
    FakeAnthropicServer.Recorded sent = fx.server().last();
    assertEquals("/v1/messages/count_tokens", sent.path());
    assertEquals("S", sent.body().path("system").asText());
    assertFalse(sent.body().has("max_tokens"));
    assertFalse(sent.body().has("temperature"));
  }

  @Test
  void healthIsDownWithTheReasonWhenTheServerFails() {
    fx.nextFailure(core.llm.common.ErrorKind.UNAUTHORIZED);
    var health = fx.provider().health().await();
    assertFalse(health.up());
    assertTrue(health.detail().contains("invalid x-api-key"), health.detail());
    assertFalse(health.detail().contains(AnthropicFixture.API_KEY));
  }

  @Test
  void optionsNeverShowTheKey() {
    AnthropicOptions o = new AnthropicOptions().setApiKey(AnthropicFixture.API_KEY);
    assertFalse(o.toString().contains(AnthropicFixture.API_KEY));
    assertFalse(o.toJson().encode().contains(AnthropicFixture.API_KEY));
    assertFalse(fx.provider().toString().contains(AnthropicFixture.API_KEY));
    AnthropicOptions copy =
        new AnthropicOptions(
            new io.vertx.core.json.JsonObject()
                .put("baseUrl", "http://x/")
                .put("timeouts", new io.vertx.core.json.JsonObject().put("firstByte", 1500)));
    assertEquals("http://x", copy.getBaseUrl());
    assertEquals(1500, copy.getTimeouts().firstByte().toMillis());
    assertNull(copy.getApiKey());
  }
}

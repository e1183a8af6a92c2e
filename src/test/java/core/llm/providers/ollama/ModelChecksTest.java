package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CapabilityMissingException;
import core.llm.common.ModelNotFoundException;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.ListModel;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.MessageToolCall;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.ollama.models.Think;
import core.llm.providers.ollama.models.Tool;
import core.llm.providers.ollama.models.ToolParameters;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ensureAvailable, capability and version fail-fast. */
@Timeout(30)
class ModelChecksTest {
  private static final String PNG_1PX =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClient client;
  private ModelLifecycle lifecycle;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("llama3.2").capabilities("completion"));
    server.addModel(
        FakeModel.named("qwen3:8b").capabilities("completion", "tools", "thinking", "insert"));
    server.addModel(FakeModel.named("gemma3").capabilities("completion", "vision"));
    server.addModel(FakeModel.embedding("nomic-embed-text"));
    client = OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    lifecycle = ModelLifecycle.create(vertx, client, new LifecycleOptions());
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
    vertx.close().await();
  }

  private static Tool weatherTool() {
    return Tool.function("get_weather", "Weather of a city", ToolParameters.empty());
  }

  // ---- ensureAvailable ----

  @Test
  void pullIfMissingStreamsProgressThenChecksAgain() {
    server.publish(FakeModel.named("mistral:7b"));
    List<ProgressResponse> progress = Collections.synchronizedList(new ArrayList<>());
    ListModel m =
        lifecycle.ensureAvailable("Mistral:7b", PullPolicy.IF_MISSING, progress::add).await();
    assertEquals("mistral:7b", m.name());
    assertEquals("pulling manifest", progress.get(0).status());
    assertTrue(progress.get(progress.size() - 1).isSuccess());
    assertTrue(progress.stream().anyMatch(p -> p.digest() != null && p.total() != null));
    assertEquals(1, server.requests("/api/pull").size());
    assertEquals(2, server.requests("/api/tags").size(), "looked before and after the pull");
  }

  @Test
  void ifMissingDoesNotPullAnInstalledModel() {
    ListModel m =
        lifecycle.ensureAvailable("library/llama3.2", PullPolicy.IF_MISSING, null).await();
    assertEquals("llama3.2:latest", m.name());
    assertTrue(server.requests("/api/pull").isEmpty());
  }

  @Test
  void alwaysPullsEvenWhenInstalled() {
    server.publish(FakeModel.named("llama3.2"));
    lifecycle.ensureAvailable("llama3.2", PullPolicy.ALWAYS, null).await();
    assertEquals(1, server.requests("/api/pull").size());
  }

  @Test
  void neverOnAMissingModelNamesThePullCommand() {
    Throwable e = assertFails(lifecycle.ensureAvailable("phi4", PullPolicy.NEVER, null));
    assertInstanceOf(ModelNotFoundException.class, e);
    assertTrue(e.getMessage().contains("ollama pull phi4:latest"), e.getMessage());
    assertTrue(server.requests("/api/pull").isEmpty());
  }

  @Test
  void aPullOfAnUnknownModelFailsWithTheServersError() {
    Throwable e = assertFails(lifecycle.ensureAvailable("nope", PullPolicy.IF_MISSING, null));
    assertTrue(e.getMessage().contains("file does not exist"), e.getMessage());
  }

  // ---- capabilities ----

  @Test
  void toolsOnAModelWithoutToolsFailFastAndShowIsCached() {
    ChatRequest chat =
        ChatRequest.builder("llama3.2").message(Message.user("hi")).tool(weatherTool()).build();
    CapabilityMissingException e =
        assertInstanceOf(CapabilityMissingException.class, assertFails(lifecycle.check(chat)));
    assertEquals("tools", e.capability());
    assertTrue(
        e.getMessage().contains("llama3.2:latest") && e.getMessage().contains("tools"),
        e.getMessage());
    assertFails(lifecycle.check(chat));
    assertEquals(1, server.requests("/api/show").size(), "capabilities are cached per model");
    assertTrue(server.requests("/api/chat").isEmpty());
    lifecycle
        .check(
            ChatRequest.builder("qwen3:8b").message(Message.user("hi")).tool(weatherTool()).build())
        .await();
  }

  @Test
  void thinkOnANonThinkingModelFailsButThinkFalseIsFine() {
    ChatRequest think =
        ChatRequest.builder("llama3.2").message(Message.user("hi")).think(true).build();
    CapabilityMissingException e =
        assertInstanceOf(CapabilityMissingException.class, assertFails(lifecycle.check(think)));
    assertEquals("thinking", e.capability());
    lifecycle
        .check(ChatRequest.builder("llama3.2").message(Message.user("hi")).think(false).build())
        .await();
    lifecycle
        .check(
            ChatRequest.builder("qwen3:8b").message(Message.user("hi")).think(Think.HIGH).build())
        .await();
  }

  @Test
  void imagesNeedVision() {
    GenerateRequest gen =
        GenerateRequest.builder("llama3.2").prompt("what is this").image(PNG_1PX).build();
    assertEquals(
        "vision", ((CapabilityMissingException) assertFails(lifecycle.check(gen))).capability());
    ChatRequest chat =
        ChatRequest.builder("llama3.2")
            .message(Message.builder(Message.USER).content("this?").image(PNG_1PX).build())
            .build();
    assertEquals(
        "vision", ((CapabilityMissingException) assertFails(lifecycle.check(chat))).capability());
    lifecycle
        .check(GenerateRequest.builder("gemma3").prompt("what is this").image(PNG_1PX).build())
        .await();
  }

  @Test
  void suffixNeedsInsert() {
    GenerateRequest fim =
        GenerateRequest.builder("llama3.2").prompt("def f(").suffix("  return x").build();
    assertEquals(
        "insert", ((CapabilityMissingException) assertFails(lifecycle.check(fim))).capability());
    lifecycle
        .check(GenerateRequest.builder("qwen3:8b").prompt("def f(").suffix("  return x").build())
        .await();
  }

  @Test
  void embeddingsNeedAnEmbeddingModelAndChatNeedsCompletion() {
    EmbedRequest embed = EmbedRequest.builder("llama3.2").input("hello").build();
    assertEquals(
        "embedding",
        ((CapabilityMissingException) assertFails(lifecycle.check(embed))).capability());
    lifecycle.check(EmbedRequest.builder("nomic-embed-text").input("hello").build()).await();
    ChatRequest chat = ChatRequest.builder("nomic-embed-text").message(Message.user("hi")).build();
    assertEquals(
        "completion",
        ((CapabilityMissingException) assertFails(lifecycle.check(chat))).capability());
  }

  @Test
  void capabilityChecksCanBeSwitchedOff() {
    ModelLifecycle off =
        ModelLifecycle.create(vertx, client, new LifecycleOptions().setCapabilityChecks(false));
    off.check(
            ChatRequest.builder("llama3.2")
                .message(Message.user("hi"))
                .tool(weatherTool())
                .think(true)
                .build())
        .await();
    off.check(GenerateRequest.builder("llama3.2").prompt("a").suffix("b").build()).await();
    assertTrue(server.requests("/api/show").isEmpty());
  }

  @Test
  void checkingAnUnknownModelSaysNotFound() {
    Throwable e =
        assertFails(
            lifecycle.check(ChatRequest.builder("ghost").message(Message.user("hi")).build()));
    assertInstanceOf(ModelNotFoundException.class, e);
  }

  // ---- server version ----

  @Test
  void thinkMaxNeedsServer022() {
    server.version("0.21.0");
    ChatRequest max =
        ChatRequest.builder("qwen3:8b").message(Message.user("hi")).think(Think.MAX).build();
    ServerTooOldException e =
        assertInstanceOf(ServerTooOldException.class, assertFails(lifecycle.check(max)));
    assertEquals("0.22.0", e.required());
    assertEquals("0.21.0", e.actual());
    assertTrue(
        e.getMessage().contains("think \"max\"") && e.getMessage().contains("0.21.0"),
        e.getMessage());
    assertTrue(
        server.requests("/api/show").isEmpty(), "the version is checked first, without /api/show");
    lifecycle
        .check(
            ChatRequest.builder("qwen3:8b").message(Message.user("hi")).think(Think.HIGH).build())
        .await();
    assertEquals(1, server.requests("/api/version").size(), "the version is cached");
  }

  @Test
  void otherVersionGates() {
    server.version("0.11.10");
    lifecycle = ModelLifecycle.create(vertx, client, new LifecycleOptions());
    assertGate(
        "embed dimensions",
        lifecycle.check(EmbedRequest.builder("nomic-embed-text").input("x").dimensions(8).build()));
    assertGate(
        "truncate/shift",
        lifecycle.check(GenerateRequest.builder("llama3.2").prompt("x").truncate(false).build()));
    assertGate(
        "logprobs",
        lifecycle.check(
            ChatRequest.builder("llama3.2").message(Message.user("x")).logprobs(true).build()));
    ChatRequest ids =
        ChatRequest.builder("qwen3:8b")
            .message(Message.user("x"))
            .message(
                Message.builder(Message.ASSISTANT)
                    .toolCall(MessageToolCall.of("f", Map.of()).withId("call_1"))
                    .build())
            .message(Message.tool("f", "42", "call_1"))
            .build();
    assertGate("tool_call_id and tool-call ids", lifecycle.check(ids));
    lifecycle
        .check(ChatRequest.builder("qwen3:8b").message(Message.user("x")).think(true).build())
        .await();
  }

  @Test
  void versionChecksCanBeSwitchedOffAndDevBuildsPass() {
    server.version("0.21.0");
    ChatRequest max =
        ChatRequest.builder("qwen3:8b").message(Message.user("hi")).think(Think.MAX).build();
    ModelLifecycle.create(vertx, client, new LifecycleOptions().setVersionChecks(false))
        .check(max)
        .await();
    server.version("0.0.0");
    ModelLifecycle.create(vertx, client, new LifecycleOptions()).check(max).await();
  }

  private static void assertGate(String feature, io.vertx.core.Future<Void> check) {
    ServerTooOldException e = assertInstanceOf(ServerTooOldException.class, assertFails(check));
    assertEquals(feature, e.feature());
  }
}

package core.llm.providers.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.BadRequestException;
import core.llm.common.CancelledException;
import core.llm.common.Capability;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.ConnectionException;
import core.llm.common.ContextTooLongException;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.ErrorKind;
import core.llm.common.FinishReason;
import core.llm.common.HealthStatus;
import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.ModelNotFoundException;
import core.llm.common.OverloadedException;
import core.llm.common.RateLimitedException;
import core.llm.common.ServerErrorException;
import core.llm.common.StreamErrorException;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import core.llm.common.UnauthorizedException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every {@link LlmProvider} must meet, run against a fake server (or script) that a
 * {@link ConformanceFixture} controls. Subclasses only create the fixture. Tests wait from the
 * JUnit thread (never on an event loop) and each takes well under a second; the bounds on those
 * waits are generous because they only matter when something is broken.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class ProviderConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  protected Vertx vertx;
  protected ConformanceFixture fixture;
  protected LlmProvider provider;

  /** Starts the fake and wires a provider to it; called before each test with a fresh Vertx. */
  protected abstract ConformanceFixture createFixture(Vertx vertx) throws Exception;

  /** A record for the structured-output test. */
  public record Weather(String city, int temperature) {}

  @BeforeEach
  void setUpFixture() throws Exception {
    vertx = Vertx.vertx();
    fixture = createFixture(vertx);
    provider = fixture.provider();
  }

  @AfterEach
  void tearDownFixture() throws Exception {
    if (fixture != null) {
      await(fixture.close());
    }
    await(vertx.close());
  }

  protected CompletionRequest request(String user) {
    return CompletionRequest.builder(fixture.chatModel()).user(user).build();
  }

  // ---- chat and streaming ----

  @Test
  void chatReturnsContentUsageAndFinishReason() {
    fixture.nextReplyTokens(List.of("Hello", ", ", "world"), 12, 3);
    CompletionResult r = await(provider.chat(request("Say hello")));
    assertEquals("Hello, world", r.content());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(12, r.usage().promptTokens());
    assertEquals(3, r.usage().completionTokens());
    assertEquals(provider.name(), r.provider());
    assertTrue(r.message().toolCalls().isEmpty());
    assertTrue(fixture.lastRequestBody().toString().contains("Say hello"), "the prompt was sent");
  }

  @Test
  void streamDeliversTokensInOrderWithBackPressure() throws Exception {
    List<String> tokens = List.of("one ", "two ", "three ", "four");
    fixture.nextReplyTokens(tokens, 5, 4);
    ResponseStream<CompletionDelta, CompletionResult> stream =
        provider.chatStream(request("Count"));
    List<CompletionDelta> got = new CopyOnWriteArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();
    stream.pause();
    stream.handler(got::add);
    stream.endHandler(v -> ended.set(true));
    Thread.sleep(80);
    assertEquals(0, got.size(), "nothing is delivered while paused");
    for (int i = 1; i <= tokens.size(); i++) {
      stream.fetch(1);
      int expected = i;
      waitUntil(() -> got.size() >= expected, "delta " + i);
      Thread.sleep(20);
      assertEquals(i, got.size(), "fetch(1) delivers exactly one delta");
      assertEquals(tokens.get(i - 1), got.get(i - 1).content());
    }
    assertFalse(ended.get(), "not ended while deltas are pending");
    stream.resume();
    waitUntil(ended::get, "end");
    CompletionDelta last = got.get(got.size() - 1);
    assertTrue(last.isLast(), "the last delta carries the finish reason");
    CompletionResult r = await(stream.result());
    assertEquals("one two three four", r.content());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(5, r.usage().promptTokens());
    assertEquals(4, r.usage().completionTokens());
  }

  @Test
  void streamResultAggregatesWithoutAHandler() {
    fixture.nextReplyTokens(List.of("a", "b", "c"), 3, 3);
    CompletionResult r = await(provider.chatStream(request("abc")).result());
    assertEquals("abc", r.content());
    assertEquals(3, r.usage().completionTokens());
  }

  @Test
  void resultSettlesAfterTheLastTokenAndTheEndHandler() throws Exception {
    fixture.nextReplyTokens(List.of("a", "b", "c"), 3, 3);
    List<String> events = new CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<String> settled =
        new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          ResponseStream<CompletionDelta, CompletionResult> stream =
              provider.chatStream(request("abc"));
          stream.handler(
              d -> {
                if (!d.content().isEmpty()) {
                  events.add(d.content());
                }
              });
          stream.endHandler(x -> events.add("end"));
          stream
              .result()
              .onComplete(
                  ar -> {
                    events.add("result");
                    settled.complete(
                        ar.succeeded() ? ar.result().content() : String.valueOf(ar.cause()));
                  });
        });
    assertEquals("abc", settled.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("a", "b", "c", "end", "result"), events);
  }

  @Test
  void cancelMidStreamClosesTheConnection() throws Exception {
    fixture.nextTokensThenStall(List.of("a", "b"));
    ResponseStream<CompletionDelta, CompletionResult> stream = provider.chatStream(request("go"));
    List<CompletionDelta> got = new CopyOnWriteArrayList<>();
    AtomicInteger signals = new AtomicInteger();
    stream.exceptionHandler(e -> signals.incrementAndGet());
    stream.endHandler(v -> signals.incrementAndGet());
    stream.handler(got::add);
    waitUntil(() -> got.size() >= 2, "the first tokens");
    await(stream.cancel());
    await(fixture.clientClosed(Duration.ofSeconds(10)));
    assertInstanceOf(CancelledException.class, failure(stream.result()));
    int seen = got.size();
    Thread.sleep(50);
    assertEquals(seen, got.size(), "no delta after cancel");
    assertEquals(0, signals.get(), "no end or exception handler after cancel");
  }

  @Test
  void cancelBeforeTheFirstByte() throws Exception {
    fixture.nextStall();
    ResponseStream<CompletionDelta, CompletionResult> stream = provider.chatStream(request("wait"));
    AtomicInteger calls = new AtomicInteger();
    stream.handler(d -> calls.incrementAndGet());
    stream.exceptionHandler(e -> calls.incrementAndGet());
    waitUntil(() -> safeLastBody() != null, "the request reaches the server");
    await(stream.cancel());
    await(fixture.clientClosed(Duration.ofSeconds(10)));
    LlmException e = assertInstanceOf(CancelledException.class, failure(stream.result()));
    assertEquals(ErrorKind.CANCELLED, e.kind());
    Thread.sleep(30);
    assertEquals(0, calls.get());
  }

  // ---- tools and structured output ----

  @Test
  void toolCallRoundTrip() {
    JsonNode params =
        json(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                + "\"days\":{\"type\":\"integer\"}},\"required\":[\"city\"]}");
    ToolDefinition tool = new ToolDefinition("get_weather", "Weather for a city", params);
    CompletionRequest ask =
        CompletionRequest.builder(fixture.chatModel()).user("Weather in Paris?").tool(tool).build();

    fixture.nextReplyToolCall("call_1", "get_weather", "{\"city\":\"Paris\",\"days\":2}");
    CompletionResult r = await(provider.chat(ask));
    assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
    assertEquals(1, r.message().toolCalls().size());
    ToolCall call = r.message().toolCalls().get(0);
    assertEquals("call_1", call.id());
    assertEquals("get_weather", call.name());
    assertEquals(Map.of("city", "Paris", "days", 2), call.arguments());
    assertTrue(
        fixture.lastRequestBody().toString().contains("get_weather"), "the tool is declared");

    fixture.nextReplyToolCall("call_2", "get_weather", "{\"city\":\"Lyon\",\"days\":1}");
    CompletionResult streamed = await(provider.chatStream(ask).result());
    ToolCall assembled = streamed.message().toolCalls().get(0);
    assertEquals("call_2", assembled.id());
    assertEquals(Map.of("city", "Lyon", "days", 1), assembled.arguments());
    assertEquals(FinishReason.TOOL_CALLS, streamed.finishReason());

    fixture.nextReplyTokens(List.of("It is sunny."), 30, 4);
    String result = "sunny and 24 degrees";
    CompletionRequest followUp =
        CompletionRequest.builder(fixture.chatModel())
            .user("Weather in Paris?")
            .tool(tool)
            .message(ChatMessage.assistant("", List.of(call)))
            .message(ChatMessage.toolResult(call.id(), call.name(), result))
            .build();
    assertEquals("It is sunny.", await(provider.chat(followUp)).content());
    JsonNode body = fixture.lastRequestBody();
    String text = body.toString();
    assertTrue(text.contains("call_1"), "the call id is sent back: " + text);
    assertTrue(text.contains("Paris"), "the call's arguments are sent back: " + text);
    assertTrue(text.contains(result), "the tool result is sent: " + text);
    fixture.verifyToolRoundTrip(body, call, result);
  }

  @Test
  void structuredOutputIsTyped() {
    fixture.nextReplyText("{\"city\":\"Paris\",\"temperature\":21}");
    Weather w = await(provider.generateJson(request("Weather as JSON"), Weather.class));
    assertEquals(new Weather("Paris", 21), w);
    assertTrue(fixture.lastRequestBody().toString().contains("temperature"), "the schema is sent");
  }

  @Test
  void structuredOutputRejectsANonJsonReply() {
    fixture.nextReplyText("Sorry, I cannot answer that.");
    Throwable t = failure(provider.generateJson(request("Weather as JSON"), Weather.class));
    InvalidResponseException e = assertInstanceOf(InvalidResponseException.class, t);
    assertTrue(e.getMessage().contains("Sorry, I cannot answer that."), e.getMessage());
  }

  // ---- embeddings ----

  @Test
  void embeddingsComeBackInInputOrder() {
    EmbeddingRequest req =
        new EmbeddingRequest(fixture.embeddingModel(), List.of("alpha", "alpha", "beta"), null);
    if (!provider.capabilities().contains(Capability.EMBEDDINGS)) {
      LlmException e = assertInstanceOf(LlmException.class, failure(provider.embed(req)));
      assertEquals(ErrorKind.CAPABILITY_MISSING, e.kind());
      return;
    }
    EmbeddingResult r = await(provider.embed(req));
    assertEquals(3, r.vectors().size());
    int dims = r.vectors().get(0).length;
    assertTrue(dims > 0);
    r.vectors().forEach(v -> assertEquals(dims, v.length));
    assertArrayEquals(r.vectors().get(0), r.vectors().get(1), "same text, same vector");
    assertFalse(java.util.Arrays.equals(r.vectors().get(0), r.vectors().get(2)), "order kept");
    EmbeddingResult beta =
        await(provider.embed(EmbeddingRequest.of(fixture.embeddingModel(), "beta")));
    assertArrayEquals(r.vectors().get(2), beta.vectors().get(0));
  }

  // ---- errors ----

  @ParameterizedTest
  @EnumSource(
      value = ErrorKind.class,
      names = {
        "NOT_FOUND",
        "UNAUTHORIZED",
        "RATE_LIMITED",
        "OVERLOADED",
        "BAD_REQUEST",
        "CONTEXT_TOO_LONG",
        "SERVER_ERROR"
      })
  void everyErrorKindIsTyped(ErrorKind kind) {
    fixture.nextFailure(kind);
    checkError(kind, failure(provider.chat(request("fail"))));
    fixture.nextFailure(kind);
    ResponseStream<CompletionDelta, CompletionResult> stream = provider.chatStream(request("fail"));
    List<Throwable> seen = new CopyOnWriteArrayList<>();
    stream.exceptionHandler(seen::add);
    checkError(kind, failure(stream.result()));
    waitUntil(() -> !seen.isEmpty(), "the exception handler");
    checkError(kind, seen.get(0));
  }

  private void checkError(ErrorKind kind, Throwable t) {
    Class<? extends LlmException> type =
        switch (kind) {
          case NOT_FOUND -> ModelNotFoundException.class;
          case UNAUTHORIZED -> UnauthorizedException.class;
          case RATE_LIMITED -> RateLimitedException.class;
          case OVERLOADED -> OverloadedException.class;
          case BAD_REQUEST -> BadRequestException.class;
          case CONTEXT_TOO_LONG -> ContextTooLongException.class;
          case SERVER_ERROR -> ServerErrorException.class;
          default -> throw new IllegalArgumentException(kind.name());
        };
    LlmException e = assertInstanceOf(type, t);
    assertEquals(kind, e.kind());
    assertEquals(kind.retryable(), e.retryable());
    assertTrue(e.status() >= 400, "the HTTP status is kept: " + e.status());
    assertNotNull(e.getMessage());
    assertFalse(e.getMessage().isBlank());
    assertEquals(provider.name(), e.provider().orElse(null));
    String key = fixture.apiKey();
    if (key != null) {
      assertFalse(e.getMessage().contains(key), "the key leaks: " + e.getMessage());
      assertFalse(
          e.serverMessage().orElse("").contains(key), "the key leaks in the server message");
    }
    if (kind == ErrorKind.RATE_LIMITED && fixture.expectedRetryAfter() != null) {
      assertEquals(fixture.expectedRetryAfter(), e.retryAfter().orElse(null));
    }
  }

  @Test
  void connectionRefused() {
    LlmProvider down = fixture.unreachableProvider();
    try {
      LlmException e =
          assertInstanceOf(ConnectionException.class, failure(down.chat(request("hi"))));
      assertEquals(ErrorKind.CONNECTION, e.kind());
      assertTrue(e.retryable());
      assertInstanceOf(ConnectionException.class, failure(down.chatStream(request("hi")).result()));
      Future<HealthStatus> health = down.health();
      try {
        assertFalse(
            health.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).up());
      } catch (ExecutionException ex) {
        assertInstanceOf(LlmException.class, ex.getCause(), "health fails typed or reports down");
      } catch (InterruptedException | TimeoutException ex) {
        fail(ex);
      }
    } finally {
      await(down.close());
    }
  }

  @Test
  void midStreamErrorComesAfterTheTokens() {
    fixture.nextMidStreamError(List.of("partial ", "answer"), "engine crashed");
    ResponseStream<CompletionDelta, CompletionResult> stream = provider.chatStream(request("go"));
    List<String> content = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicInteger contentAtError = new AtomicInteger(-1);
    AtomicBoolean ended = new AtomicBoolean();
    stream.exceptionHandler(
        e -> {
          contentAtError.set(content.size());
          errors.add(e);
        });
    stream.endHandler(v -> ended.set(true));
    stream.handler(
        d -> {
          if (!d.content().isEmpty()) {
            content.add(d.content());
          }
        });
    waitUntil(() -> !errors.isEmpty(), "the stream error");
    assertEquals(List.of("partial ", "answer"), content);
    assertEquals(2, contentAtError.get(), "the tokens are delivered before the error");
    StreamErrorException e = assertInstanceOf(StreamErrorException.class, errors.get(0));
    assertEquals(ErrorKind.STREAM_ERROR, e.kind());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("engine crashed"), e.getMessage());
    assertInstanceOf(StreamErrorException.class, failure(stream.result()));
    assertFalse(ended.get());
  }

  @Test
  void streamCutWithoutEndMarkerIsIncomplete() {
    fixture.nextCutStream(List.of("half ", "a "));
    ResponseStream<CompletionDelta, CompletionResult> stream = provider.chatStream(request("go"));
    List<CompletionDelta> got = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();
    stream.exceptionHandler(errors::add);
    stream.endHandler(v -> ended.set(true));
    stream.handler(got::add);
    waitUntil(() -> !errors.isEmpty(), "the incomplete-stream error");
    assertEquals("half a ", got.stream().map(CompletionDelta::content).reduce("", String::concat));
    IncompleteStreamException e = assertInstanceOf(IncompleteStreamException.class, errors.get(0));
    assertEquals(ErrorKind.INCOMPLETE_STREAM, e.kind());
    assertTrue(e.received().size() >= 2, "what came before the cut is kept");
    assertInstanceOf(IncompleteStreamException.class, failure(stream.result()));
    assertFalse(ended.get());
  }

  // ---- helpers ----

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private JsonNode safeLastBody() {
    try {
      return fixture.lastRequestBody();
    } catch (RuntimeException e) {
      return null;
    }
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no result within 10 s", e);
    }
  }

  public static Throwable failure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no failure within 10 s", e);
    }
  }

  public static void waitUntil(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(e);
      }
    }
  }
}

package core.llm.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CancelledException;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.FinishReason;
import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.OverloadedException;
import core.llm.common.ResponseFormat;
import core.llm.common.StreamErrorException;
import core.llm.common.ToolCallDelta;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams: SSE decoding, aggregation, back-pressure, cancellation and in-stream failures. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnthropicStreamTest {
  private static Vertx vertx;
  private AnthropicFixture fx;
  private final List<CompletionDelta> chunks = new CopyOnWriteArrayList<>();

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

  private ResponseStream<CompletionDelta, CompletionResult> stream(String prompt) {
    return fx.provider().chatStream(CompletionRequest.builder(fx.chatModel()).user(prompt).build());
  }

  private static Throwable failure(ResponseStream<?, ?> s) {
    return assertThrows(Exception.class, () -> s.result().await());
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met in time");
      Thread.sleep(5);
    }
  }

  /**
   * Consumes the stream into {@link #chunks} and waits for its end or exception: the result can
   * complete before the last chunks are handed over, so tests about chunks wait for this.
   */
  private Throwable consume(ResponseStream<CompletionDelta, CompletionResult> s) throws Exception {
    CompletableFuture<Throwable> done = new CompletableFuture<>();
    s.endHandler(v -> done.complete(null)).exceptionHandler(done::complete).handler(chunks::add);
    return done.get(10, TimeUnit.SECONDS);
  }

  private String text() {
    return chunks.stream().map(CompletionDelta::content).collect(Collectors.joining());
  }

  @Test
  void tokensStreamAndAggregate() throws Exception {
    fx.nextReplyTokens(List.of("Hel", "lo", " world"), 9, 3);
    CompletableFuture<Void> ended = new CompletableFuture<>();
    var s = stream("Hi").endHandler(v -> ended.complete(null)).handler(chunks::add);
    CompletionResult r = s.result().await();
    ended.get(10, TimeUnit.SECONDS); // the result can complete before the last chunk is handed over

    assertEquals("Hello world", text());
    assertEquals("Hello world", r.content());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(9, r.usage().promptTokens());
    assertEquals(3, r.usage().completionTokens());
    CompletionDelta last = chunks.get(chunks.size() - 1);
    assertTrue(last.isLast());
    assertEquals(3, last.usage().completionTokens());
    assertEquals(1, chunks.stream().filter(CompletionDelta::isLast).count());
    assertTrue(fx.lastRequestBody().path("stream").asBoolean());
  }

  @Test
  void pauseAndFetchDeliverOnlyWhatWasAskedFor() throws Exception {
    List<String> tokens = List.of("a", "b", "c", "d", "e", "f", "g", "h");
    fx.nextReplyTokens(tokens, 1, 8);
    CompletableFuture<Void> ended = new CompletableFuture<>();
    var s = stream("Hi");
    s.pause();
    s.endHandler(v -> ended.complete(null));
    s.handler(chunks::add);
    Thread.sleep(100);
    assertTrue(chunks.isEmpty(), "nothing may arrive before fetch");

    s.fetch(2);
    waitFor(() -> chunks.size() == 2);
    Thread.sleep(100);
    assertEquals(2, chunks.size(), "fetch(2) delivered more than 2");
    s.fetch(3);
    waitFor(() -> chunks.size() == 5);
    Thread.sleep(50);
    assertEquals(5, chunks.size());
    assertFalse(ended.isDone());

    s.resume();
    ended.get(10, TimeUnit.SECONDS);
    assertEquals("abcdefgh", text());
    assertEquals("abcdefgh", s.result().await().content());
  }

  @Test
  void cancelBeforeTheFirstByteClosesTheConnection() {
    fx.nextStall();
    var s = stream("Hi").handler(chunks::add);
    fx.server().awaitRequests(1).await();
    s.cancel().await();
    assertInstanceOf(CancelledException.class, failure(s));
    fx.clientClosed(Duration.ofSeconds(10)).await();
    assertTrue(chunks.isEmpty());
  }

  @Test
  void cancelRightAfterCreationIsSeenByTheServer() {
    fx.nextStall();
    var s = stream("Hi").handler(chunks::add);
    s.cancel().await();
    assertInstanceOf(CancelledException.class, failure(s));
    // Either the server saw the close, or the request never reached it: nothing is left open.
    // (A request that never arrived costs the whole wait, so this one is not 10 s.)
    fx.clientClosed(Duration.ofSeconds(2)).await();
  }

  @Test
  void cancelMidStreamClosesTheConnectionAndStopsDelivery() throws Exception {
    fx.nextOpenStream(List.of("one", "two"));
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    var s = stream("Hi").exceptionHandler(error::complete).handler(chunks::add);
    waitFor(() -> chunks.size() == 2);
    s.cancel().await();
    assertInstanceOf(CancelledException.class, failure(s));
    fx.clientClosed(Duration.ofSeconds(10)).await();
    Thread.sleep(50);
    assertEquals(2, chunks.size());
    assertFalse(error.isDone(), "no exception handler call after cancel");
  }

  @Test
  void toolInputFragmentsArriveUnderTheBlockIndexAndAreParsed() throws Exception {
    String args = "{\"query\":\"vert.x back-pressure\",\"limit\":3}";
    fx.nextReplyToolCall("toolu_9", "search", args);
    var s = stream("Find");
    consume(s);
    CompletionResult r = s.result().await();

    List<ToolCallDelta> parts = chunks.stream().flatMap(c -> c.toolCalls().stream()).toList();
    assertTrue(parts.size() >= 3, "fragments expected, got " + parts);
    assertEquals("toolu_9", parts.get(0).id());
    assertEquals("search", parts.get(0).name());
    assertTrue(parts.stream().allMatch(p -> p.index() == 0));
    assertEquals(
        args, parts.stream().map(ToolCallDelta::argumentsFragment).collect(Collectors.joining()));
    assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
    assertEquals("toolu_9", r.message().toolCalls().get(0).id());
    assertEquals("vert.x back-pressure", r.message().toolCalls().get(0).arguments().get("query"));
    assertEquals(3, r.message().toolCalls().get(0).arguments().get("limit"));
  }

  @Test
  void malformedStreamedToolInputIsAnInvalidResponse() {
    fx.server()
        .script(
            (req, body, resp) -> {
              FakeAnthropicServer.sseHead(resp);
              FakeAnthropicServer.messageStart(resp, 3);
              FakeAnthropicServer.toolEvents(
                  resp, 0, "toolu_1", "search", "{\"query\": \"unterminated");
              FakeAnthropicServer.end(resp, "tool_use", 4);
            });
    Throwable e = failure(stream("Find"));
    assertInstanceOf(InvalidResponseException.class, e);
    assertTrue(e.getMessage().contains("search"), e.getMessage());
  }

  @Test
  void structuredStreamTurnsTheRespondToolInputIntoContent() throws Exception {
    fx.nextReplyText("{\"city\":\"Oslo\"}");
    var s =
        fx.provider()
            .chatStream(
                CompletionRequest.builder(fx.chatModel())
                    .user("City?")
                    .responseFormat(ResponseFormat.json())
                    .build());
    consume(s);
    CompletionResult r = s.result().await();
    assertEquals("{\"city\":\"Oslo\"}", r.content());
    assertEquals("{\"city\":\"Oslo\"}", text());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertTrue(r.message().toolCalls().isEmpty());
  }

  @Test
  void thinkingIsStreamedAndSignaturesAreDropped() throws Exception {
    fx.server()
        .script(
            (req, body, resp) -> {
              FakeAnthropicServer.sseHead(resp);
              FakeAnthropicServer.messageStart(resp, 3);
              FakeAnthropicServer.event(
                  resp,
                  "content_block_start",
                  new JsonObject()
                      .put("type", "content_block_start")
                      .put("index", 0)
                      .put(
                          "content_block",
                          new JsonObject().put("type", "thinking").put("thinking", "")));
              FakeAnthropicServer.event(
                  resp,
                  "content_block_delta",
                  new JsonObject()
                      .put("index", 0)
                      .put(
                          "delta",
                          new JsonObject()
                              .put("type", "thinking_delta")
                              .put("thinking", "Let me see.")));
              FakeAnthropicServer.event(
                  resp,
                  "content_block_delta",
                  new JsonObject()
                      .put("index", 0)
                      .put(
                          "delta",
                          new JsonObject().put("type", "signature_delta").put("signature", "SIG")));
              FakeAnthropicServer.event(
                  resp, "content_block_stop", new JsonObject().put("index", 0));
              FakeAnthropicServer.textEvents(resp, 1, List.of("42"));
              FakeAnthropicServer.end(resp, "max_tokens", 9);
            });
    var s = stream("Think");
    consume(s);
    CompletionResult r = s.result().await();
    assertEquals("Let me see.", r.message().thinking());
    assertEquals("42", r.content());
    assertEquals(FinishReason.LENGTH, r.finishReason());
    assertTrue(chunks.stream().noneMatch(c -> c.thinking().contains("SIG")));
  }

  @Test
  void errorEventAfterContentIsAStreamErrorDeliveredAfterTheChunks() throws Exception {
    fx.nextMidStreamError(List.of("Hel", "lo"), "boom: backend exploded");
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    var s = stream("Hi").exceptionHandler(error::complete).handler(chunks::add);
    Throwable e = error.get(10, TimeUnit.SECONDS);
    StreamErrorException se = assertInstanceOf(StreamErrorException.class, e);
    assertTrue(se.getMessage().contains("boom: backend exploded"), se.getMessage());
    assertTrue(se.getMessage().contains("api_error"), se.getMessage());
    assertEquals("boom: backend exploded", se.serverMessage().orElseThrow());
    assertEquals("Hello", text());
    assertInstanceOf(StreamErrorException.class, failure(s));
  }

  @Test
  void overloadBeforeAnyContentStaysRetryable() {
    fx.server()
        .script(FakeAnthropicServer.midStreamError(List.of(), "overloaded_error", "Overloaded"));
    Throwable e = failure(stream("Hi"));
    OverloadedException o = assertInstanceOf(OverloadedException.class, e);
    assertTrue(o.retryable());
    assertTrue(o.getMessage().contains("Overloaded"));

    fx.server()
        .script(FakeAnthropicServer.midStreamError(List.of("x"), "overloaded_error", "Overloaded"));
    StreamErrorException late = assertInstanceOf(StreamErrorException.class, failure(stream("Hi")));
    assertFalse(late.retryable(), "after content the caller holds a part: not blindly retryable");
  }

  @Test
  void bodyEndingWithoutMessageStopIsIncomplete() throws Exception {
    fx.nextCutStream(List.of("par", "tial"));
    var s = stream("Hi");
    IncompleteStreamException e = assertInstanceOf(IncompleteStreamException.class, consume(s));
    assertEquals(e, failure(s));
    assertEquals(2, e.received().size());
    assertTrue(e.getMessage().contains("message_stop"), e.getMessage());
    assertEquals("partial", text());
    assertTrue(chunks.stream().noneMatch(CompletionDelta::isLast));
  }

  @Test
  void eventThatIsNotJsonIsAnInvalidResponse() {
    fx.server()
        .script(
            FakeAnthropicServer.raw(
                200, "text/event-stream", "event: message_start\ndata: {nope\n\n"));
    Throwable e = failure(stream("Hi"));
    assertInstanceOf(InvalidResponseException.class, e);
    assertTrue(e.getMessage().contains("{nope"), e.getMessage());
  }

  @Test
  void resultWithoutHandlerConsumesTheStream() {
    fx.nextReplyTokens(List.of("x", "y"), 1, 2);
    CompletionResult r = stream("Hi").result().await();
    assertEquals("xy", r.content());
    assertNull(r.message().thinking());
  }
}

package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.StreamErrorException;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class OllamaStreamingTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(
        FakeModel.named("llama3.2")
            .capabilities("completion", "tools")
            .reply("Hello there friend"));
    client = OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
    vertx.close().await();
  }

  private static ChatRequest hi() {
    return ChatRequest.builder("llama3.2").message(Message.user("hi")).build();
  }

  /** Collects chunks and the outcome of a stream. */
  static <T> Future<List<T>> collect(ResponseStream<T, ?> stream) {
    List<T> items = Collections.synchronizedList(new ArrayList<>());
    Promise<List<T>> done = Promise.promise();
    stream
        .exceptionHandler(done::tryFail)
        .endHandler(v -> done.tryComplete(items))
        .handler(items::add);
    return done.future();
  }

  @Test
  void streamsEveryChunkAndAggregates() {
    var stream = client.chatStream(hi());
    List<ChatResponse> chunks = collect(stream).await();
    ChatResponse result = stream.result().await();
    assertTrue(chunks.size() >= 3, "one chunk per word plus final: " + chunks.size());
    assertTrue(chunks.get(chunks.size() - 1).done());
    assertEquals("Hello there friend", result.message().content());
    assertEquals("stop", result.doneReason());
  }

  @Test
  void errorLineAfterContentFailsTheStreamAfterDeliveringTheContent() {
    server.script(
        "/api/chat",
        Script.create()
            .line(Chunks.chatChunk("Hel"))
            .line(Chunks.chatChunk("lo"))
            .line(Chunks.errorLine("engine crashed"))
            .end());
    var stream = client.chatStream(hi());
    List<ChatResponse> seen = new ArrayList<>();
    Promise<Throwable> failure = Promise.promise();
    stream.exceptionHandler(failure::complete).handler(seen::add);
    Throwable error = failure.future().await();
    assertInstanceOf(StreamErrorException.class, error);
    assertTrue(error.getMessage().contains("engine crashed"));
    assertEquals(2, seen.size());
    assertInstanceOf(
        StreamErrorException.class,
        assertFails(stream.result())); // settles right after the handler
  }

  @Test
  void streamEndingWithoutDoneIsIncomplete() {
    server.script("/api/chat", Script.create().line(Chunks.chatChunk("Hel")).end());
    var stream = client.chatStream(hi());
    Throwable error = assertFails(collect(stream));
    IncompleteStreamException incomplete = assertInstanceOf(IncompleteStreamException.class, error);
    assertEquals(1, incomplete.received().size());
    assertEquals(1, incomplete.chunkCount());
    ChatResponse partial = (ChatResponse) incomplete.partialResult().orElseThrow();
    assertEquals("Hel", partial.message().content());
  }

  @Test
  void connectionCutMidStreamIsIncompleteAndKeepsWhatArrived() {
    server.script(
        "/api/chat",
        Script.create().line(Chunks.chatChunk("Hel")).line(Chunks.chatChunk("lo")).delay(50).cut());
    var stream = client.chatStream(hi());
    List<ChatResponse> seen = new ArrayList<>();
    Promise<Throwable> failure = Promise.promise();
    stream.exceptionHandler(failure::complete).handler(seen::add);
    IncompleteStreamException cut =
        assertInstanceOf(IncompleteStreamException.class, failure.future().await());
    assertEquals(2, seen.size(), "both chunks delivered before the failure");
    assertEquals(2, cut.chunkCount());
    assertEquals("Hello", ((ChatResponse) cut.partialResult().orElseThrow()).message().content());
    assertInstanceOf(IncompleteStreamException.class, assertFails(stream.result()));
  }

  @Test
  void garbageLineFailsWithItsStartQuoted() {
    server.script(
        "/api/chat",
        Script.create().line(Chunks.chatChunk("a")).line("<html>proxy error</html>").end());
    Throwable error = assertFails(collect(client.chatStream(hi())));
    assertInstanceOf(InvalidResponseException.class, error);
    assertTrue(error.getMessage().contains("<html>proxy error"), error.getMessage());
  }

  static Throwable assertFails(Future<?> future) {
    try {
      future.await();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }
}

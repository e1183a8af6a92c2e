package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import core.llm.common.StreamErrorException;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Message;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The terminal signal of a stream reaches its own handler whatever the order and the thread the
 * handlers are set from, and {@code result()} settles only after the handlers saw everything.
 */
@Timeout(30)
class OllamaStreamTerminalTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClientImpl client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("llama3.2").capabilities("completion").reply("one two three"));
    client =
        (OllamaClientImpl)
            OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
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

  /**
   * Until the whole reply has been read and decoded: the exchange no longer counts as in flight.
   */
  private void awaitReplyRead() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (client.transport().inFlight() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the reply was not read within 10 s");
      }
      Thread.sleep(5);
    }
  }

  @Test
  void endHandlerSetAfterTheEndArrivedFromAPlainThreadIsStillCalled() throws Exception {
    var stream = client.chatStream(hi());
    List<ChatResponse> chunks = new CopyOnWriteArrayList<>();
    stream.handler(chunks::add);
    awaitReplyRead(); // the reply lands between the setters' hops
    CompletableFuture<Void> ended = new CompletableFuture<>();
    stream.endHandler(v -> ended.complete(null));
    stream.exceptionHandler(ended::completeExceptionally);
    ended.get(10, TimeUnit.SECONDS);
    assertEquals(
        "one two three",
        stream
            .result()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .message()
            .content());
    assertEquals(true, chunks.get(chunks.size() - 1).done());
  }

  @Test
  void exceptionHandlerSetAfterTheFailureArrivedFromAPlainThreadIsStillCalled() throws Exception {
    server.script(
        "/api/chat",
        Script.create().line(Chunks.chatChunk("a")).line(Chunks.errorLine("engine crashed")).end());
    var stream = client.chatStream(hi());
    List<ChatResponse> chunks = new CopyOnWriteArrayList<>();
    stream.handler(chunks::add);
    awaitReplyRead();
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    stream.endHandler(v -> failed.completeExceptionally(new AssertionError("ended normally")));
    stream.exceptionHandler(failed::complete);
    assertInstanceOf(StreamErrorException.class, failed.get(10, TimeUnit.SECONDS));
    assertEquals(1, chunks.size());
  }

  @Test
  void resultSettlesAfterTheLastChunkAndTheEndHandler() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> settled = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          var stream = client.chatStream(hi());
          stream.handler(c -> events.add(c.done() ? "last chunk" : "chunk"));
          stream.endHandler(x -> events.add("end"));
          stream
              .result()
              .onComplete(
                  ar -> {
                    events.add("result");
                    settled.complete(null);
                  });
        });
    settled.get(10, TimeUnit.SECONDS);
    assertEquals(
        List.of("last chunk", "end", "result"), events.subList(events.size() - 3, events.size()));
  }

  @Test
  void failedResultSettlesAfterTheExceptionHandler() throws Exception {
    server.script(
        "/api/chat",
        Script.create().line(Chunks.chatChunk("a")).line(Chunks.errorLine("boom")).end());
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> settled = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          var stream = client.chatStream(hi());
          stream.handler(c -> events.add("chunk"));
          stream.exceptionHandler(e -> events.add("exception"));
          stream
              .result()
              .onComplete(
                  ar -> {
                    events.add(ar.failed() ? "result failed" : "result succeeded");
                    settled.complete(null);
                  });
        });
    settled.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("chunk", "exception", "result failed"), events);
  }

  @Test
  void aThrowingEndHandlerStillSettlesTheResult() throws Exception {
    CompletableFuture<String> settled = new CompletableFuture<>();
    vertx.exceptionHandler(
        e -> {}); // the handler's own exception goes to the context, as Vert.x does
    vertx.runOnContext(
        v -> {
          var stream = client.chatStream(hi());
          stream.handler(c -> {});
          stream.endHandler(
              x -> {
                throw new IllegalStateException("the caller's bug");
              });
          stream
              .result()
              .onComplete(
                  ar ->
                      settled.complete(
                          ar.succeeded() ? ar.result().message().content() : "failed"));
        });
    assertEquals("one two three", settled.get(10, TimeUnit.SECONDS));
  }
}

package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static core.llm.providers.ollama.OllamaStreamingTest.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CancelledException;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Message;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing the client cancels what it has in flight, with an error that says so. */
@Timeout(30)
class OllamaClientCloseTest {
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
            OllamaClient.create(
                vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()).setMaxPoolSize(1));
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

  private static void assertClosedByClient(Throwable error) {
    CancelledException cancelled = assertInstanceOf(CancelledException.class, error);
    assertTrue(cancelled.getMessage().contains("client was closed"), cancelled.getMessage());
  }

  @Test
  void closeDuringAStreamCancelsItAndSaysTheClientWasClosed() {
    server.script("/api/chat", Script.create().line(Chunks.chatChunk("Hel")).delay(60_000).end());
    var stream = client.chatStream(hi());
    Promise<ChatResponse> first = Promise.promise();
    Promise<Throwable> failure = Promise.promise();
    stream
        .exceptionHandler(failure::tryComplete)
        .endHandler(v -> failure.tryFail("ended normally"))
        .handler(first::tryComplete);
    first.future().await();
    client.close().await();
    assertClosedByClient(failure.future().await());
    assertClosedByClient(assertFails(stream.result()));
    assertEquals(0, client.transport().inFlight());
  }

  @Test
  void closeWhileStillConnectingCancelsTheStreamToo() {
    // One connection in the pool, held by the first stream: the second waits for a connection.
    server.script("/api/chat", Script.create().line(Chunks.chatChunk("Hel")).delay(60_000).end());
    var holding = client.chatStream(hi());
    Promise<ChatResponse> first = Promise.promise();
    holding.exceptionHandler(e -> {}).handler(first::tryComplete);
    first.future().await();
    var waiting = client.chatStream(hi());
    var waited = collect(waiting);
    client.close().await();
    assertClosedByClient(assertFails(waited));
    assertClosedByClient(assertFails(holding.result()));
    assertEquals(1, server.requests("/api/chat").size(), "the waiting request was never sent");
  }

  @Test
  void requestsAfterCloseFailTheSameWay() {
    client.close().await();
    assertClosedByClient(assertFails(client.version()));
    assertClosedByClient(assertFails(collect(client.chatStream(hi()))));
    assertEquals(List.of(), server.requests("/api/chat"));
  }
}

package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router over a real NDJSON stream (the built-in Ollama provider on the fake server). */
@Timeout(30)
class RoutedOllamaStreamTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private ProviderConfigManager config;
  private LlmProviderFactory factory;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(
        FakeModel.named("llama3.2")
            .capabilities("completion")
            .reply("one two three four five six"));
    config =
        ProviderConfigManager.create(
            vertx,
            null,
            Map.of("OLLAMA_HOST", server.baseUrl()),
            BuiltInProviders.creators().keySet());
    config.start().await();
    factory =
        LlmProviderFactory.builder(vertx, config).creators(BuiltInProviders.creators()).build();
  }

  @AfterEach
  void stop() {
    factory.close().await();
    config.stop();
    server.close().await();
    vertx.close().await();
  }

  @Test
  void aConsumerFetchingOneChunkAtATimeGetsEveryChunkBeforeTheEnd() {
    // The whole reply in one write: the final chunk is decoded long before the consumer reaches it.
    StringBuilder body = new StringBuilder();
    for (String word : List.of("one", " two", " three", " four", " five")) {
      body.append(Chunks.chatChunk(word)).append('\n');
    }
    body.append(Chunks.chatFinal(" six", "stop", Chunks.metrics())).append('\n');
    server.script("/api/chat", Script.create().raw(body.toString()).end());
    var stream =
        factory.router().chatStream(CompletionRequest.builder("llama3.2").user("count").build());
    List<String> pieces = new CopyOnWriteArrayList<>();
    Promise<Void> ended = Promise.promise();
    stream.pause();
    stream.exceptionHandler(ended::tryFail);
    stream.endHandler(v -> ended.tryComplete());
    stream.handler(
        (CompletionDelta d) -> {
          pieces.add(d.content());
          vertx.setTimer(20, id -> stream.fetch(1)); // a slow consumer
        });
    stream.fetch(1);
    ended.future().await();
    assertEquals("one two three four five six", String.join("", pieces));
    assertEquals("one two three four five six", stream.result().await().content());
  }

  @Test
  void loadAndUnloadWorkThroughTheFactorysHandle() {
    var control = factory.provider("ollama").await().modelControl().orElseThrow();
    control.load("llama3.2").await();
    assertEquals(List.of("llama3.2:latest"), control.loadedModels().await());
    control.unload("llama3.2").await();
    assertEquals(false, server.models().isLoaded("llama3.2"));
  }

  @Test
  void closingTheFactoryCancelsAStreamTheApplicationPausedAndNeverReads() throws Exception {
    server.script("/api/chat", Script.create().endless(() -> Chunks.chatChunk("x")));
    var stream =
        factory.router().chatStream(CompletionRequest.builder("llama3.2").user("go").build());
    stream.pause();
    stream.handler(d -> {});
    stream.fetch(1);
    server.awaitRequests("/api/chat", 1).await();
    // Before: close() waited for the stream to drain, which a paused stream never does.
    factory.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(ErrorKind.CANCELLED, failureKind(stream.result()));
    server.awaitClientClose().await(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void shutdownLetsWhatIsInFlightFinishWithinTheGrace() throws Exception {
    server.script(
        "/api/chat",
        Script.create()
            .line(Chunks.chatChunk("slow"))
            .delay(200)
            .line(Chunks.chatFinal(" end", "stop", Chunks.metrics()))
            .end());
    var stream =
        factory.router().chatStream(CompletionRequest.builder("llama3.2").user("go").build());
    var result = stream.result();
    server.awaitRequests("/api/chat", 1).await();
    factory
        .shutdown(java.time.Duration.ofSeconds(20))
        .await(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals("slow end", result.await().content());
    // a request after shutdown began is refused, typed
    var refused = factory.router().chat(CompletionRequest.builder("llama3.2").user("late").build());
    assertEquals(ErrorKind.CANCELLED, failureKind(refused));
  }

  private static ErrorKind failureKind(io.vertx.core.Future<?> future) {
    Throwable t =
        assertThrows(
            Throwable.class, () -> future.await(10, java.util.concurrent.TimeUnit.SECONDS));
    return ((LlmException) t).kind();
  }
}

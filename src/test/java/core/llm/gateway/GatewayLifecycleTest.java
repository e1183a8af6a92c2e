package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where the gateway may listen, and how it stops: grace for running streams, then cancel. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayLifecycleTest {
  @TempDir Path dir;
  GatewayFixture fx;
  OllamaClient client;

  @BeforeEach
  void start() throws Exception {
    fx = GatewayFixture.oneOllama(dir);
    client = OllamaClient.create(fx.vertx, new OllamaClientOptions().setBaseUrl(fx.baseUrl()));
  }

  @AfterEach
  void stop() throws Exception {
    client.close().await();
    fx.close();
  }

  @Test
  void withoutKeysOnlyLoopbackUnlessAllowedExplicitly() throws Exception {
    Gateway open =
        Gateway.create(
            fx.vertx, fx.factory, fx.configs, new GatewayOptions().setHost("0.0.0.0").setPort(0));
    var refused = assertThrows(IllegalStateException.class, () -> open.listen().await());
    assertTrue(refused.getMessage().contains("--allow-remote-without-keys"), refused.getMessage());
    Gateway allowed =
        Gateway.create(
            fx.vertx,
            fx.factory,
            fx.configs,
            new GatewayOptions().setHost("0.0.0.0").setPort(0).setAllowRemoteWithoutKeys(true));
    allowed.listen().await();
    assertTrue(allowed.port() > 0);
    allowed.close().await();
  }

  @Test
  void aRunningStreamFinishesWithinTheGrace() throws Exception {
    fx.ollama().addModel(FakeModel.named("slow").reply("a b c d e f g h").tokenDelayMs(60));
    var stream =
        client.chatStream(
            ChatRequest.builder("slow").message(Message.user("hi")).stream(true).build());
    CompletableFuture<Void> first = new CompletableFuture<>();
    AtomicInteger chunks = new AtomicInteger();
    stream.handler(
        c -> {
          chunks.incrementAndGet();
          first.complete(null);
        });
    first.get(5, TimeUnit.SECONDS);
    var stopping = fx.gateway.shutdown(Duration.ofSeconds(10));
    var last = stream.result().await();
    assertEquals(Boolean.TRUE, last.done(), "the stream ended normally during the grace");
    stopping.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(chunks.get() >= 8, "every chunk arrived: " + chunks.get());
  }

  @Test
  void pastTheGraceWhatStillRunsIsCancelledUpstream() throws Exception {
    fx.ollama()
        .addModel(
            FakeModel.named("endless")
                .reply("word ".repeat(200).strip())
                .tokenDelayMs(50)); // 10 s of tokens
    var stream =
        client.chatStream(
            ChatRequest.builder("endless").message(Message.user("hi")).stream(true).build());
    CompletableFuture<Void> first = new CompletableFuture<>();
    stream.handler(c -> first.complete(null));
    first.get(5, TimeUnit.SECONDS);
    long t0 = System.nanoTime();
    fx.gateway
        .shutdown(Duration.ofMillis(300))
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 3000, "shutdown took " + ms + " ms");
    fx.ollama()
        .awaitClientClose()
        .toCompletionStage()
        .toCompletableFuture()
        .get(3, TimeUnit.SECONDS);
    assertThrows(
        RuntimeException.class, () -> stream.result().await(), "the client saw a cut stream");
  }

  @Test
  void servesFromOneEventLoopPerConfiguredLoopOnOnePort() throws Exception {
    Gateway two =
        Gateway.create(
            fx.vertx, fx.factory, fx.configs, new GatewayOptions().setPort(0).setEventLoops(2));
    Gateway other =
        Gateway.create(fx.vertx, fx.factory, fx.configs, new GatewayOptions().setPort(0));
    java.util.Set<String> loops = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(8);
    ((GatewayImpl) two)
        .addListenerForTest(
            (notes, status) -> {
              loops.add(Thread.currentThread().getName());
              ended.countDown();
            });
    two.listen().await();
    other.listen().await();
    try {
      assertTrue(two.port() > 0);
      assertTrue(other.port() > 0);
      assertTrue(two.port() != other.port(), "two gateways on a free port each get their own");
      // a new connection per request: Vert.x hands connections to the servers in turn
      io.vertx.core.http.HttpClient http =
          fx.vertx
              .httpClientBuilder()
              .with(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false))
              .build();
      for (int i = 0; i < 8; i++) {
        int status =
            http.request(io.vertx.core.http.HttpMethod.GET, two.port(), "127.0.0.1", "/api/version")
                .compose(r -> r.send())
                .compose(r -> r.body().map(b -> r.statusCode()))
                .await();
        assertEquals(200, status);
      }
      assertTrue(ended.await(5, TimeUnit.SECONDS), "every request ended");
      assertEquals(2, loops.size(), "requests were served on two event loops: " + loops);
      http.close().await();
    } finally {
      two.close().await();
      other.close().await();
    }
  }
}

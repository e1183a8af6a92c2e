package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ErrorKind;
import core.llm.common.LlmTimeoutException;
import core.llm.providers.base.Timeouts;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.RecordedRequest;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The four timeouts of an exchange, per-request overrides, and no timer outliving its call. */
@Timeout(20)
class OllamaTimeoutsTest {
  private static final Duration SHORT = Duration.ofMillis(250);

  /**
   * Generous margin, past its limit, by which a timeout must have fired (shared, loaded CI
   * machines).
   */
  private static final long BOUND_MS = 4_000;

  /**
   * How long scripted servers stall: far beyond the bound, so only the timeout can end the call.
   */
  private static final long STALL_MS = 10_000;

  private Vertx vertx;
  private FakeOllamaServer server;

  /** Loads the classes of a whole call once, so a cold JVM does not count against the bounds. */
  @org.junit.jupiter.api.BeforeAll
  static void warmUp() {
    Vertx v = Vertx.vertx();
    try {
      FakeOllamaServer s = FakeOllamaServer.start(v).await();
      s.addModel(FakeModel.named("llama3.2"));
      OllamaClient c =
          OllamaClient.create(
              v,
              new OllamaClientOptions()
                  .setBaseUrl(s.baseUrl())
                  .setFirstByteTimeout(Duration.ofSeconds(30))
                  .setIdleTimeout(Duration.ofSeconds(30)));
      c.chat(hi()).await();
      OllamaStreamingTest.collect(c.chatStream(hi())).await();
      c.close().await();
      s.close().await();
    } finally {
      v.close().await();
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("llama3.2").reply("Hello there friend"));
  }

  @AfterEach
  void stop() {
    server.close().await();
    vertx.close().await();
  }

  private OllamaClient client(OllamaClientOptions options) {
    return OllamaClient.create(vertx, options.setBaseUrl(server.baseUrl()));
  }

  @Test
  void metadataCallsToAServerThatNeverAnswersFailWithinTheMetadataTimeout() {
    // The 10-minute first-byte limit is for cold loads; `llm list` against a stalled server used to
    // print nothing for minutes.
    io.vertx.core.http.HttpServer silent =
        vertx.createHttpServer().requestHandler(req -> {}).listen(0, "127.0.0.1").await();
    OllamaClient c =
        OllamaClient.create(
            vertx,
            new OllamaClientOptions()
                .setBaseUrl("http://127.0.0.1:" + silent.actualPort())
                .setMetadataTimeout(SHORT));
    try {
      for (java.util.function.Supplier<io.vertx.core.Future<?>> call :
          List.<java.util.function.Supplier<io.vertx.core.Future<?>>>of(
              c::list, c::ps, c::version)) {
        long t0 = System.nanoTime();
        Throwable t = assertThrows(Throwable.class, () -> call.get().await());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertInstanceOf(core.llm.common.LlmTimeoutException.class, t);
        assertTrue(ms < SHORT.toMillis() + BOUND_MS, "failed after " + ms + " ms");
      }
    } finally {
      c.close().await();
      silent.close().await();
    }
  }

  @Test
  void limitsBeyondALongOfMillisecondsAreClampedNotThrown() {
    // Duration.ofDays(200_000_000_000L).toMillis() overflows: it used to throw where the idle timer
    // is armed (at the response head), leaving the stream paused and its connection held forever.
    Duration huge = Duration.ofDays(200_000_000_000L);
    OllamaClient c =
        client(
            new OllamaClientOptions()
                .setConnectTimeout(huge)
                .setFirstByteTimeout(huge)
                .setIdleTimeout(huge)
                .setTotalTimeout(huge));
    try {
      List<ChatResponse> chunks = OllamaStreamingTest.collect(c.chatStream(hi())).await();
      assertTrue(chunks.get(chunks.size() - 1).done(), "the stream ended normally");
      assertEquals("Hello there friend", c.chat(hi()).await().message().content());
    } finally {
      c.close().await();
    }
  }

  private static ChatRequest hi() {
    return ChatRequest.builder("llama3.2").message(Message.user("hi")).build();
  }

  private static LlmTimeoutException timesOut(
      Future<?> f, LlmTimeoutException.Phase phase, Duration limit) {
    long t0 = System.nanoTime();
    Throwable t = OllamaStreamingTest.assertFails(f);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    LlmTimeoutException e = assertInstanceOf(LlmTimeoutException.class, t, String.valueOf(t));
    assertEquals(phase, e.phase(), e.getMessage());
    assertEquals(limit, e.limit());
    assertEquals(ErrorKind.TIMEOUT, e.kind());
    assertTrue(e.retryable());
    assertTrue(ms < limit.toMillis() + BOUND_MS, "fired after " + ms + " ms");
    return e;
  }

  @Test
  void firstByteTimeoutFiresAndClosesTheConnection() {
    server.script(
        "/api/chat", Script.create().delayHeaders(STALL_MS).line(Chunks.chatChunk("late")));
    OllamaClient client = client(new OllamaClientOptions().setFirstByteTimeout(SHORT));
    try {
      long t0 = System.nanoTime();
      LlmTimeoutException e =
          timesOut(client.chat(hi()), LlmTimeoutException.Phase.FIRST_BYTE, SHORT);
      assertTrue(
          (System.nanoTime() - t0) / 1_000_000 >= SHORT.toMillis() - 20, "not before the limit");
      assertEquals("POST /api/chat", e.endpoint().orElseThrow());
      assertTrue(e.getMessage().contains("first-byte"), e.getMessage());
      server.lastRequest("/api/chat").closedByClient().await();
      assertTrue(server.lastRequest("/api/chat").wasClosedByClient());
      server.awaitOpenConnections(0).await();
    } finally {
      client.close().await();
    }
  }

  @Test
  void firstByteTimeoutAppliesToStreamsToo() {
    server.script(
        "/api/chat", Script.create().delayHeaders(STALL_MS).line(Chunks.chatChunk("late")));
    OllamaClient client = client(new OllamaClientOptions().setFirstByteTimeout(SHORT));
    try {
      timesOut(
          OllamaStreamingTest.collect(client.chatStream(hi())),
          LlmTimeoutException.Phase.FIRST_BYTE,
          SHORT);
      server.lastRequest("/api/chat").closedByClient().await();
    } finally {
      client.close().await();
    }
  }

  @Test
  void idleTimeoutOnAStreamThatStallsAfterOneLine() {
    server.script(
        "/api/chat",
        Script.create().line(Chunks.chatChunk("Hel")).delay(STALL_MS).line(Chunks.chatChunk("lo")));
    OllamaClient client = client(new OllamaClientOptions().setIdleTimeout(SHORT));
    try {
      var stream = client.chatStream(hi());
      java.util.List<ChatResponse> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      Promise<Throwable> failed = Promise.promise();
      stream
          .exceptionHandler(failed::tryComplete)
          .endHandler(v -> failed.tryFail("ended"))
          .handler(seen::add);
      Throwable t = failed.future().await();
      LlmTimeoutException e = assertInstanceOf(LlmTimeoutException.class, t);
      assertEquals(LlmTimeoutException.Phase.IDLE, e.phase());
      assertEquals(1, seen.size(), "the line before the stall was delivered");
      server.lastRequest("/api/chat").closedByClient().await();
    } finally {
      client.close().await();
    }
  }

  @Test
  void idleTimeoutOnANonStreamedBodyThatStalls() {
    server.script(
        "/api/chat",
        Script.create()
            .header("Content-Type", "application/json")
            .raw("{\"model\":\"llama3.2\",")
            .delay(STALL_MS)
            .raw("\"done\":true}"));
    OllamaClient client = client(new OllamaClientOptions().setIdleTimeout(SHORT));
    try {
      timesOut(client.chat(hi()), LlmTimeoutException.Phase.IDLE, SHORT);
    } finally {
      client.close().await();
    }
  }

  @Test
  void totalTimeoutOnAStreamThatKeepsTalking() {
    Script slow = Script.create();
    for (int i = 0; i < 80; i++) {
      slow.line(Chunks.chatChunk("w" + i)).delay(100);
    }
    server.script("/api/chat", slow);
    // Lines every 100 ms keep the idle limit (1 s) from firing, so only the total one can end the
    // call; an idle limit of 250 ms left too little room for a late line on a loaded machine.
    Duration total = Duration.ofSeconds(2);
    OllamaClient client =
        client(
            new OllamaClientOptions().setIdleTimeout(Duration.ofSeconds(1)).setTotalTimeout(total));
    try {
      timesOut(
          OllamaStreamingTest.collect(client.chatStream(hi())),
          LlmTimeoutException.Phase.TOTAL,
          total);
      server.lastRequest("/api/chat").closedByClient().await();
    } finally {
      client.close().await();
    }
  }

  /**
   * No external addresses are allowed, so the connect timeout is exercised through the pool: with
   * one connection held by a stalled request, a second request cannot get a connection in time.
   */
  @Test
  void connectTimeoutWhileWaitingForAPooledConnection() {
    server.script(
        "/api/chat", Script.create().delayHeaders(STALL_MS).line(Chunks.chatChunk("late")));
    OllamaClient client =
        client(
            new OllamaClientOptions().setMaxPoolSize(1).setFirstByteTimeout(Duration.ofMinutes(1)));
    try {
      Future<ChatResponse> stalled = client.chat(hi());
      server.awaitOpenConnections(1).await();
      LlmTimeoutException e =
          timesOut(
              client.with(Timeouts.none().withConnect(SHORT), Map.of()).version(),
              LlmTimeoutException.Phase.CONNECT,
              SHORT);
      assertTrue(e.getMessage().contains("connect"), e.getMessage());
      assertTrue(
          server.requests("/api/version").isEmpty(), "the second request never reached the server");
      assertFalse(stalled.isComplete(), "the stalled call is unaffected");
    } finally {
      client.close().await();
    }
  }

  @Test
  void perRequestOverrideViaWith() {
    // The head comes late enough that a 250 ms limit firing late on a loaded machine still fires
    // first.
    server.scriptAlways(
        "/api/chat",
        Script.create().delayHeaders(1_500).line(Chunks.chatFinal("ok", "stop", Chunks.metrics())));
    OllamaClient client = client(new OllamaClientOptions());
    try {
      timesOut(
          client.with(Timeouts.none().withFirstByte(SHORT), Map.of()).chat(hi()),
          LlmTimeoutException.Phase.FIRST_BYTE,
          SHORT);
      // the parent keeps its generous default
      ChatResponse ok = client.chat(hi()).await();
      assertTrue(ok.done());
      // and a view can lift a parent's short limit for one call
      OllamaClient strict = client(new OllamaClientOptions().setFirstByteTimeout(SHORT));
      try {
        timesOut(strict.chat(hi()), LlmTimeoutException.Phase.FIRST_BYTE, SHORT);
        assertTrue(
            strict
                .with(Timeouts.none().withFirstByte(Duration.ofSeconds(10)), null)
                .chat(hi())
                .await()
                .done());
      } finally {
        strict.close().await();
      }
    } finally {
      client.close().await();
    }
  }

  @Test
  void noTimerOutlivesASuccessfulCall() throws Exception {
    // Every limit is armed on a call that must succeed: 1 s, not 200 ms, so a slow machine cannot
    // make them fire during the call; the wait below still lasts three times the limit.
    Duration limit = Duration.ofSeconds(1);
    OllamaClient client =
        client(
            new OllamaClientOptions()
                .setConnectTimeout(limit)
                .setFirstByteTimeout(limit)
                .setIdleTimeout(limit)
                .setTotalTimeout(limit));
    try {
      assertTrue(client.chat(hi()).await().done());
      var stream = client.chatStream(hi());
      AtomicReference<Throwable> late = new AtomicReference<>();
      Promise<Void> ended = Promise.promise();
      stream.exceptionHandler(late::set).endHandler(ended::tryComplete).handler(c -> {});
      ended.future().await();
      assertEquals("Hello there friend", stream.result().await().message().content());
      Thread.sleep(3 * limit.toMillis());
      assertEquals(null, late.get(), "no failure after completion");
      assertEquals(0, server.clientClosedConnections(), "no timer reset a finished exchange");
      assertEquals(1, server.openConnections(), "the kept-alive connection is still pooled");
      client.version().await();
      assertEquals(1, server.openConnections(), "and reused");
      for (RecordedRequest r : server.requests()) {
        assertFalse(r.wasClosedByClient(), r.toString());
      }
    } finally {
      client.close().await();
    }
  }
}

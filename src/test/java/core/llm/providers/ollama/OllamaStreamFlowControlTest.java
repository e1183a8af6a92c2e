package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static core.llm.providers.ollama.OllamaStreamingTest.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CancelledException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Back-pressure, cancellation, stream timeouts and leaks. */
@Timeout(60)
class OllamaStreamFlowControlTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClientImpl client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(
        FakeModel.named("llama3.2")
            .capabilities("completion")
            .reply("one two three four five six seven eight nine ten"));
    client =
        (OllamaClientImpl)
            OllamaClient.create(
                vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()).setMaxPoolSize(16));
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

  private RecordedRequest lastChat() {
    return server.lastRequest("/api/chat");
  }

  private static void pauseFor(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void pausedConsumerOfAnEndlessStreamHoldsBoundedMemory() {
    server.script("/api/chat", Script.create().endless(() -> Chunks.chatChunk("token ")));
    var stream = client.chatStream(hi());
    AtomicInteger received = new AtomicInteger();
    Promise<Void> first = Promise.promise();
    stream.handler(
        chunk -> {
          received.incrementAndGet();
          stream.pause();
          first.tryComplete();
        });
    first.future().await();
    // The server's writes stop once the socket buffers are full, because the client stops reading.
    // If the client kept reading, the endless writer would never settle and this would time out.
    long written = awaitServerStopsWriting();
    assertTrue(written < 32 * 1024 * 1024, "bytes in flight: " + written);
    assertEquals(1, received.get());
    // fetch(1) delivers exactly one more chunk.
    Promise<Void> second = Promise.promise();
    stream.handler(
        chunk -> {
          received.incrementAndGet();
          second.tryComplete();
        });
    stream.fetch(1);
    second.future().await();
    pauseFor(100);
    assertEquals(2, received.get());
    stream.cancel().await();
    lastChat().closedByClient().await();
  }

  @Test
  void cancelBeforeTheFirstByteClosesTheConnection() {
    server.script(
        "/api/chat",
        Script.create()
            .delayHeaders(10_000)
            .line(Chunks.chatFinal("late", "stop", Chunks.metrics()))
            .end());
    var stream = client.chatStream(hi());
    List<ChatResponse> seen = new ArrayList<>();
    stream.handler(seen::add);
    server.awaitOpenConnections(1).await();
    // An open connection is not yet a request: cancel once the server has it, or lastChat() below
    // finds nothing (the fixed 100 ms pause used here could be too short on a loaded machine).
    server.awaitRequests("/api/chat", 1).await();
    stream.cancel().await();
    lastChat().closedByClient().await();
    assertInstanceOf(CancelledException.class, assertFails(stream.result()));
    assertTrue(seen.isEmpty());
    awaitNothingInFlight();
  }

  @Test
  void cancelMidStreamStopsDeliveryAndClosesTheConnection() {
    server.script("/api/chat", Script.create().endless(() -> Chunks.chatChunk("t")));
    var stream = client.chatStream(hi());
    AtomicInteger seen = new AtomicInteger();
    Promise<Void> cancelled = Promise.promise();
    stream.handler(
        chunk -> {
          if (seen.incrementAndGet() == 3) {
            stream.cancel().onComplete(ar -> cancelled.complete());
          }
        });
    cancelled.future().await();
    lastChat().closedByClient().await();
    pauseFor(100);
    assertEquals(3, seen.get(), "no chunk after cancel");
    assertInstanceOf(CancelledException.class, assertFails(stream.result()));
    awaitNothingInFlight();
  }

  @Test
  void idleTimeoutFiresWhenTheServerGoesSilentMidStream() {
    server.script(
        "/api/chat",
        Script.create()
            .line(Chunks.chatChunk("a"))
            .delay(10_000)
            .line(Chunks.chatFinal("", "stop", Chunks.metrics()))
            .end());
    var fast = client.with(Timeouts.none().withIdle(Duration.ofMillis(300)), null);
    long start = System.nanoTime();
    Throwable error = assertFails(collect(fast.chatStream(hi())));
    LlmTimeoutException timeout = assertInstanceOf(LlmTimeoutException.class, error);
    assertEquals(LlmTimeoutException.Phase.IDLE, timeout.phase());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
    lastChat().closedByClient().await();
    awaitNothingInFlight();
  }

  @Test
  void idleTimeoutDoesNotBlameTheServerWhileTheConsumerIsPaused() {
    var slowReader = client.with(Timeouts.none().withIdle(Duration.ofMillis(200)), null);
    var stream = slowReader.chatStream(hi());
    List<ChatResponse> seen = new ArrayList<>();
    stream.pause();
    stream.handler(seen::add);
    pauseFor(600);
    Promise<Void> end = Promise.promise();
    stream.endHandler(end::complete);
    stream.resume();
    end.future().await();
    assertTrue(seen.size() > 3);
  }

  @Test
  void totalTimeoutBoundsASlowStream() {
    client
        .chat(hi())
        .await(); // warm up: the limit must not run out before the request is even sent
    server.script("/api/chat", Script.create().endless(() -> Chunks.chatChunk("slow")));
    var bounded =
        client.with(
            Timeouts.none().withIdle(Duration.ofSeconds(30)).withTotal(Duration.ofMillis(800)),
            null);
    var stream = bounded.chatStream(hi());
    AtomicInteger seen = new AtomicInteger();
    Promise<Throwable> failure = Promise.promise();
    stream.exceptionHandler(failure::complete).handler(c -> seen.incrementAndGet());
    LlmTimeoutException timeout =
        assertInstanceOf(LlmTimeoutException.class, failure.future().await());
    assertEquals(LlmTimeoutException.Phase.TOTAL, timeout.phase());
    lastChat().closedByClient().await();
  }

  @Test
  void firstByteTimeoutOnAStreamClosesTheConnection() {
    server.script(
        "/api/chat",
        Script.create()
            .delayHeaders(10_000)
            .line(Chunks.chatFinal("late", "stop", Chunks.metrics()))
            .end());
    var impatient = client.with(Timeouts.none().withFirstByte(Duration.ofMillis(200)), null);
    Throwable error = assertFails(impatient.chatStream(hi()).result());
    assertEquals(
        LlmTimeoutException.Phase.FIRST_BYTE,
        assertInstanceOf(LlmTimeoutException.class, error).phase());
    lastChat().closedByClient().await();
  }

  @Test
  void aThousandStreamsWithRandomCancelsLeaveNothingInFlight() {
    Random random = new Random(42);
    int total = 1000;
    int batch = 50;
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger cancelled = new AtomicInteger();
    for (int start = 0; start < total; start += batch) {
      List<Future<?>> outcomes = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        int mode = random.nextInt(4);
        int cancelAt = 1 + random.nextInt(8);
        var stream = client.chatStream(hi());
        Promise<Void> settled = Promise.promise();
        switch (mode) {
          case 0 ->
              stream
                  .result()
                  .onComplete(
                      ar -> {
                        completed.incrementAndGet();
                        settled.complete();
                      });
          case 1 ->
              stream
                  .cancel()
                  .onComplete(
                      ar -> {
                        cancelled.incrementAndGet();
                        settled.complete();
                      });
          default -> {
            AtomicInteger n = new AtomicInteger();
            stream.endHandler(
                v -> {
                  completed.incrementAndGet();
                  settled.tryComplete();
                });
            stream.exceptionHandler(e -> settled.tryComplete());
            stream.handler(
                chunk -> {
                  if (mode == 2 && n.incrementAndGet() == cancelAt) {
                    stream
                        .cancel()
                        .onComplete(
                            ar -> {
                              cancelled.incrementAndGet();
                              settled.tryComplete();
                            });
                  }
                });
          }
        }
        outcomes.add(settled.future());
      }
      Future.all(outcomes).await();
    }
    awaitNothingInFlight();
    assertEquals(total, completed.get() + cancelled.get());
    assertTrue(completed.get() > 200 && cancelled.get() > 200, completed + " / " + cancelled);
    // The pool still works: every connection that is not in use can serve new requests.
    for (int i = 0; i < 20; i++) {
      assertEquals("stop", client.chat(hi()).await().doneReason());
    }
    assertTrue(server.openConnections() <= 16, "open connections: " + server.openConnections());
  }

  private long awaitServerStopsWriting() {
    long previous = -1;
    long current = lastChat().bytesWritten();
    while (current != previous) {
      pauseFor(400);
      previous = current;
      current = lastChat().bytesWritten();
    }
    return current;
  }

  private void awaitNothingInFlight() {
    long deadline = System.currentTimeMillis() + 5_000;
    while (client.transport().inFlight() != 0 && System.currentTimeMillis() < deadline) {
      pauseFor(10);
    }
    assertEquals(
        0, client.transport().inFlight(), "exchanges still holding a connection or timers");
  }
}

package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CancelledException;
import core.llm.common.CompletionRequest;
import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.base.StreamPiece;
import core.llm.providers.base.WireFormat;
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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relayed chat stream ({@code chatStreamWire}, {@link OllamaProvider#relayStream}): the
 * server's bytes handed on as they came, cut at line ends, with the failures, end rule,
 * back-pressure and cancellation of a decoded stream.
 */
@Timeout(30)
class OllamaWireStreamTest {
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
                vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()).setMaxLineSize(4096));
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

  /** The pieces a stream hands on, and how it ended. */
  private static final class Received {
    final List<Buffer> pieces = Collections.synchronizedList(new ArrayList<>());
    final Future<Void> done;

    Received(ResponseStream<Buffer, ?> stream) {
      Promise<Void> end = Promise.promise();
      done = end.future();
      stream.exceptionHandler(end::tryFail).endHandler(v -> end.tryComplete()).handler(pieces::add);
    }

    String text() {
      Buffer all = Buffer.buffer();
      synchronized (pieces) {
        pieces.forEach(all::appendBuffer);
      }
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  private static String lines(String... json) {
    return String.join("\n", json) + "\n";
  }

  @Test
  void theServersBytesArriveAsTheyWereWrittenCutOnlyAtLineEnds() {
    String a = Chunks.chatChunk("h\u00e9llo ");
    String b = Chunks.chatChunk("\ud83d\ude00 ");
    String last = Chunks.chatFinal("", "stop", Chunks.metrics());
    String body = lines(a, b, last);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    // writes cut inside the first line, inside the emoji, and inside the final line
    int[] cuts = {5, a.length() + 3, a.length() + 1 + b.length() - 20, bytes.length - 30};
    Script script = Script.create();
    int from = 0;
    for (int cut : cuts) {
      script.raw(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, cut))).delay(15);
      from = cut;
    }
    server.script(
        "/api/chat",
        script.raw(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, bytes.length))).end());

    ResponseStream<Buffer, ChatResponse> stream = client.chatStreamWire(hi());
    Received got = new Received(stream);
    got.done.await();
    ChatResponse result = stream.result().await();

    assertEquals(body, got.text(), "byte for byte");
    for (Buffer piece : got.pieces) {
      assertEquals('\n', piece.getByte(piece.length() - 1), "a piece ends at a line end");
    }
    assertEquals(Boolean.TRUE, result.done());
    assertEquals(3, result.evalCount());
    assertEquals("stop", result.doneReason());
  }

  @Test
  void anErrorLineFailsTypedAndIsNotPassedOn() {
    String a = Chunks.chatChunk("one ");
    String b = Chunks.chatChunk("two ");
    server.script("/api/chat", Script.lines(a, b, Chunks.errorLine("CUDA error: out of memory")));
    ResponseStream<Buffer, ChatResponse> stream = client.chatStreamWire(hi());
    Received got = new Received(stream);
    Throwable e = assertFails(got.done);
    assertInstanceOf(LlmException.class, e);
    assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
    assertEquals(lines(a, b), got.text(), "the lines before the error, not the error line");
    assertInstanceOf(LlmException.class, assertFails(stream.result()));
  }

  @Test
  void aBodyThatEndsWithoutTheDoneLineIsIncomplete() {
    String a = Chunks.chatChunk("one ");
    server.script("/api/chat", Script.create().line(a).end());
    ResponseStream<Buffer, ChatResponse> stream = client.chatStreamWire(hi());
    Received got = new Received(stream);
    assertInstanceOf(IncompleteStreamException.class, assertFails(got.done));
    assertEquals(lines(a), got.text());
  }

  @Test
  void aCutConnectionFailsTheStream() {
    String a = Chunks.chatChunk("one ");
    server.script("/api/chat", Script.create().line(a).delay(20).cut());
    Received got = new Received(client.chatStreamWire(hi()));
    assertInstanceOf(IncompleteStreamException.class, assertFails(got.done));
    assertEquals(lines(a), got.text());
  }

  @Test
  void aGarbageLineFailsWithTheLineQuotedAndIsNotPassedOn() {
    String a = Chunks.chatChunk("one ");
    server.script("/api/chat", Script.lines(a, "<html>502 Bad Gateway</html>"));
    Received got = new Received(client.chatStreamWire(hi()));
    Throwable e = assertFails(got.done);
    assertInstanceOf(InvalidResponseException.class, e);
    assertTrue(e.getMessage().contains("502 Bad Gateway"), e.getMessage());
    assertEquals(lines(a), got.text());
  }

  @Test
  void aLineLongerThanTheLimitFailsBeforeItIsHeld() {
    String a = Chunks.chatChunk("one ");
    server.script("/api/chat", Script.create().line(a).raw("{\"x\":\"" + "y".repeat(10_000)));
    Received got = new Received(client.chatStreamWire(hi()));
    Throwable e = assertFails(got.done);
    assertInstanceOf(InvalidResponseException.class, e);
    assertTrue(e.getMessage().contains("longer than 4096"), e.getMessage());
    assertEquals(0, client.transport().bufferedBytes(), "nothing held after the failure");
  }

  @Test
  void nothingAfterTheDoneLineIsPassedOn() {
    String a = Chunks.chatChunk("one ");
    String last = Chunks.chatFinal("", "stop", Chunks.metrics());
    server.script("/api/chat", Script.create().raw(lines(a, last, Chunks.chatChunk("x"))).end());
    Received got = new Received(client.chatStreamWire(hi()));
    got.done.await();
    assertEquals(lines(a, last), got.text());
  }

  @Test
  void aDoneLineWithoutANewlineEndsTheStream() {
    String a = Chunks.chatChunk("one ");
    String last = Chunks.chatFinal("", "stop", Chunks.metrics());
    server.script("/api/chat", Script.create().line(a).delay(15).raw(last).end());
    ResponseStream<Buffer, ChatResponse> stream = client.chatStreamWire(hi());
    Received got = new Received(stream);
    got.done.await();
    assertEquals(a + "\n" + last, got.text());
    assertEquals(Boolean.TRUE, stream.result().await().done());
  }

  @Test
  void aNestedDoneKeyInToolArgumentsDoesNotEndTheStream() {
    JsonObject call =
        new JsonObject()
            .put(
                "function",
                new JsonObject()
                    .put("name", "finish")
                    .put("arguments", new JsonObject().put("done", true)));
    JsonObject chunk = new JsonObject(Chunks.chatChunk(""));
    chunk.getJsonObject("message").put("tool_calls", new JsonArray().add(call));
    // Ollama's field order: the message (and its tool calls) before the top-level done
    String tools = chunk.encode();
    assertTrue(tools.indexOf("\"done\":true") < tools.lastIndexOf("\"done\":false"), tools);
    String last = Chunks.chatFinal("", "stop", Chunks.metrics());
    server.script("/api/chat", Script.lines(tools, last));
    ResponseStream<Buffer, ChatResponse> stream = client.chatStreamWire(hi());
    Received got = new Received(stream);
    got.done.await();
    assertEquals(lines(tools, last), got.text());
    assertEquals(3, stream.result().await().evalCount(), "the result is the real final line");
  }

  @Test
  void aPausedConsumerStopsTheReadingAndFetchHandsOnOnePieceMore() {
    server.script("/api/chat", Script.create().endless(() -> Chunks.chatChunk("token ")));
    ResponseStream<Buffer, ChatResponse> stream = client.chatStreamWire(hi());
    AtomicInteger received = new AtomicInteger();
    Promise<Void> first = Promise.promise();
    stream.handler(
        piece -> {
          received.incrementAndGet();
          stream.pause();
          first.tryComplete();
        });
    first.future().await();
    long written = awaitServerStopsWriting();
    assertTrue(written < 32 * 1024 * 1024, "bytes in flight: " + written);
    assertEquals(1, received.get());
    Promise<Void> second = Promise.promise();
    stream.handler(
        piece -> {
          received.incrementAndGet();
          second.tryComplete();
        });
    stream.fetch(1);
    second.future().await();
    assertEquals(2, received.get());
    stream.cancel().await();
    lastChat().closedByClient().await();
    assertInstanceOf(CancelledException.class, assertFails(stream.result()));
    awaitNothingInFlight();
  }

  @Test
  void theProviderRelaysTheServersLinesAndReportsTheFinalLinesUsage() {
    OllamaProvider provider = new OllamaProvider("local", client);
    String a = Chunks.chatChunk("one ");
    String last = Chunks.chatFinal("", "stop", Chunks.metrics());
    server.script("/api/chat", Script.lines(a, last));
    var stream =
        provider.relayStream(
            CompletionRequest.builder("llama3.2").user("hi").build(), WireFormat.OLLAMA_CHAT);
    List<StreamPiece> pieces = Collections.synchronizedList(new ArrayList<>());
    Promise<Void> end = Promise.promise();
    stream.exceptionHandler(end::tryFail).endHandler(v -> end.tryComplete()).handler(pieces::add);
    end.future().await();
    Buffer all = Buffer.buffer();
    for (StreamPiece p : pieces) {
      all.appendBuffer(assertInstanceOf(StreamPiece.Wire.class, p).bytes());
    }
    assertEquals(lines(a, last), all.toString(StandardCharsets.UTF_8));
    var result = stream.result().await();
    assertEquals("local", result.provider());
    assertEquals(3, result.usage().completionTokens());
    assertEquals(12, result.usage().promptTokens());
  }

  private RecordedRequest lastChat() {
    return server.lastRequest("/api/chat");
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
    assertEquals(0, client.transport().inFlight());
    assertEquals(0, client.transport().bufferedBytes());
  }

  private static void pauseFor(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

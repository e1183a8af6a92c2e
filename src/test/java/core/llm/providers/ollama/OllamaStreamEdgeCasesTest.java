package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static core.llm.providers.ollama.OllamaStreamingTest.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.ModelNotFoundException;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.PullRequest;
import core.llm.providers.ollama.models.Tool;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** NDJSON framing and stream-shape rules (§3.2.1, §6.3, §7 of the API reference). */
@Timeout(20)
class OllamaStreamEdgeCasesTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(
        FakeModel.named("llama3.2").capabilities("completion", "tools").reply("Hello there"));
    client =
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

  @Test
  void linesAndUtf8CharactersSplitAcrossWritesAreReassembled() {
    String text = "h\u00e9llo \ud83d\ude00 \u4e16\u754c";
    byte[] line = (Chunks.chatChunk(text) + "\n").getBytes(StandardCharsets.UTF_8);
    int emoji = new String(line, StandardCharsets.UTF_8).indexOf('\ud83d');
    int splitInsideEmoji =
        new String(line, StandardCharsets.UTF_8)
                .substring(0, emoji)
                .getBytes(StandardCharsets.UTF_8)
                .length
            + 2;
    Script script =
        Script.create()
            .raw(Buffer.buffer(java.util.Arrays.copyOfRange(line, 0, 7)))
            .delay(20)
            .raw(Buffer.buffer(java.util.Arrays.copyOfRange(line, 7, splitInsideEmoji)))
            .delay(20)
            .raw(Buffer.buffer(java.util.Arrays.copyOfRange(line, splitInsideEmoji, line.length)))
            .line(Chunks.chatFinal("!", "stop", Chunks.metrics()))
            .end();
    server.script("/api/chat", script);
    var stream = client.chatStream(hi());
    List<ChatResponse> chunks = collect(stream).await();
    assertEquals(text, chunks.get(0).message().content());
    assertEquals(text + "!", stream.result().await().message().content());
  }

  @Test
  void lastLineWithoutNewlineCountsAndBlankLinesAndCrlfAreSkipped() {
    server.script(
        "/api/chat",
        Script.create()
            .raw("\n\r\n" + Chunks.chatChunk("a") + "\r\n\n   \n")
            .raw(Chunks.chatFinal("b", "stop", Chunks.metrics()))
            .end());
    var stream = client.chatStream(hi());
    assertEquals(2, collect(stream).await().size());
    assertEquals("ab", stream.result().await().message().content());
  }

  @Test
  void overLongLineFailsInsteadOfFillingMemory() {
    String huge = Chunks.chatChunk("x".repeat(10_000));
    server.script(
        "/api/chat",
        Script.create()
            .line(Chunks.chatChunk("ok"))
            .line(huge)
            .line(Chunks.chatFinal("", "stop", Chunks.metrics()))
            .end());
    Throwable error = assertFails(collect(client.chatStream(hi())));
    assertInstanceOf(InvalidResponseException.class, error);
    assertTrue(error.getMessage().contains("longer than 4096"), error.getMessage());
  }

  @Test
  void truncatedLastLineIsAnIncompleteStreamWithItsPartialResult() {
    String last = Chunks.chatChunk("never");
    server.script(
        "/api/chat",
        Script.create()
            .line(Chunks.chatChunk("Hel"))
            .line(Chunks.chatChunk("lo"))
            .raw(last.substring(0, last.length() / 2))
            .end());
    var stream = client.chatStream(hi());
    Throwable error = assertFails(collect(stream));
    IncompleteStreamException incomplete = assertInstanceOf(IncompleteStreamException.class, error);
    assertEquals(2, incomplete.chunkCount());
    assertEquals(
        "Hello", ((ChatResponse) incomplete.partialResult().orElseThrow()).message().content());
    assertTrue(incomplete.getMessage().contains("middle of a line"), incomplete.getMessage());
    assertInstanceOf(IncompleteStreamException.class, assertFails(stream.result()));
  }

  @Test
  void anythingAfterTheFinalChunkIsIgnored() {
    server.script(
        "/api/chat",
        Script.create()
            .line(Chunks.chatFinal("done", "stop", Chunks.metrics()))
            .line("this is not json")
            .line(Chunks.errorLine("late error"))
            .end());
    var stream = client.chatStream(hi());
    assertEquals(1, collect(stream).await().size());
    assertEquals("done", stream.result().await().message().content());
  }

  @Test
  void toolCallsOnlyOnTheFinalChunkAreGathered() {
    server.addModel(
        FakeModel.named("tooly")
            .capabilities("completion", "tools")
            .reply("")
            .toolCall("get_weather", new JsonObject().put("city", "Paris"))
            .toolCallsOnFinal(true));
    Tool tool =
        Tool.function(
            "get_weather",
            "Weather",
            new ObjectMapper()
                .createObjectNode()
                .put("type", "object")
                .set("properties", new ObjectMapper().createObjectNode()));
    var stream =
        client.chatStream(
            ChatRequest.builder("tooly").message(Message.user("weather?")).tool(tool).build());
    List<ChatResponse> chunks = collect(stream).await();
    assertTrue(chunks.get(chunks.size() - 1).message().toolCalls() != null);
    var calls = stream.result().await().message().toolCalls();
    assertEquals(1, calls.size());
    assertEquals("get_weather", calls.get(0).function().name());
    assertEquals(Map.of("city", "Paris"), calls.get(0).function().arguments());
  }

  @Test
  void thinkingOnlyChunksAreConcatenatedApartFromContent() {
    server.script(
        "/api/chat",
        Script.create()
            .line(Chunks.chatThinkingChunk("Let me "))
            .line(Chunks.chatThinkingChunk("think."))
            .line(Chunks.chatChunk("Answer"))
            .line(Chunks.chatFinal("", "stop", Chunks.metrics()))
            .end());
    var stream = client.chatStream(hi());
    collect(stream).await();
    ChatResponse result = stream.result().await();
    assertEquals("Let me think.", result.message().thinking());
    assertEquals("Answer", result.message().content());
  }

  @Test
  void singleJsonObjectReplyToAStreamedLoadIsTheFinalChunk() {
    var stream = client.chatStream(ChatRequest.builder("llama3.2").messages(List.of()).build());
    List<ChatResponse> chunks = collect(stream).await();
    assertEquals(1, chunks.size());
    assertEquals("load", stream.result().await().doneReason());
  }

  @Test
  void errorBeforeTheFirstByteFailsWithItsStatus() {
    var stream =
        client.chatStream(ChatRequest.builder("missing").message(Message.user("hi")).build());
    Throwable error = assertFails(stream.result());
    ModelNotFoundException notFound = assertInstanceOf(ModelNotFoundException.class, error);
    assertEquals(404, notFound.status());
  }

  @Test
  void pullStreamSumsProgressPerLayerAndEndsAtSuccess() {
    server.publish(FakeModel.named("gemma3:1b"));
    var stream = client.pullStream(PullRequest.of("gemma3:1b"));
    var lines = collect(stream).await();
    ProgressSummary summary = stream.result().await();
    assertEquals("success", summary.status());
    assertEquals(lines.size(), summary.lines());
    assertTrue(summary.layers().size() >= 1);
    summary
        .layers()
        .forEach(
            (digest, layer) -> {
              assertTrue(digest.startsWith("sha256:"));
              assertEquals(layer.total(), layer.completed());
            });
    assertEquals(1.0, summary.fraction());
  }

  @Test
  void pullOfAnUnknownModelFailsOnTheErrorLineDespiteStatus200() {
    var stream = client.pullStream(PullRequest.of("no-such-model"));
    List<Object> seen = new CopyOnWriteArrayList<>();
    Promise<Throwable> failure = Promise.promise();
    stream.exceptionHandler(failure::complete).handler(seen::add);
    assertInstanceOf(ModelNotFoundException.class, failure.future().await());
    assertEquals(1, seen.size(), "the 'pulling manifest' line is delivered before the error");
  }

  @Test
  void handlersRunOnTheCallersContext() {
    var context = vertx.getOrCreateContext();
    List<String> threads = new CopyOnWriteArrayList<>();
    Promise<String> callerThread = Promise.promise();
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          callerThread.complete(Thread.currentThread().getName());
          client
              .chatStream(hi())
              .endHandler(e -> done.complete())
              .handler(c -> threads.add(Thread.currentThread().getName()));
        });
    done.future().await();
    String expected = callerThread.future().await();
    assertTrue(threads.size() >= 2);
    threads.forEach(t -> assertEquals(expected, t));
  }

  @Test
  void nonStreamedChatSendsStreamFalse() {
    ChatResponse reply = client.chat(hi()).await();
    assertEquals("Hello there", reply.message().content());
    assertEquals(Boolean.FALSE, server.lastRequest("/api/chat").json().getBoolean("stream"));
    assertNull(reply.message().toolCalls());
  }
}

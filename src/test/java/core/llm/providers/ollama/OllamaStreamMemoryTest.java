package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static core.llm.providers.ollama.OllamaStreamingTest.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.InvalidResponseException;
import core.llm.common.OverloadedException;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Message;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a client buffers is bounded per result and in total, and returns to zero. */
@Timeout(30)
class OllamaStreamMemoryTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClientImpl client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("llama3.2").capabilities("completion").reply("one two three"));
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close().await();
    }
    server.close().await();
    vertx.close().await();
  }

  private OllamaClientImpl client(OllamaClientOptions options) {
    client = (OllamaClientImpl) OllamaClient.create(vertx, options.setBaseUrl(server.baseUrl()));
    return client;
  }

  private static ChatRequest hi() {
    return ChatRequest.builder("llama3.2").message(Message.user("hi")).build();
  }

  /** 100 lines of 100 characters of content each, then the final line: about 16 KiB on the wire. */
  private static Script longReply() {
    Script script = Script.create();
    for (int i = 0; i < 100; i++) {
      script.line(Chunks.chatChunk("x".repeat(100)));
    }
    return script.line(Chunks.chatFinal("", "stop", Chunks.metrics())).end();
  }

  private void awaitBuffered(LongPredicate condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.test(client.transport().bufferedBytes())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("buffered bytes stayed at " + client.transport().bufferedBytes());
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aStreamedResultLargerThanTheCapFailsTyped() throws Exception {
    client(new OllamaClientOptions().setMaxResultSize(8 * 1024));
    server.script("/api/chat", longReply());
    Throwable error = assertFails(collect(client.chatStream(hi())));
    assertInstanceOf(InvalidResponseException.class, error);
    assertTrue(error.getMessage().contains("maxResultSize"), error.getMessage());
    awaitBuffered(b -> b == 0);
    assertEquals(0, client.transport().inFlight());
  }

  @Test
  void theSameReplyUnderTheCapIsFineAndReleasesItsBytes() throws Exception {
    client(new OllamaClientOptions().setMaxResultSize(64 * 1024));
    server.script("/api/chat", longReply());
    var stream = client.chatStream(hi());
    collect(stream).await();
    assertEquals(10_000, stream.result().await().message().content().length());
    awaitBuffered(b -> b == 0);
  }

  @Test
  void theNeutralChatBuiltOnTheStreamRespectsTheCap() {
    client(new OllamaClientOptions().setMaxResultSize(8 * 1024));
    server.script("/api/chat", longReply());
    OllamaProvider provider = new OllamaProvider("local", client);
    Throwable error =
        assertFails(provider.chat(CompletionRequest.builder("llama3.2").user("hi").build()));
    assertInstanceOf(InvalidResponseException.class, error);
  }

  @Test
  void linesBeingFramedCountAgainstTheClientsBudget() throws Exception {
    // Lines of up to 1 MiB are allowed, but the client holds at most 250 KiB in all.
    client(new OllamaClientOptions().setMaxLineSize(1024 * 1024).setMaxBufferedBytes(250 * 1024));
    Script partial40k =
        Script.create().raw("{\"content\":\"" + "y".repeat(40 * 1024)).delay(60_000).end();
    server.script("/api/chat", partial40k);
    ResponseStream<ChatResponse, ChatResponse> a = client.chatStream(hi());
    var aDone = collect(a);
    awaitBuffered(b -> b >= 40 * 1024);
    server.script("/api/chat", partial40k);
    ResponseStream<ChatResponse, ChatResponse> b = client.chatStream(hi());
    var bDone = collect(b);
    awaitBuffered(n -> n >= 80 * 1024);
    long before = client.transport().bufferedBytes();
    // The third pushes the total over the budget: it fails, the two others go on.
    server.script(
        "/api/chat",
        Script.create().raw("{\"content\":\"" + "z".repeat(200 * 1024)).delay(60_000).end());
    Throwable error = assertFails(collect(client.chatStream(hi())));
    OverloadedException overloaded = assertInstanceOf(OverloadedException.class, error);
    assertTrue(overloaded.getMessage().contains("maxBufferedBytes"), overloaded.getMessage());
    awaitBuffered(n -> n == before);
    assertTrue(!aDone.isComplete() && !bDone.isComplete(), "the streams within the budget go on");
    a.cancel().await();
    b.cancel().await();
    awaitBuffered(n -> n == 0);
  }
}

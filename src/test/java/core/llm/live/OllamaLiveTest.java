package core.llm.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ModelNotFoundException;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.Options;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against a real Ollama server: runs only when {@code OLLAMA_LIVE_URL} is set (for example {@code
 * http://127.0.0.1:11434}); skipped otherwise. The chat model is {@code OLLAMA_LIVE_MODEL} (default
 * {@code llama3.2:1b}) and the embedding model {@code OLLAMA_LIVE_EMBED_MODEL} (default {@code
 * nomic-embed-text}); both must be pulled already.
 */
@EnabledIfEnvironmentVariable(named = "OLLAMA_LIVE_URL", matches = ".+")
@Timeout(600)
class OllamaLiveTest {
  private static Vertx vertx;
  private static OllamaClient client;
  private static final String MODEL = env("OLLAMA_LIVE_MODEL", "llama3.2:1b");
  private static final String EMBED = env("OLLAMA_LIVE_EMBED_MODEL", "nomic-embed-text");

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    client =
        OllamaClient.create(
            vertx, new OllamaClientOptions().setBaseUrl(System.getenv("OLLAMA_LIVE_URL")));
  }

  @AfterAll
  static void close() {
    client.close().await();
    vertx.close().await();
  }

  @Test
  void versionAndListAnswer() {
    assertFalse(client.version().await().version().isBlank());
    assertNotNull(client.list().await().models());
  }

  @Test
  void streamedChatEndsWithDoneAndMetrics() {
    ChatRequest request =
        ChatRequest.builder(MODEL)
            .message(Message.user("Say hello in three words."))
            .options(Options.builder().numPredict(32).temperature(0.0).build())
            .build();
    var stream = client.chatStream(request);
    List<ChatResponse> chunks = new ArrayList<>();
    stream.handler(chunks::add);
    ChatResponse result = stream.result().await();
    assertTrue(result.done());
    assertFalse(result.message().content().isBlank());
    assertTrue(chunks.size() > 1);
  }

  @Test
  void loadAndUnloadAreConfirmed() {
    var loaded =
        client.chatStream(ChatRequest.builder(MODEL).messages(List.of()).build()).result().await();
    assertEquals("load", loaded.doneReason());
    var unloaded =
        client
            .chatStream(
                ChatRequest.builder(MODEL).messages(List.of()).keepAlive(KeepAlive.UNLOAD).build())
            .result()
            .await();
    assertEquals("unload", unloaded.doneReason());
  }

  @Test
  void embedReturnsNormalisedVectors() {
    var reply = client.embed(EmbedRequest.builder(EMBED).input(List.of("a", "b")).build()).await();
    assertEquals(2, reply.embeddings().length);
    double norm = 0;
    for (float v : reply.embeddings()[0]) {
      norm += v * v;
    }
    assertEquals(1.0, Math.sqrt(norm), 0.01);
  }

  @Test
  void unknownModelIsTyped() {
    try {
      client
          .chat(ChatRequest.builder("no-such-model-xyz").message(Message.user("hi")).build())
          .await();
    } catch (Exception e) {
      assertInstanceOf(ModelNotFoundException.class, e);
      return;
    }
    throw new AssertionError("expected ModelNotFoundException");
  }
}

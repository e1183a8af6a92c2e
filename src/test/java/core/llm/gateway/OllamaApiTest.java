package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ModelNotFoundException;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.EmbedInput;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.EmbedResponse;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.GenerateResponse;
import core.llm.providers.ollama.models.ListResponse;
import core.llm.providers.ollama.models.Message;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's Ollama API, driven by this library's own {@code OllamaClient} (and a raw socket for
 * the disconnect), over a fake Ollama back end.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OllamaApiTest {
  @TempDir Path dir;
  GatewayFixture fx;
  OllamaClient client;

  @BeforeEach
  void start() throws Exception {
    fx = GatewayFixture.oneOllama(dir);
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("Hello there, friend"));
    fx.ollama().addModel(FakeModel.embedding("nomic-embed-text").embeddingLength(8));
    client = OllamaClient.create(fx.vertx, new OllamaClientOptions().setBaseUrl(fx.baseUrl()));
  }

  @AfterEach
  void stop() throws Exception {
    client.close().await();
    fx.close();
  }

  private static ChatRequest hello(boolean stream) {
    return ChatRequest.builder("llama3.2").message(Message.user("hi")).stream(stream).build();
  }

  @Test
  void streamedChatArrivesChunkByChunkWithADoneLine() {
    List<ChatResponse> chunks = new ArrayList<>();
    var stream = client.chatStream(hello(true));
    stream.handler(chunks::add);
    ChatResponse last = stream.result().await();
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.message() == null ? "" : c.message().content()));
    assertEquals("Hello there, friend", text.toString());
    assertTrue(chunks.size() > 2, "one line per chunk, not one blob: " + chunks.size());
    assertEquals(Boolean.TRUE, last.done());
    assertEquals("stop", last.doneReason());
    assertNotNull(last.evalCount(), "the done line carries the metrics");
    assertEquals("llama3.2", last.model());
  }

  @Test
  void wholeChatAndGenerate() {
    ChatResponse r = client.chat(hello(false)).await();
    assertEquals("Hello there, friend", r.message().content());
    assertEquals(Boolean.TRUE, r.done());
    GenerateResponse g =
        client
            .generate(GenerateRequest.builder("llama3.2").prompt("hi").stream(false).build())
            .await();
    assertEquals("Hello there, friend", g.response());
  }

  @Test
  void ollamaOptionsReachTheBackEndUnderTheirWireNames() {
    client
        .chat(
            ChatRequest.builder("llama3.2").message(Message.user("hi")).stream(false)
                .options(
                    core.llm.providers.ollama.models.Options.builder()
                        .temperature(0.2)
                        .extra("num_ctx", 8192)
                        .extra("top_k", 7)
                        .build())
                .build())
        .await();
    JsonObject sent = fx.ollama().lastRequest("/api/chat").json();
    JsonObject options = sent.getJsonObject("options");
    assertEquals(8192, options.getInteger("num_ctx"));
    assertEquals(7, options.getInteger("top_k"));
    assertEquals(0.2, options.getDouble("temperature"), 1e-9);
  }

  @Test
  void generateRefusesWhatTheNeutralPathCannotCarry() {
    var e =
        assertThrows(
            RuntimeException.class,
            () ->
                client
                    .generate(
                        GenerateRequest.builder("llama3.2").prompt("hi").raw(true).stream(false)
                            .build())
                    .await());
    assertTrue(e.getMessage().contains("raw"), e.getMessage());
    assertTrue(fx.ollama().requests("/api/chat").isEmpty(), "nothing was sent upstream");
  }

  @Test
  void unknownModelIsOllamasNotFound() {
    var e =
        assertThrows(
            ModelNotFoundException.class,
            () ->
                client
                    .chat(ChatRequest.builder("nope").message(Message.user("hi")).build())
                    .await());
    assertEquals(404, e.status());
  }

  @Test
  void embedAndTags() {
    EmbedResponse e =
        client
            .embed(
                new EmbedRequest(
                    "nomic-embed-text",
                    new EmbedInput.Batch(List.of("a", "b")),
                    null,
                    null,
                    null,
                    null,
                    null))
            .await();
    assertEquals(2, e.embeddings().length);
    assertEquals(8, e.embeddings()[0].length);
    ListResponse tags = client.list().await();
    assertTrue(
        tags.models().stream().anyMatch(m -> m.name().startsWith("llama3.2")),
        tags.models().toString());
    assertEquals("ollama", tags.models().get(0).extra().get("provider"));
  }

  @Test
  void aClientThatGoesAwayCancelsTheBackEndRequest() throws Exception {
    fx.ollama()
        .addModel(
            FakeModel.named("slow")
                .reply("one two three four five six seven eight")
                .tokenDelayMs(200));
    try (Socket s = new Socket("127.0.0.1", fx.gateway.port())) {
      String body = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("HTTP/1.1 200 OK", in.readLine());
      String line;
      while ((line = in.readLine()) != null && !line.contains("\"content\"")) {
        // headers and the chunk size line, up to the first NDJSON line
      }
      assertNotNull(line, "a first chunk arrived");
      assertFalse(line.contains("\"done\":true"));
    }
    // the socket is closed: the gateway must close its upstream connection, long before the
    // remaining seven tokens (1.4 s) would have been generated
    fx.ollama()
        .awaitClientClose()
        .toCompletionStage()
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    assertEquals(0, waitForNoRunning());
  }

  private int waitForNoRunning() throws InterruptedException {
    GatewayImpl g = (GatewayImpl) fx.gateway;
    for (int i = 0; i < 100 && g.runningForTest() > 0; i++) {
      Thread.sleep(10);
    }
    return g.runningForTest();
  }

  @Test
  void managementIsForwardedToTheModelsOllamaHost() {
    var shown = client.show("llama3.2").await();
    assertNotNull(shown.details(), "the host's own /api/show answer");
    fx.ollama().publish(FakeModel.named("qwen3:0.6b").reply("hi"));
    List<String> statuses = new ArrayList<>();
    var pull = client.pullStream(core.llm.providers.ollama.models.PullRequest.of("qwen3:0.6b"));
    pull.handler(p -> statuses.add(p.status()));
    pull.result().await();
    assertTrue(statuses.size() > 2, "progress streamed through: " + statuses);
    assertEquals("success", statuses.get(statuses.size() - 1));
    assertEquals(1, fx.ollama().requests("/api/pull").size());
    var missing = assertThrows(ModelNotFoundException.class, () -> client.show("nope").await());
    assertEquals(404, missing.status());
  }

  @Test
  void forwardedManagementCarriesTheProvidersHeadersAndCredentials() throws Exception {
    try (GatewayFixture g =
        GatewayFixture.start(
            java.nio.file.Files.createTempDirectory(dir, "creds"),
            1,
            """
            providers:
              - name: guarded
                type: ollama
                baseUrl: ${ollama0}
                http:
                  headers: {X-Team: search}
                  headersEnv: {X-Gateway-Token: GATEWAY_TOKEN}
            """,
            java.util.Map.of("GATEWAY_TOKEN", "tok-123"))) {
      g.ollama().addModel(FakeModel.named("llama3.2").reply("hi"));
      OllamaClient c =
          OllamaClient.create(fx.vertx, new OllamaClientOptions().setBaseUrl(g.baseUrl()));
      c.show("llama3.2").await();
      var shown = g.ollama().lastRequest("/api/show");
      assertEquals("search", shown.header("X-Team"));
      assertEquals("tok-123", shown.header("X-Gateway-Token"), "from the environment variable");
      assertTrue(shown.header("User-Agent").startsWith("core-llm"), shown.header("User-Agent"));
      // the same headers as the provider's own calls
      c.chat(
              core.llm.providers.ollama.models.ChatRequest.builder("llama3.2")
                  .message(core.llm.providers.ollama.models.Message.user("hi"))
                  .build())
          .await();
      assertEquals(
          g.ollama().lastRequest("/api/chat").header("X-Gateway-Token"),
          shown.header("X-Gateway-Token"));
    }
  }

  @Test
  void rootAndVersionAnswerAsOllamaDoes() {
    assertInstanceOf(String.class, client.version().await().version());
  }
}

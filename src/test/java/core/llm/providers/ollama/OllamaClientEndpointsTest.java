package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.ErrorKind;
import core.llm.common.UnauthorizedException;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.RecordedRequest;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.CopyRequest;
import core.llm.providers.ollama.models.CreateRequest;
import core.llm.providers.ollama.models.DeleteRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.EmbedResponse;
import core.llm.providers.ollama.models.EmbeddingsRequest;
import core.llm.providers.ollama.models.EmbeddingsResponse;
import core.llm.providers.ollama.models.Format;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.GenerateResponse;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.ollama.models.ListResponse;
import core.llm.providers.ollama.models.MeResponse;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.MessageToolCall;
import core.llm.providers.ollama.models.ProcessModel;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.ollama.models.PullRequest;
import core.llm.providers.ollama.models.PushRequest;
import core.llm.providers.ollama.models.ShowResponse;
import core.llm.providers.ollama.models.Think;
import core.llm.providers.ollama.models.Tool;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every non-streaming endpoint once against the fake server: what the client SENT (recorded method,
 * path, body) and what it PARSED. Also the union types in both directions and headers.
 */
@Timeout(20)
class OllamaClientEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(
        FakeModel.named("llama3.2")
            .capabilities("completion", "tools", "thinking")
            .reply("Hello there friend")
            .thinking("Let me think")
            .toolCall("get_weather", new JsonObject().put("city", "Paris").put("days", 3)));
    server.addModel(FakeModel.embedding("all-minilm").embeddingLength(8));
    client = OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
    vertx.close().await();
  }

  private static ChatRequest.Builder chat() {
    return ChatRequest.builder("llama3.2").message(Message.user("hi"));
  }

  /** The body must name the model with {@code model}, never the deprecated {@code name}. */
  private static void assertModelField(RecordedRequest r, String model) {
    JsonObject body = r.json();
    assertEquals(model, body.getString("model"), r.toString());
    assertFalse(body.containsKey("name"), "deprecated 'name' sent: " + r);
  }

  // ---- generation ----

  @Test
  void generateSendsStreamFalseAndParsesTheWholeReply() {
    GenerateResponse r =
        client
            .generate(GenerateRequest.builder("llama3.2").prompt("hi").think(false).build())
            .await();
    RecordedRequest rec = server.lastRequest("/api/generate");
    assertEquals("POST", rec.method());
    assertModelField(rec, "llama3.2");
    assertEquals(Boolean.FALSE, rec.json().getBoolean("stream"));
    assertEquals("hi", rec.json().getString("prompt"));
    assertTrue(
        rec.header("Content-Type").startsWith("application/json"), rec.header("Content-Type"));
    assertEquals("Hello there friend", r.response());
    assertTrue(r.done());
    assertEquals("stop", r.doneReason());
    assertEquals("llama3.2", r.model());
  }

  @Test
  void chatWithToolsParsesToolCallsWithIdIndexAndArgumentMap() {
    Tool weather =
        Tool.function(
            "get_weather",
            "Weather for a city",
            JSON.createObjectNode()
                .put("type", "object")
                .set(
                    "properties",
                    JSON.createObjectNode()
                        .set("city", JSON.createObjectNode().put("type", "string"))));
    ChatResponse r = client.chat(chat().tool(weather).think(false).build()).await();
    RecordedRequest rec = server.lastRequest("/api/chat");
    assertEquals("POST", rec.method());
    assertModelField(rec, "llama3.2");
    assertEquals(Boolean.FALSE, rec.json().getBoolean("stream"));
    JsonObject sentTool = rec.json().getJsonArray("tools").getJsonObject(0);
    assertEquals("function", sentTool.getString("type"));
    assertEquals("get_weather", sentTool.getJsonObject("function").getString("name"));

    assertEquals("assistant", r.message().role());
    assertEquals("Hello there friend", r.message().content());
    assertNotNull(r.message().toolCalls(), "tool_calls parsed");
    assertEquals(1, r.message().toolCalls().size());
    MessageToolCall call = r.message().toolCalls().get(0);
    assertNotNull(call.id());
    assertTrue(call.id().startsWith("call_"), call.id());
    assertEquals(0, call.function().index());
    assertEquals("get_weather", call.function().name());
    assertEquals("Paris", call.function().arguments().get("city"));
    assertEquals(3, ((Number) call.function().arguments().get("days")).intValue());
  }

  @Test
  void chatParsesThinking() {
    ChatResponse r = client.chat(chat().think(true).build()).await();
    assertEquals(Boolean.TRUE, server.lastRequest("/api/chat").json().getValue("think"));
    assertEquals("Let me think", r.message().thinking());
  }

  @Test
  void embedWithStringAndListInputsAndDimensions() {
    EmbedResponse one =
        client.embed(EmbedRequest.builder("all-minilm").input("hello").build()).await();
    RecordedRequest rec = server.lastRequest("/api/embed");
    assertModelField(rec, "all-minilm");
    assertEquals("hello", rec.json().getValue("input"), "a single input is sent as a string");
    assertEquals(1, one.embeddings().length);
    assertEquals(8, one.embeddings()[0].length);
    assertUnitLength(one.embeddings()[0]);

    EmbedResponse many =
        client
            .embed(
                EmbedRequest.builder("all-minilm")
                    .input(List.of("a", "b", "c"))
                    .dimensions(4)
                    .build())
            .await();
    rec = server.lastRequest("/api/embed");
    assertEquals(new JsonArray().add("a").add("b").add("c"), rec.json().getValue("input"));
    assertEquals(4, rec.json().getInteger("dimensions"));
    assertEquals(3, many.embeddings().length);
    for (float[] v : many.embeddings()) {
      assertEquals(4, v.length, "cut to dimensions");
      assertUnitLength(v);
    }
    assertEquals("all-minilm", many.model());
  }

  private static void assertUnitLength(float[] v) {
    double sum = 0;
    for (float f : v) {
      sum += f * f;
    }
    assertEquals(1.0, Math.sqrt(sum), 1e-3);
  }

  @Test
  @SuppressWarnings("deprecation")
  void legacyEmbeddings() {
    EmbeddingsResponse r =
        client.embeddings(new EmbeddingsRequest("all-minilm", "hello", null, null)).await();
    RecordedRequest rec = server.lastRequest("/api/embeddings");
    assertEquals("POST", rec.method());
    assertModelField(rec, "all-minilm");
    assertEquals("hello", rec.json().getString("prompt"));
    assertEquals(8, r.embedding().length);
  }

  // ---- model management ----

  @Test
  void pullPushCreateSendStreamFalseAndReturnTheLastStatus() {
    server.publish(FakeModel.named("qwen3:8b"));
    ProgressResponse pulled = client.pull(PullRequest.of("qwen3:8b")).await();
    assertTrue(pulled.isSuccess(), pulled.toString());
    RecordedRequest rec = server.lastRequest("/api/pull");
    assertModelField(rec, "qwen3:8b");
    assertEquals(Boolean.FALSE, rec.json().getBoolean("stream"));
    assertTrue(server.models().find("qwen3:8b").isPresent(), "installed by the pull");

    ProgressResponse pushed = client.push(PushRequest.of("qwen3:8b")).await();
    assertTrue(pushed.isSuccess());
    rec = server.lastRequest("/api/push");
    assertModelField(rec, "qwen3:8b");
    assertEquals(Boolean.FALSE, rec.json().getBoolean("stream"));

    ProgressResponse created =
        client
            .create(CreateRequest.builder("mine").from("llama3.2").system("Be brief").build())
            .await();
    assertTrue(created.isSuccess());
    rec = server.lastRequest("/api/create");
    assertModelField(rec, "mine");
    assertEquals("llama3.2", rec.json().getString("from"));
    assertEquals(Boolean.FALSE, rec.json().getBoolean("stream"));
    assertTrue(server.models().find("mine").isPresent());
  }

  @Test
  void showParsesModelInfoCapabilitiesTensorsAndParameters() {
    ShowResponse r = client.show("llama3.2").await();
    RecordedRequest rec = server.lastRequest("/api/show");
    assertEquals("POST", rec.method());
    assertModelField(rec, "llama3.2");
    assertEquals("llama", r.modelInfo().get("general.architecture"));
    assertEquals(131072L, r.contextLength());
    assertEquals(List.of("completion", "tools", "thinking"), r.capabilities());
    assertTrue(r.hasCapability("tools"));
    assertEquals(2, r.tensors().size());
    assertEquals("token_embd.weight", r.tensors().get(1).name());
    assertEquals(List.of(16L, 128256L), r.tensors().get(1).shape());
    Map<String, List<String>> params = r.parameterMap();
    assertEquals(List.of("<|start_header_id|>", "<|eot_id|>"), params.get("stop"));
    assertEquals(List.of("0.7"), params.get("temperature"));
    assertEquals("gguf", r.details().format());
    assertEquals(ZoneOffset.ofHours(-7), r.modifiedAtTime().getOffset());
  }

  @Test
  void listAndPs() {
    ListResponse list = client.list().await();
    assertEquals("GET", server.lastRequest("/api/tags").method());
    assertEquals(2, list.models().size());
    assertTrue(list.models().stream().anyMatch(m -> m.name().equals("llama3.2:latest")));
    list.models().forEach(m -> assertFalse(m.digest().startsWith("sha256:"), m.digest()));

    client
        .generate(GenerateRequest.builder("llama3.2").keepAlive(KeepAlive.FOREVER).build())
        .await();
    var ps = client.ps().await();
    assertEquals("GET", server.lastRequest("/api/ps").method());
    assertEquals(1, ps.models().size());
    ProcessModel m = ps.models().get(0);
    assertEquals("llama3.2:latest", m.model());
    assertEquals(m.size(), m.sizeVram());
    assertEquals(1.0, m.vramFraction());
    assertEquals(4096, m.contextLength());
    assertEquals(
        ZoneOffset.ofHours(-7), m.expiresAtTime().getOffset(), "the server's local offset is kept");
    assertTrue(m.expiresAtTime().getYear() > 2200, "forever: " + m.expiresAt());
  }

  @Test
  void versionAndStatus() {
    server.version("0.33.1");
    assertEquals("0.33.1", client.version().await().version());
    assertEquals("GET", server.lastRequest("/api/version").method());
    server.cloudDisabled(true);
    var status = client.status().await();
    assertEquals(Boolean.TRUE, status.cloud().disabled());
    assertEquals("env", status.cloud().source());
  }

  @Test
  void copyAndDeleteReturnVoidOnAnEmptyBodyAndDeleteCarriesAJsonBody() {
    Void copied = client.copy(new CopyRequest("llama3.2", "backup")).await();
    assertNull(copied);
    RecordedRequest copy = server.lastRequest("/api/copy");
    assertEquals("POST", copy.method());
    assertEquals(
        new JsonObject().put("source", "llama3.2").put("destination", "backup"), copy.json());
    assertEquals(200, copy.status());
    assertTrue(server.models().find("backup").isPresent());

    Void deleted = client.delete(new DeleteRequest("backup")).await();
    assertNull(deleted);
    RecordedRequest del = server.lastRequest("/api/delete");
    assertEquals("DELETE", del.method());
    assertEquals(new JsonObject().put("model", "backup"), del.json());
    assertEquals(200, del.status());
    assertFalse(server.models().find("backup").isPresent());
  }

  @Test
  void blobExistsAndCreateBlobUploadsOnlyWhenMissing(@TempDir Path dir) throws Exception {
    byte[] content = "GGUF fake weights".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve("model.gguf"), content);
    String expected =
        "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

    assertFalse(client.blobExists(expected).await());
    assertEquals("HEAD", server.lastRequest("/api/blobs/" + expected).method());

    String digest = client.createBlob(file).await();
    assertEquals(expected, digest);
    List<String> calls =
        server.requests("/api/blobs/" + expected).stream().map(RecordedRequest::method).toList();
    assertEquals(List.of("HEAD", "HEAD", "POST"), calls);
    RecordedRequest post = server.lastRequest("/api/blobs/" + expected);
    assertEquals(201, post.status());
    assertEquals("<" + content.length + " bytes>", post.bodyText());
    assertEquals("application/octet-stream", post.header("Content-Type"));

    assertTrue(client.blobExists(expected).await());

    // second upload: HEAD says present, no POST
    assertEquals(expected, client.createBlob(file).await());
    calls =
        server.requests("/api/blobs/" + expected).stream().map(RecordedRequest::method).toList();
    assertEquals(List.of("HEAD", "HEAD", "POST", "HEAD", "HEAD"), calls);

    // and the digest is usable for create
    client.create(CreateRequest.builder("from-blob").file("model.gguf", digest).build()).await();
    assertEquals(
        digest,
        server.lastRequest("/api/create").json().getJsonObject("files").getString("model.gguf"));
  }

  @Test
  void blobExistsRejectsAMalformedDigestWithoutARequest() {
    Throwable e = OllamaStreamingTest.assertFails(client.blobExists("abc"));
    assertInstanceOf(IllegalArgumentException.class, e);
    assertTrue(server.requests().isEmpty());
  }

  @Test
  void heartbeat() {
    client.heartbeat().await();
    assertEquals("HEAD", server.lastRequest("/").method());
  }

  @Test
  void meSignedOutIsUnauthorizedWithSigninUrl() {
    server.signedOut("https://ollama.com/connect?name=box&key=abc");
    Throwable e = OllamaStreamingTest.assertFails(client.me());
    UnauthorizedException u = assertInstanceOf(UnauthorizedException.class, e);
    assertEquals("https://ollama.com/connect?name=box&key=abc", u.signinUrl().orElseThrow());
    assertEquals(401, u.status());
    assertEquals(ErrorKind.UNAUTHORIZED, u.kind());
    assertEquals("POST /api/me", u.endpoint().orElseThrow());
    assertEquals("POST", server.lastRequest("/api/me").method());
    assertEquals("", server.lastRequest("/api/me").bodyText(), "no body on /api/me");
  }

  @Test
  void meSignedInParsesTheProfile() {
    server.signedIn(
        new JsonObject()
            .put("id", "u-1")
            .put("email", "a@b.c")
            .put("name", "ann")
            .put("plan", "pro"));
    MeResponse me = client.me().await();
    assertEquals("u-1", me.id());
    assertEquals("pro", me.plan());
  }

  // ---- union types through the client ----

  @Test
  void thinkValuesAreSentAsBooleanOrLevel() {
    for (Think t : List.of(Think.TRUE, Think.FALSE, Think.HIGH, Think.MAX)) {
      client.chat(chat().think(t).build()).await();
      Object sent = server.lastRequest("/api/chat").json().getValue("think");
      Object expected =
          t == Think.TRUE
              ? Boolean.TRUE
              : t == Think.FALSE ? Boolean.FALSE : t.level().orElseThrow();
      assertEquals(expected, sent, t.toString());
    }
  }

  @Test
  void formatJsonAndSchema() {
    client.chat(chat().format(Format.json()).build()).await();
    assertEquals("json", server.lastRequest("/api/chat").json().getValue("format"));
    Format schema =
        Format.schema(
            Map.of("type", "object", "properties", Map.of("age", Map.of("type", "integer"))));
    client.generate(GenerateRequest.builder("llama3.2").prompt("x").format(schema).build()).await();
    JsonObject sent = server.lastRequest("/api/generate").json().getJsonObject("format");
    assertEquals("object", sent.getString("type"));
    assertEquals(
        "integer", sent.getJsonObject("properties").getJsonObject("age").getString("type"));
  }

  @Test
  void keepAliveIsSentAsSecondsForeverAsMinusOneUnloadAsZero() {
    client.chat(chat().keepAlive(Duration.ofMinutes(10)).build()).await();
    assertEquals(600, server.lastRequest("/api/chat").json().getValue("keep_alive"));
    client.chat(chat().keepAlive(KeepAlive.FOREVER).build()).await();
    assertEquals(-1, server.lastRequest("/api/chat").json().getValue("keep_alive"));
    assertTrue(
        server
            .models()
            .expiresAt("llama3.2")
            .orElseThrow()
            .isAfter(java.time.Instant.parse("2200-01-01T00:00:00Z")));
    client.chat(ChatRequest.builder("llama3.2").keepAlive(KeepAlive.UNLOAD).build()).await();
    RecordedRequest rec = server.lastRequest("/api/chat");
    assertEquals(0, rec.json().getValue("keep_alive"));
    client
        .embed(
            EmbedRequest.builder("all-minilm")
                .input("x")
                .keepAlive(KeepAlive.ofSeconds(30))
                .build())
        .await();
    assertEquals(30, server.lastRequest("/api/embed").json().getValue("keep_alive"));
  }

  @Test
  void unloadReplyIsDoneWithReasonUnload() {
    ChatResponse r =
        client.chat(ChatRequest.builder("llama3.2").keepAlive(KeepAlive.UNLOAD).build()).await();
    assertEquals("unload", r.doneReason());
    GenerateResponse load = client.generate(GenerateRequest.builder("llama3.2").build()).await();
    assertEquals("load", load.doneReason());
    assertEquals("", load.response());
  }

  @Test
  void stringToolArgumentsAreSentAsAnObject() {
    Message history =
        Message.builder(Message.ASSISTANT)
            .toolCall(
                MessageToolCall.ofJson("get_weather", "{\"city\":\"Paris\",\"days\":2}")
                    .withId("call_1"))
            .build();
    ChatResponse r =
        client
            .chat(
                chat()
                    .message(history)
                    .message(Message.tool("get_weather", "sunny", "call_1"))
                    .message(Message.user("thanks"))
                    .build())
            .await();
    assertTrue(r.done());
    JsonObject sent =
        server.lastRequest("/api/chat").json().getJsonArray("messages").getJsonObject(1);
    JsonObject fn = sent.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function");
    assertInstanceOf(
        JsonObject.class, fn.getValue("arguments"), "arguments must be an object: " + fn);
    assertEquals(
        new JsonObject().put("city", "Paris").put("days", 2), fn.getJsonObject("arguments"));
    assertEquals(
        "", sent.getString("content"), "an assistant turn with only tool calls sends content \"\"");
    JsonObject tool =
        server.lastRequest("/api/chat").json().getJsonArray("messages").getJsonObject(2);
    assertEquals("call_1", tool.getString("tool_call_id"));
    assertEquals("get_weather", tool.getString("tool_name"));
  }

  @Test
  void dataUriImagesAreSentStripped() {
    String b64 =
        java.util.Base64.getEncoder()
            .encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    client
        .chat(
            ChatRequest.builder("llama3.2")
                .message(
                    Message.builder(Message.USER)
                        .content("what is it")
                        .image("data:image/png;base64," + b64)
                        .build())
                .build())
        .await();
    assertEquals(
        new JsonArray().add(b64),
        server
            .lastRequest("/api/chat")
            .json()
            .getJsonArray("messages")
            .getJsonObject(0)
            .getJsonArray("images"));
    client
        .generate(
            GenerateRequest.builder("llama3.2")
                .prompt("x")
                .image("data:image/png;base64," + b64)
                .build())
        .await();
    assertEquals(
        new JsonArray().add(b64),
        server.lastRequest("/api/generate").json().getJsonArray("images"));
  }

  // ---- headers ----

  @Test
  void userAgentNamesTheLibraryJavaAndTheOs() {
    client.version().await();
    String ua = server.lastRequest("/api/version").header("User-Agent");
    assertNotNull(ua);
    assertTrue(ua.startsWith("core-llm/"), ua);
    assertTrue(ua.contains("Java/" + System.getProperty("java.version")), ua);
    assertTrue(ua.contains(System.getProperty("os.name").toLowerCase()), ua);
    assertTrue(ua.contains(System.getProperty("os.arch")), ua);
  }

  @Test
  void customHeadersFromOptionsSupplierAndPerRequestViewArrive() {
    int[] counter = {0};
    OllamaClient custom =
        OllamaClient.create(
            vertx,
            new OllamaClientOptions()
                .setBaseUrl(server.baseUrl())
                .addHeader("X-Static", "s1")
                .setHeaderSupplier(() -> Map.of("X-Trace", "t" + (++counter[0]))));
    try {
      custom.version().await();
      RecordedRequest first = server.lastRequest("/api/version");
      assertEquals("s1", first.header("X-Static"));
      assertEquals("t1", first.header("X-Trace"));
      custom.list().await();
      assertEquals(
          "t2", server.lastRequest("/api/tags").header("X-Trace"), "supplier asked per request");

      custom
          .with(null, Map.of("X-Request", "r1", "X-Static", "override"))
          .chat(chat().build())
          .await();
      RecordedRequest viaView = server.lastRequest("/api/chat");
      assertEquals("r1", viaView.header("X-Request"));
      assertEquals("override", viaView.header("X-Static"));
      custom.version().await();
      assertNull(
          server.lastRequest("/api/version").header("X-Request"),
          "the view does not change the parent");
    } finally {
      custom.close().await();
    }
  }

  /**
   * BASE-TRANSPORT BUG: {@code HttpTransport.requestOptions} merges per-call headers with {@code
   * options.getHeaders().setAll(call.headers())}; Vert.x's {@code MultiMap.setAll} CLEARS the map
   * first, so whenever a call carries its own headers (every stream sets Accept, every {@code
   * with(...)} view, every blob upload sets Content-Type/Length) the common headers are lost:
   * User-Agent, Accept, the options' static headers, the header supplier's, and the ollama.com
   * bearer.
   */
  @Test
  void commonHeadersAreKeptOnStreamsViewsAndUploads(@TempDir Path dir) throws Exception {
    OllamaClient custom =
        OllamaClient.create(
            vertx,
            new OllamaClientOptions()
                .setBaseUrl(server.baseUrl())
                .addHeader("X-Static", "s1")
                .setHeaderSupplier(() -> Map.of("X-Trace", "t")));
    try {
      var stream = custom.chatStream(chat().build());
      OllamaStreamingTest.collect(stream).await();
      custom.with(null, Map.of("X-Request", "r1")).chat(chat().build()).await();
      Path file = Files.write(dir.resolve("b.bin"), new byte[] {1, 2, 3});
      String digest = custom.createBlob(file).await();
      List<RecordedRequest> checked =
          List.of(
              server.requests("/api/chat").get(0),
              server.requests("/api/chat").get(1),
              server.lastRequest("/api/blobs/" + digest));
      for (RecordedRequest r : checked) {
        assertEquals("s1", r.header("X-Static"), r.toString());
        assertEquals("t", r.header("X-Trace"), r.toString());
        assertTrue(String.valueOf(r.header("User-Agent")).startsWith("core-llm/"), r.toString());
      }
    } finally {
      custom.close().await();
    }
  }

  @Test
  void bearerKeyIsNotSentToANonOllamaComHost() {
    OllamaClient keyed =
        OllamaClient.create(
            vertx,
            OllamaClientOptions.fromEnvironment(
                Map.of("OLLAMA_HOST", server.baseUrl(), "OLLAMA_API_KEY", "sk-secret")::get));
    try {
      assertEquals(
          "sk-secret",
          new OllamaClientOptions(
                  OllamaClientOptions.fromEnvironment(Map.of("OLLAMA_API_KEY", "sk-secret")::get))
              .getApiKey());
      keyed.version().await();
      keyed.chat(chat().build()).await();
      for (RecordedRequest r : server.requests()) {
        assertNull(r.header("Authorization"), "bearer leaked to " + r);
        r.headers().forEach(h -> assertFalse(h.getValue().contains("sk-secret"), h.getKey()));
      }
    } finally {
      keyed.close().await();
    }
  }
}

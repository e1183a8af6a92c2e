package core.llm.providers.ollama.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.testing.OnContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeOllamaServerTest {
  private Vertx vertx;
  private HttpClient client;
  private FakeOllamaServer server;

  record Resp(int status, MultiMap headers, String body) {
    List<JsonObject> lines() {
      return body.lines().map(JsonObject::new).toList();
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(
        FakeModel.named("llama3.2")
            .capabilities("completion", "tools")
            .reply("Hello there friend!"));
    server.addModel(
        FakeModel.named("qwen3:8b").capabilities("completion", "thinking").reply("Yes."));
  }

  @AfterEach
  void tearDown() {
    server.close().await();
    vertx.close().await();
  }

  private Future<Resp> call(HttpMethod method, String path, String body) {
    return OnContext.run(
        vertx,
        () ->
            client
                .request(method, server.port(), "127.0.0.1", path)
                .compose(
                    req ->
                        (body == null ? req.send() : req.send(body))
                            .compose(
                                resp ->
                                    resp.body()
                                        .map(
                                            b ->
                                                new Resp(
                                                    resp.statusCode(),
                                                    resp.headers(),
                                                    b.toString())))));
  }

  private Resp post(String path, Object json) {
    return call(HttpMethod.POST, path, json == null ? null : json.toString()).await();
  }

  @Test
  void streamingChatEndsWithDoneLine() {
    Resp r =
        post(
            "/api/chat",
            new JsonObject()
                .put("model", "llama3.2")
                .put(
                    "messages",
                    new JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertEquals(200, r.status());
    assertEquals("application/x-ndjson", r.headers().get("content-type"));
    assertTrue(r.body().endsWith("}\n"));
    List<JsonObject> lines = r.lines();
    assertEquals(4, lines.size());
    assertEquals(" there", lines.get(1).getJsonObject("message").getString("content"));
    JsonObject last = lines.get(3);
    assertTrue(last.getBoolean("done"));
    assertEquals("stop", last.getString("done_reason"));
    assertTrue(last.getLong("eval_count") > 0);
    assertEquals(1, lines.stream().filter(l -> l.getBoolean("done")).count());
    assertTrue(server.models().isLoaded("llama3.2:latest"));
    assertEquals(1, server.models().loadCount("llama3.2"));
  }

  @Test
  void nonStreamAndThinkingAndErrors() {
    Resp r =
        post(
            "/api/chat",
            new JsonObject()
                .put("model", "qwen3:8b")
                .put("stream", false)
                .put(
                    "messages",
                    new JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertEquals(200, r.status());
    assertTrue(r.headers().get("content-type").startsWith("application/json"));
    assertFalse(r.body().endsWith("\n"));
    assertEquals("Yes.", r.json().getJsonObject("message").getString("content"));
    assertEquals("Let me think about it.", r.json().getJsonObject("message").getString("thinking"));

    JsonArray msgs = new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"));
    assertEquals(
        "{\"error\":\"model is required\"}",
        post("/api/chat", new JsonObject().put("model", "")).body());
    Resp nf = post("/api/chat", new JsonObject().put("model", "nope").put("messages", msgs));
    assertEquals(404, nf.status());
    assertEquals("model 'nope' not found", nf.json().getString("error"));
    assertEquals(404, post("/api/generate", new JsonObject().put("model", "")).status());
    assertEquals(
        "\"llama3.2\" does not support thinking",
        post(
                "/api/chat",
                new JsonObject().put("model", "llama3.2").put("think", true).put("messages", msgs))
            .json()
            .getString("error"));
    Resp ka = post("/api/chat", new JsonObject().put("model", "llama3.2").put("keep_alive", "300"));
    assertEquals(400, ka.status());
    assertEquals("time: missing unit in duration \"300\"", ka.json().getString("error"));
    Resp stop =
        post(
            "/api/generate",
            new JsonObject()
                .put("model", "llama3.2")
                .put("prompt", "x")
                .put("options", new JsonObject().put("stop", "x")));
    assertEquals(500, stop.status());
    assertEquals("missing request body", post("/api/chat", null).json().getString("error"));
  }

  @Test
  void loadAndUnloadObjects() {
    Resp load = post("/api/generate", new JsonObject().put("model", "llama3.2"));
    assertEquals(200, load.status());
    assertFalse(load.body().endsWith("\n"));
    assertEquals("load", load.json().getString("done_reason"));
    assertEquals("", load.json().getString("response"));
    assertTrue(server.models().isLoaded("llama3.2"));
    Resp unload =
        post(
            "/api/chat",
            new JsonObject()
                .put("model", "llama3.2")
                .put("messages", new JsonArray())
                .put("keep_alive", 0));
    assertEquals("unload", unload.json().getString("done_reason"));
    assertEquals("assistant", unload.json().getJsonObject("message").getString("role"));
    assertFalse(server.models().isLoaded("llama3.2"));
    assertEquals(
        0, call(HttpMethod.GET, "/api/ps", null).await().json().getJsonArray("models").size());
  }

  @Test
  void psExpiryFollowsTheControllableClock() {
    post("/api/generate", new JsonObject().put("model", "llama3.2").put("keep_alive", "10m"));
    post("/api/generate", new JsonObject().put("model", "qwen3:8b").put("keep_alive", -1));
    JsonArray models = call(HttpMethod.GET, "/api/ps", null).await().json().getJsonArray("models");
    assertEquals(2, models.size());
    JsonObject first = models.getJsonObject(0);
    assertEquals("qwen3:8b", first.getString("name"));
    assertTrue(OffsetDateTime.parse(first.getString("expires_at")).getYear() > 2300);
    assertTrue(first.getString("expires_at").endsWith("-07:00"));
    assertEquals(64, first.getString("digest").length());
    assertEquals("", first.getJsonObject("details").getString("parent_model"));
    server.advance(Duration.ofMinutes(9));
    assertTrue(server.models().isLoaded("llama3.2"));
    server.advance(Duration.ofMinutes(2));
    models = call(HttpMethod.GET, "/api/ps", null).await().json().getJsonArray("models");
    assertEquals(1, models.size());
    // absent keep_alive keeps the current (forever) value of a loaded model
    post("/api/generate", new JsonObject().put("model", "qwen3:8b"));
    server.advance(Duration.ofDays(365));
    assertTrue(server.models().isLoaded("qwen3:8b"));
  }

  @Test
  void pullProgressAndUnknownModelError() {
    server.publish(FakeModel.named("gemma3:1b"));
    Resp ok = post("/api/pull", new JsonObject().put("model", "gemma3:1b"));
    List<JsonObject> lines = ok.lines();
    assertEquals("pulling manifest", lines.get(0).getString("status"));
    assertTrue(lines.get(1).getString("digest").startsWith("sha256:"));
    assertNull(lines.get(1).getValue("completed"));
    assertEquals("success", lines.get(lines.size() - 1).getString("status"));
    assertTrue(server.models().find("gemma3:1b").isPresent());

    Resp bad = post("/api/pull", new JsonObject().put("model", "nope"));
    assertEquals(200, bad.status());
    assertEquals(
        List.of(
            new JsonObject().put("status", "pulling manifest"),
            new JsonObject().put("error", "pull model manifest: file does not exist")),
        bad.lines());
    Resp bad2 = post("/api/pull", new JsonObject().put("model", "nope").put("stream", false));
    assertEquals(500, bad2.status());
  }

  @Test
  void blobsCreatedThenPresentThenMismatch() throws Exception {
    byte[] data = "GGUF fake weights".getBytes(StandardCharsets.UTF_8);
    String digest =
        "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    String path = "/api/blobs/" + digest;
    assertEquals(404, call(HttpMethod.HEAD, path, null).await().status());
    Future<Resp> up =
        OnContext.run(
            vertx,
            () ->
                client
                    .request(HttpMethod.POST, server.port(), "127.0.0.1", path)
                    .compose(req -> req.send(Buffer.buffer(data)))
                    .compose(
                        resp ->
                            resp.body()
                                .map(
                                    b ->
                                        new Resp(
                                            resp.statusCode(), resp.headers(), b.toString()))));
    assertEquals(201, up.await().status());
    assertEquals(200, call(HttpMethod.POST, path, "GGUF fake weights").await().status());
    assertEquals(200, call(HttpMethod.HEAD, path, null).await().status());
    String other = "sha256:" + "0".repeat(64);
    Resp mm = call(HttpMethod.POST, "/api/blobs/" + other, "x").await();
    assertEquals(400, mm.status());
    assertTrue(
        mm.json()
            .getString("error")
            .startsWith("digest mismatch, expected \"" + other + "\", got \"sha256:"));
    assertEquals(
        "invalid digest format",
        call(HttpMethod.POST, "/api/blobs/sha256:12", "x").await().json().getString("error"));
  }

  @Test
  void scriptWithDelayedHeadersAndCut() {
    server.script(
        "/api/chat", Script.create().delayHeaders(150).line(Chunks.chatChunk("Hi")).cut());
    long t0 = System.nanoTime();
    StringBuilder got = new StringBuilder();
    Throwable err =
        OnContext.run(
                vertx,
                () ->
                    client
                        .request(HttpMethod.POST, server.port(), "127.0.0.1", "/api/chat")
                        .compose(req -> req.send("{}"))
                        .compose(
                            resp -> {
                              assertTrue(System.nanoTime() - t0 >= 140_000_000L);
                              resp.handler(b -> got.append(b));
                              return resp.end();
                            }))
            .transform(ar -> Future.succeededFuture(ar.cause()))
            .await();
    assertTrue(err != null, "a cut stream must fail");
    assertEquals(Chunks.chatChunk("Hi") + "\n", got.toString());
    server.awaitOpenConnections(0).await();
    assertEquals(0, server.clientClosedConnections());
  }

  @Test
  void clientCloseIsObservedAndEndlessRespectsBackPressure() {
    server.script("/api/chat", Script.create().endless(() -> Chunks.chatChunk("tok")));
    OnContext.run(
        vertx,
        () ->
            client
                .request(HttpMethod.POST, server.port(), "127.0.0.1", "/api/chat")
                .compose(req -> req.send("{}"))
                .onSuccess(
                    resp -> {
                      resp.exceptionHandler(t -> {});
                      resp.pause();
                      vertx.setTimer(100, id -> resp.request().connection().close());
                    }));
    server.awaitClientClose().await();
    RecordedRequest rec = server.lastRequest("/api/chat");
    assertTrue(rec.wasClosedByClient());
    assertTrue(rec.bytesWritten() < 16 * 1024 * 1024, "bounded: " + rec.bytesWritten());
    server.awaitOpenConnections(0).await();
  }

  @Test
  void coldLoadAbortedWhenClientLeaves() throws InterruptedException {
    server.addModel(FakeModel.named("big:70b").loadDelayMs(1_000));
    Promise<HttpConnection> connection = Promise.promise();
    OnContext.run(
        vertx,
        () ->
            client
                .request(HttpMethod.POST, server.port(), "127.0.0.1", "/api/generate")
                .compose(
                    req -> {
                      connection.complete(req.connection());
                      return req.send(new JsonObject().put("model", "big:70b").encode());
                    }));
    // Leave once the load has started (the body is read, then the load begins in the same step),
    // not after a fixed 100 ms: on a loaded machine the request might not have arrived by then, and
    // the server would see no abandoned response at all. The load lasts 1 s: still pending now.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.requests("/api/generate").isEmpty()
        || server.requests("/api/generate").get(0).bodyText().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the request body never arrived");
      Thread.sleep(5);
    }
    connection.future().await().close();
    server.awaitClientClose().await();
    vertx.timer(1_000).await(); // past the moment the load would have finished
    assertFalse(server.models().isLoaded("big:70b"));
    assertEquals(0, server.models().loadCount("big:70b"));
  }

  @Test
  void requestsThatArriveDuringALoadWaitForItAndAreMarked() throws InterruptedException {
    server.addModel(
        FakeModel.named("slow").capabilities("completion").reply("ok").loadDelayMs(1_000));
    JsonObject chat =
        new JsonObject()
            .put("model", "slow")
            .put("stream", false)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    Future<Resp> load = call(HttpMethod.POST, "/api/generate", "{\"model\":\"slow\"}");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.requests("/api/generate").isEmpty()
        || server.requests("/api/generate").get(0).bodyText().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the load never arrived");
      Thread.sleep(5);
    }
    assertFalse(server.models().isLoaded("slow"), "the load takes 1 s: still running");
    Future<Resp> during = call(HttpMethod.POST, "/api/chat", chat.encode());
    assertEquals("load", load.await().json().getString("done_reason"));
    assertEquals("ok", during.await().json().getJsonObject("message").getString("content"));
    assertEquals(
        "ok", post("/api/chat", chat).json().getJsonObject("message").getString("content"));
    assertEquals(1, server.models().loadCount("slow"), "the chat joined the load");
    List<RecordedRequest> all = server.requests();
    assertEquals(3, all.size());
    assertTrue(all.get(0).waitedForLoad(), "the load itself");
    assertTrue(all.get(1).waitedForLoad(), "the chat that arrived during the load");
    assertFalse(all.get(2).waitedForLoad(), "the chat that found the model loaded");
  }

  @Test
  void routerTextErrors() {
    Resp nf = call(HttpMethod.GET, "/api/nothing", null).await();
    assertEquals(404, nf.status());
    assertEquals("404 page not found", nf.body());
    assertTrue(nf.headers().get("content-type").startsWith("text/plain"));
    Resp na = call(HttpMethod.GET, "/api/chat", null).await();
    assertEquals(405, na.status());
    assertEquals("405 method not allowed", na.body());
    assertEquals(
        "0.33.0", call(HttpMethod.GET, "/api/version", null).await().json().getString("version"));
    Resp del = call(HttpMethod.DELETE, "/api/delete", "{\"model\":\"qwen3:8b\"}").await();
    assertEquals(200, del.status());
    assertEquals("", del.body());
  }
}

package core.llm.providers.ollama;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import core.llm.common.BadRequestException;
import core.llm.common.CapabilityMissingException;
import core.llm.common.ConnectionException;
import core.llm.common.ContextTooLongException;
import core.llm.common.ErrorKind;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.ModelNotFoundException;
import core.llm.common.OverloadedException;
import core.llm.common.RateLimitedException;
import core.llm.common.ServerErrorException;
import core.llm.common.UnauthorizedException;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.Options;
import core.llm.providers.ollama.models.Tool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every status and body shape Ollama uses for failures becomes the right typed error, carrying the
 * status, the server's own message and the endpoint (WireMock stubs; the fake where natural).
 */
@Timeout(20)
class OllamaErrorsTest {
  private static WireMockServer wiremock;

  private Vertx vertx;
  private OllamaClient client;

  @BeforeAll
  static void startWireMock() {
    wiremock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wiremock.start();
  }

  @AfterAll
  static void stopWireMock() {
    wiremock.stop();
  }

  @BeforeEach
  void start() {
    wiremock.resetAll();
    vertx = Vertx.vertx();
    client =
        OllamaClient.create(
            vertx, new OllamaClientOptions().setBaseUrl("http://127.0.0.1:" + wiremock.port()));
  }

  @AfterEach
  void stop() {
    client.close().await();
    vertx.close().await();
  }

  private static ChatRequest hi() {
    return ChatRequest.builder("x").message(Message.user("hi")).build();
  }

  private static ResponseDefinitionBuilder jsonError(int status, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(new JsonObject().put("error", message).encode());
  }

  /** Stubs path, runs the call, returns the failure after the common checks. */
  private <T extends LlmException> T fails(
      String path,
      ResponseDefinitionBuilder reply,
      Function<OllamaClient, Future<?>> call,
      Class<T> type,
      ErrorKind kind,
      String endpoint) {
    wiremock.stubFor(any(urlPathEqualTo(path)).willReturn(reply));
    Throwable t = OllamaStreamingTest.assertFails(call.apply(client));
    T e = assertInstanceOf(type, t, String.valueOf(t));
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(endpoint, e.endpoint().orElseThrow());
    assertEquals("ollama", e.provider().orElseThrow());
    return e;
  }

  private <T extends LlmException> T chatFails(
      ResponseDefinitionBuilder reply, Class<T> type, ErrorKind kind) {
    return fails("/api/chat", reply, c -> c.chat(hi()), type, kind, "POST /api/chat");
  }

  // ---- 404: model not found, in every wording ----

  @Test
  void chatModelNotFound() {
    ModelNotFoundException e =
        chatFails(
            jsonError(404, "model 'x' not found"),
            ModelNotFoundException.class,
            ErrorKind.NOT_FOUND);
    assertEquals(404, e.status());
    assertEquals("model 'x' not found", e.serverMessage().orElseThrow());
    assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("pull"), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void embedModelNotFoundTryPulling() {
    ModelNotFoundException e =
        fails(
            "/api/embed",
            jsonError(404, "model \"x\" not found, try pulling it first"),
            c -> c.embed(EmbedRequest.builder("x").input("a").build()),
            ModelNotFoundException.class,
            ErrorKind.NOT_FOUND,
            "POST /api/embed");
    assertEquals("model \"x\" not found, try pulling it first", e.serverMessage().orElseThrow());
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
  }

  @Test
  void showModelNotFoundNormalisedName() {
    ModelNotFoundException e =
        fails(
            "/api/show",
            jsonError(404, "model 'x:latest' not found"),
            c -> c.show("x"),
            ModelNotFoundException.class,
            ErrorKind.NOT_FOUND,
            "POST /api/show");
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("x:latest"), e.getMessage());
  }

  @Test
  void plainTextPageNotFoundIsARouteProblemNotAMissingModel() {
    LlmException e =
        fails(
            "/api/status",
            aResponse()
                .withStatus(404)
                .withHeader("Content-Type", "text/plain")
                .withBody("404 page not found"),
            OllamaClient::status,
            LlmException.class,
            ErrorKind.NOT_FOUND,
            "GET /api/status");
    assertFalse(e instanceof ModelNotFoundException, e.getClass().getName());
    assertTrue(e.getMessage().contains("route"), e.getMessage());
    assertTrue(e.getMessage().contains("404 page not found"), e.getMessage());
    assertEquals(404, e.status());
    assertFalse(e.retryable());
  }

  // ---- 400 ----

  @Test
  void doesNotSupportToolsIsCapabilityMissing() {
    CapabilityMissingException e =
        chatFails(
            jsonError(400, "registry.ollama.ai/library/x:latest does not support tools"),
            CapabilityMissingException.class,
            ErrorKind.CAPABILITY_MISSING);
    assertEquals("tools", e.capability());
    assertEquals(400, e.status());
    assertFalse(e.retryable());
  }

  @Test
  void doesNotSupportThinkingIsCapabilityMissing() {
    CapabilityMissingException e =
        chatFails(
            jsonError(400, "\"x\" does not support thinking"),
            CapabilityMissingException.class,
            ErrorKind.CAPABILITY_MISSING);
    assertEquals("thinking", e.capability());
    e =
        chatFails(
            jsonError(
                400,
                "\"qwen3\" does not support thinking. Pull the model again to get the latest"
                    + " version with full thinking support"),
            CapabilityMissingException.class,
            ErrorKind.CAPABILITY_MISSING);
    assertEquals("thinking", e.capability());
  }

  @Test
  void otherBadRequest() {
    BadRequestException e =
        chatFails(
            jsonError(400, "invalid think value: \"bogus\""),
            BadRequestException.class,
            ErrorKind.BAD_REQUEST);
    assertEquals("invalid think value: \"bogus\"", e.serverMessage().orElseThrow());
    assertTrue(e.getMessage().contains("bogus"));
    assertFalse(e.retryable());
  }

  @Test
  void contextTooLong() {
    ContextTooLongException e =
        chatFails(
            jsonError(
                400,
                "the prompt is longer than the context length currently"
                    + " available to the model; shorten the prompt"),
            ContextTooLongException.class,
            ErrorKind.CONTEXT_TOO_LONG);
    assertEquals(400, e.status());
    assertFalse(e.retryable());
    fails(
        "/api/embed",
        jsonError(400, "the input length exceeds the context length"),
        c -> c.embed(EmbedRequest.builder("x").input("a").truncate(false).build()),
        ContextTooLongException.class,
        ErrorKind.CONTEXT_TOO_LONG,
        "POST /api/embed");
  }

  // ---- 401 / 403 ----

  @Test
  void unauthorizedWithSigninUrl() {
    String url = "https://ollama.com/connect?name=box&key=abc";
    UnauthorizedException e =
        fails(
            "/api/me",
            aResponse()
                .withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody(
                    new JsonObject().put("error", "unauthorized").put("signin_url", url).encode()),
            OllamaClient::me,
            UnauthorizedException.class,
            ErrorKind.UNAUTHORIZED,
            "POST /api/me");
    assertEquals(url, e.signinUrl().orElseThrow());
    assertEquals(401, e.status());
    assertEquals("unauthorized", e.serverMessage().orElseThrow());
    assertTrue(e.getMessage().contains(url), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void forbiddenWithEmptyBodyMentionsHostAndOrigin() {
    UnauthorizedException e =
        chatFails(aResponse().withStatus(403), UnauthorizedException.class, ErrorKind.UNAUTHORIZED);
    assertEquals(403, e.status());
    assertTrue(
        e.getMessage().contains("Host") && e.getMessage().contains("Origin"), e.getMessage());
    assertTrue(e.getMessage().contains("OLLAMA_ORIGINS"), e.getMessage());
    assertTrue(e.signinUrl().isEmpty());
  }

  @Test
  void forbiddenCloudDisabledKeepsTheServerMessage() {
    UnauthorizedException e =
        chatFails(
            jsonError(403, "ollama cloud is disabled: web search is unavailable"),
            UnauthorizedException.class,
            ErrorKind.UNAUTHORIZED);
    assertTrue(e.getMessage().contains("cloud is disabled"), e.getMessage());
  }

  // ---- retryable ones ----

  @Test
  void rateLimitedCarriesRetryAfter() {
    RateLimitedException e =
        chatFails(
            jsonError(429, "too many requests").withHeader("Retry-After", "7"),
            RateLimitedException.class,
            ErrorKind.RATE_LIMITED);
    assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
    assertEquals(429, e.status());
    assertTrue(e.retryable());
  }

  @Test
  void serverBusyIsOverloaded() {
    String busy = "server busy, please try again.  maximum pending requests exceeded";
    OverloadedException e =
        chatFails(jsonError(503, busy), OverloadedException.class, ErrorKind.OVERLOADED);
    assertEquals(busy, e.serverMessage().orElseThrow());
    assertEquals(503, e.status());
    assertTrue(e.retryable());
  }

  @Test
  void engineFailureIsServerError() {
    String crash =
        "model runner has unexpectedly stopped, this may be due to resource limitations or an internal"
            + " error, check ollama server logs for details";
    ServerErrorException e =
        chatFails(jsonError(500, crash), ServerErrorException.class, ErrorKind.SERVER_ERROR);
    assertEquals(500, e.status());
    assertEquals(crash, e.serverMessage().orElseThrow());
    assertTrue(e.retryable());
    ServerErrorException bad =
        chatFails(
            jsonError(502, "could not reach ollama.com"),
            ServerErrorException.class,
            ErrorKind.SERVER_ERROR);
    assertEquals(502, bad.status());
  }

  @Test
  void wrongOptionTypeOn500IsABadRequestNotRetryable() {
    BadRequestException e =
        chatFails(
            jsonError(500, "option \"stop\" must be of type array"),
            BadRequestException.class,
            ErrorKind.BAD_REQUEST);
    assertEquals(500, e.status());
    assertFalse(e.retryable());
    BadRequestException f =
        chatFails(
            jsonError(
                500,
                "invalid format: \"yaml\"; expected \"json\" or a valid JSON" + " Schema object"),
            BadRequestException.class,
            ErrorKind.BAD_REQUEST);
    assertFalse(f.retryable());
  }

  // ---- transport and body shape ----

  @Test
  void connectionRefusedNamesTheUrlAndHowToStartOllama() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    OllamaClient closed =
        OllamaClient.create(
            vertx, new OllamaClientOptions().setBaseUrl("http://127.0.0.1:" + port));
    try {
      Throwable t = OllamaStreamingTest.assertFails(closed.chat(hi()));
      ConnectionException e = assertInstanceOf(ConnectionException.class, t);
      assertEquals(ErrorKind.CONNECTION, e.kind());
      assertTrue(e.retryable());
      assertEquals(0, e.status());
      assertTrue(e.getMessage().contains("http://127.0.0.1:" + port + "/api/chat"), e.getMessage());
      assertTrue(e.getMessage().contains("ollama serve"), e.getMessage());
      assertTrue(e.getMessage().contains("OLLAMA_HOST"), e.getMessage());
      assertEquals("POST /api/chat", e.endpoint().orElseThrow());
    } finally {
      closed.close().await();
    }
  }

  @Test
  void nonJsonSuccessBodyIsAnInvalidResponse() {
    InvalidResponseException e =
        chatFails(
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/html")
                .withBody("<html>captive portal</html>"),
            InvalidResponseException.class,
            ErrorKind.INVALID_RESPONSE);
    assertTrue(e.getMessage().contains("<html>captive portal"), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void nonStreamedReplyWithoutDoneIsIncomplete() {
    core.llm.common.IncompleteStreamException e =
        chatFails(
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(
                    "{\"model\":\"x\",\"created_at\":\"2026-01-01T00:00:00Z\","
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"aaaa\"},\"done\":false}"),
            core.llm.common.IncompleteStreamException.class,
            ErrorKind.INCOMPLETE_STREAM);
    assertEquals(1, e.received().size());
  }

  @Test
  void methodNotAllowedIsABadRequest() {
    BadRequestException e =
        fails(
            "/api/version",
            aResponse()
                .withStatus(405)
                .withHeader("Content-Type", "text/plain")
                .withBody("405 method not allowed"),
            OllamaClient::version,
            BadRequestException.class,
            ErrorKind.BAD_REQUEST,
            "GET /api/version");
    assertEquals(405, e.status());
  }

  // ---- the same against the fake server ----

  @Test
  void fakeServerErrorsMapTheSameWay() {
    FakeOllamaServer server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("plain").capabilities("completion"));
    OllamaClient fake =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    try {
      Throwable t =
          OllamaStreamingTest.assertFails(
              fake.chat(ChatRequest.builder("ghost").message(Message.user("hi")).build()));
      assertInstanceOf(ModelNotFoundException.class, t);

      t =
          OllamaStreamingTest.assertFails(
              fake.chat(
                  ChatRequest.builder("plain")
                      .message(Message.user("hi"))
                      .tool(
                          Tool.function(
                              "f", "d", (core.llm.providers.ollama.models.ToolParameters) null))
                      .build()));
      assertEquals("tools", assertInstanceOf(CapabilityMissingException.class, t).capability());

      t =
          OllamaStreamingTest.assertFails(
              fake.chat(
                  ChatRequest.builder("plain").message(Message.user("hi")).think(true).build()));
      assertEquals("thinking", assertInstanceOf(CapabilityMissingException.class, t).capability());

      t =
          OllamaStreamingTest.assertFails(
              fake.chat(
                  ChatRequest.builder("plain")
                      .message(Message.user("hi"))
                      .options(Options.builder().extra("stop", "x").build())
                      .build()));
      BadRequestException bad = assertInstanceOf(BadRequestException.class, t);
      assertEquals(500, bad.status());

      t = OllamaStreamingTest.assertFails(fake.show("ghost"));
      assertTrue(
          assertInstanceOf(ModelNotFoundException.class, t).getMessage().contains("ghost:latest"));

      server.scriptAlways(
          "/api/chat",
          core.llm.providers.ollama.fake.Script.jsonError(
              503, "server busy, please try again.  maximum pending requests exceeded"));
      t =
          OllamaStreamingTest.assertFails(
              fake.chat(ChatRequest.builder("plain").message(Message.user("hi")).build()));
      assertInstanceOf(OverloadedException.class, t);
      assertNotEquals(0, ((LlmException) t).status());
    } finally {
      fake.close().await();
      server.close().await();
    }
  }
}

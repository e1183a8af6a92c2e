package core.llm.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.BadRequestException;
import core.llm.common.CapabilityMissingException;
import core.llm.common.CompletionRequest;
import core.llm.common.ConnectionException;
import core.llm.common.ContextTooLongException;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.ModelNotFoundException;
import core.llm.common.OverloadedException;
import core.llm.common.RateLimitedException;
import core.llm.common.ServerErrorException;
import core.llm.common.UnauthorizedException;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way a request fails, as a typed error that says what happened and never shows the key. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnthropicErrorsTest {
  private static Vertx vertx;
  private AnthropicFixture fx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void start() {
    fx = AnthropicFixture.start(vertx);
  }

  @AfterEach
  void stop() {
    fx.close().await();
  }

  private CompletionRequest request() {
    return CompletionRequest.builder(fx.chatModel()).user("Hi").build();
  }

  private LlmException chatFailure() {
    Exception e = assertThrows(Exception.class, () -> fx.provider().chat(request()).await());
    LlmException typed = assertInstanceOf(LlmException.class, e);
    assertFalse(typed.getMessage().contains(AnthropicFixture.API_KEY), typed.getMessage());
    return typed;
  }

  private LlmException streamFailure() {
    Exception e =
        assertThrows(Exception.class, () -> fx.provider().chatStream(request()).result().await());
    return assertInstanceOf(LlmException.class, e);
  }

  /** Every scripted kind comes back as that kind, for chat and for streams. */
  @ParameterizedTest
  @EnumSource(
      value = ErrorKind.class,
      names = {
        "NOT_FOUND",
        "CAPABILITY_MISSING",
        "BAD_REQUEST",
        "UNAUTHORIZED",
        "RATE_LIMITED",
        "OVERLOADED",
        "CONTEXT_TOO_LONG",
        "SERVER_ERROR",
        "CONNECTION",
        "TIMEOUT",
        "INVALID_RESPONSE"
      })
  void everyKindIsTyped(ErrorKind kind) {
    fx.nextFailure(kind);
    LlmException e = chatFailure();
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(kind.retryable(), e.retryable());
    assertEquals("anthropic-test", e.provider().orElseThrow());
    if (kind != ErrorKind.INVALID_RESPONSE) {
      fx.nextFailure(kind);
      assertEquals(kind, streamFailure().kind());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ErrorKind.class,
      names = {"STREAM_ERROR", "INCOMPLETE_STREAM"})
  void streamOnlyKindsAreTyped(ErrorKind kind) {
    fx.nextFailure(kind);
    assertEquals(kind, streamFailure().kind());
  }

  @Test
  void rateLimitCarriesRetryAfter() {
    fx.nextFailure(ErrorKind.RATE_LIMITED);
    RateLimitedException e = assertInstanceOf(RateLimitedException.class, chatFailure());
    assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
    assertEquals(429, e.status());
    assertTrue(e.getMessage().contains("per-minute rate limit"), e.getMessage());
  }

  @Test
  void overloaded529IsRetryableAndNamesTheServerMessage() {
    fx.nextFailure(ErrorKind.OVERLOADED);
    OverloadedException e = assertInstanceOf(OverloadedException.class, chatFailure());
    assertEquals(529, e.status());
    assertTrue(e.retryable());
    assertEquals("Overloaded", e.serverMessage().orElseThrow());
  }

  @Test
  void statusesFollowTheApiReference() {
    fx.server()
        .script(FakeAnthropicServer.error(403, "permission_error", "no access to this model"));
    assertInstanceOf(UnauthorizedException.class, chatFailure());
    fx.server()
        .script(FakeAnthropicServer.error(413, "request_too_large", "Request exceeds 32 MB"));
    assertInstanceOf(BadRequestException.class, chatFailure());
    fx.nextFailure(ErrorKind.CONTEXT_TOO_LONG);
    assertInstanceOf(ContextTooLongException.class, chatFailure());
    fx.nextFailure(ErrorKind.CAPABILITY_MISSING);
    assertInstanceOf(CapabilityMissingException.class, chatFailure());
    fx.nextFailure(ErrorKind.NOT_FOUND);
    ModelNotFoundException nf = assertInstanceOf(ModelNotFoundException.class, chatFailure());
    assertTrue(nf.getMessage().contains("claude-nope"), nf.getMessage());
    fx.server()
        .script(FakeAnthropicServer.error(404, "not_found_error", "Not found: /v1/whatever"));
    LlmException plain = chatFailure();
    assertEquals(ErrorKind.NOT_FOUND, plain.kind());
    assertFalse(plain instanceof ModelNotFoundException);
    fx.server().script(FakeAnthropicServer.error(500, "overloaded_error", "Overloaded"));
    assertInstanceOf(OverloadedException.class, chatFailure());
    fx.server().script(FakeAnthropicServer.raw(502, "text/html", "<html>Bad gateway</html>"));
    ServerErrorException se = assertInstanceOf(ServerErrorException.class, chatFailure());
    assertTrue(se.getMessage().contains("Bad gateway"), se.getMessage());
  }

  @Test
  void unauthorizedSaysWhatToCheckButNeverTheKey() {
    // A gateway that echoes the key it got must not leak it through our messages.
    fx.server()
        .script(
            FakeAnthropicServer.error(
                401, "authentication_error", "invalid x-api-key " + AnthropicFixture.API_KEY));
    UnauthorizedException e = assertInstanceOf(UnauthorizedException.class, chatFailure());
    assertTrue(e.getMessage().contains("apiKey"), e.getMessage());
    assertFalse(e.serverMessage().orElseThrow().contains(AnthropicFixture.API_KEY));
  }

  @Test
  void connectionRefusedNamesTheUrl() {
    var server = FakeAnthropicServer.start(vertx).await();
    String url = server.baseUrl();
    server.close().await();
    AnthropicProvider provider =
        AnthropicProvider.create(
            vertx, new AnthropicOptions().setBaseUrl(url).setApiKey(AnthropicFixture.API_KEY));
    try {
      Exception e = assertThrows(Exception.class, () -> provider.chat(request()).await());
      ConnectionException ce = assertInstanceOf(ConnectionException.class, e);
      assertTrue(ce.getMessage().contains(url + "/v1/messages"), ce.getMessage());
      assertTrue(ce.retryable());
      assertFalse(ce.getMessage().contains(AnthropicFixture.API_KEY));
      assertFalse(provider.health().await().up());
    } finally {
      provider.close().await();
    }
  }

  @Test
  void stallTimesOutOnTheFirstByteAndClosesTheConnection() {
    fx.nextStall();
    LlmTimeoutException e = assertInstanceOf(LlmTimeoutException.class, chatFailure());
    assertEquals(LlmTimeoutException.Phase.FIRST_BYTE, e.phase());
    assertEquals(AnthropicFixture.FIRST_BYTE, e.limit());
    fx.clientClosed(Duration.ofSeconds(10)).await();
  }
}

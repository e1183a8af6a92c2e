package core.llm.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ErrorKind;
import core.llm.providers.base.ConformanceFixture;
import core.llm.providers.base.Timeouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link AnthropicProvider} wired to a {@link FakeAnthropicServer}. A stalled request gives up
 * after {@link #FIRST_BYTE}: short enough for the timeout tests, long enough that no test which
 * cancels a stalled or held-open request races it on a loaded machine (it used to be 400 ms, as was
 * the idle limit, which the cancel-mid-stream tests must not reach either).
 */
public final class AnthropicFixture implements ConformanceFixture {
  /** A key that must never show up in an error, a log line or toString. */
  static final String API_KEY = "sk-ant-test-0123456789-SECRET";

  static final Duration FIRST_BYTE = Duration.ofSeconds(2);
  private static final AtomicBoolean WARMED = new AtomicBoolean();

  private final Vertx vertx;
  private final FakeAnthropicServer server;
  private final AnthropicProvider provider;

  private AnthropicFixture(Vertx vertx, FakeAnthropicServer server, AnthropicOptions options) {
    this.vertx = vertx;
    this.server = server;
    this.provider = AnthropicProvider.create(vertx, options.setBaseUrl(server.baseUrl()));
  }

  /** Starts the fake server and a provider on it; call from a test thread, not an event loop. */
  public static AnthropicFixture start(Vertx vertx) {
    return start(vertx, new AnthropicOptions());
  }

  /** As {@link #start(Vertx)}, from these options (base URL, key and timeouts are set here). */
  static AnthropicFixture start(Vertx vertx, AnthropicOptions options) {
    FakeAnthropicServer server = FakeAnthropicServer.start(vertx).await();
    options
        .setName("anthropic-test")
        .setApiKey(API_KEY)
        .setTimeouts(
            new Timeouts(
                Duration.ofSeconds(5), FIRST_BYTE, Duration.ofSeconds(10), Duration.ofSeconds(20)));
    if (WARMED.compareAndSet(false, true)) {
      // The first exchange of a JVM loads classes for longer than the short first-byte timeout;
      // one warm-up call with default timeouts keeps that cost out of the tests.
      AnthropicProvider warm =
          AnthropicProvider.create(vertx, new AnthropicOptions().setBaseUrl(server.baseUrl()));
      warm.health().eventually(warm::close).await();
      server.requests().clear();
    }
    return new AnthropicFixture(vertx, server, options);
  }

  FakeAnthropicServer server() {
    return server;
  }

  @Override
  public AnthropicProvider provider() {
    return provider;
  }

  @Override
  public String chatModel() {
    return FakeAnthropicServer.MODEL;
  }

  @Override
  public String embeddingModel() {
    return "claude-has-no-embeddings";
  }

  @Override
  public void nextReplyTokens(List<String> tokens, int promptTokens, int completionTokens) {
    server.script(FakeAnthropicServer.tokens(tokens, promptTokens, completionTokens));
  }

  @Override
  public void nextReplyToolCall(String id, String name, String argumentsJson) {
    server.script(FakeAnthropicServer.toolCall(id, name, argumentsJson));
  }

  @Override
  public void nextReplyText(String text) {
    server.script(FakeAnthropicServer.text(text));
  }

  @Override
  public void nextFailure(ErrorKind kind) {
    server.script(
        switch (kind) {
          case NOT_FOUND -> FakeAnthropicServer.error(404, "not_found_error", "model: claude-nope");
          case CAPABILITY_MISSING ->
              FakeAnthropicServer.error(
                  400, "invalid_request_error", "claude-fake-1 does not support image input");
          case BAD_REQUEST ->
              FakeAnthropicServer.error(
                  400,
                  "invalid_request_error",
                  "messages: roles must alternate between user and assistant");
          case UNAUTHORIZED ->
              FakeAnthropicServer.error(401, "authentication_error", "invalid x-api-key");
          case RATE_LIMITED ->
              FakeAnthropicServer.error(
                  429,
                  "rate_limit_error",
                  "Number of request tokens has exceeded your per-minute rate limit",
                  "retry-after",
                  "7");
          case OVERLOADED -> FakeAnthropicServer.error(529, "overloaded_error", "Overloaded");
          case CONTEXT_TOO_LONG ->
              FakeAnthropicServer.error(
                  400,
                  "invalid_request_error",
                  "prompt is too long: 215000 tokens > 200000 maximum");
          case SERVER_ERROR -> FakeAnthropicServer.error(500, "api_error", "Internal server error");
          case CONNECTION -> FakeAnthropicServer.dropConnection();
          case TIMEOUT, CANCELLED -> server.stall();
          case STREAM_ERROR ->
              FakeAnthropicServer.midStreamError(List.of("partial"), "api_error", "boom");
          case INCOMPLETE_STREAM -> FakeAnthropicServer.cut(List.of("partial"));
          case INVALID_RESPONSE ->
              FakeAnthropicServer.raw(200, "application/json", "<html>not json");
          case INTERNAL ->
              throw new IllegalArgumentException("no server reply is a bug of the library");
        });
  }

  @Override
  public void nextMidStreamError(List<String> tokensBefore, String message) {
    server.script(FakeAnthropicServer.midStreamError(tokensBefore, "api_error", message));
  }

  @Override
  public void nextCutStream(List<String> tokensBefore) {
    server.script(FakeAnthropicServer.cut(tokensBefore));
  }

  @Override
  public void nextStall() {
    server.script(server.stall());
  }

  /** The next stream sends these tokens, then stays open until the client closes it. */
  void nextOpenStream(List<String> tokens) {
    server.script(server.openStream(tokens));
  }

  @Override
  public void nextTokensThenStall(List<String> tokens) {
    nextOpenStream(tokens);
  }

  @Override
  public core.llm.providers.base.LlmProvider unreachableProvider() {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return AnthropicProvider.create(
        vertx,
        new AnthropicOptions()
            .setName("anthropic-test")
            .setApiKey(API_KEY)
            .setBaseUrl("http://127.0.0.1:" + port));
  }

  @Override
  public String apiKey() {
    return API_KEY;
  }

  @Override
  public Future<Void> clientClosed(Duration within) {
    return server.heldClosed(within);
  }

  @Override
  public JsonNode lastRequestBody() {
    FakeAnthropicServer.Recorded last = server.last();
    return last == null ? null : last.body();
  }

  @Override
  public Future<Void> close() {
    return provider.close().eventually(server::close);
  }
}

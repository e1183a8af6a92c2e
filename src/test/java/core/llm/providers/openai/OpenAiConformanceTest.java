package core.llm.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ErrorKind;
import core.llm.common.ToolCall;
import core.llm.providers.base.ConformanceFixture;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ProviderConformanceTest;
import core.llm.providers.base.Timeouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The shared suite against {@link OpenAiProvider} talking to {@link FakeOpenAiServer}. */
class OpenAiConformanceTest extends ProviderConformanceTest {

  @Override
  protected ConformanceFixture createFixture(Vertx vertx) throws Exception {
    FakeOpenAiServer server = new FakeOpenAiServer(vertx);
    int port = server.start().toCompletionStage().toCompletableFuture().get();
    return new OpenAiFixture(vertx, server, "http://127.0.0.1:" + port + "/v1");
  }

  static final Timeouts TEST_TIMEOUTS =
      Timeouts.none()
          .withConnect(Duration.ofSeconds(2))
          .withFirstByte(Duration.ofSeconds(5))
          .withIdle(Duration.ofSeconds(5));

  static OpenAiProvider newProvider(Vertx vertx, String baseUrl) {
    return OpenAiProvider.create(
        vertx,
        new OpenAiOptions()
            .setName("openai-test")
            .setBaseUrl(baseUrl)
            .setApiKey(FakeOpenAiServer.API_KEY)
            .setTimeouts(TEST_TIMEOUTS));
  }

  /** Scripts the fake server in OpenAI's wire format. */
  static final class OpenAiFixture implements ConformanceFixture {
    private final Vertx vertx;
    final FakeOpenAiServer server;
    private final OpenAiProvider provider;

    OpenAiFixture(Vertx vertx, FakeOpenAiServer server, String baseUrl) {
      this.vertx = vertx;
      this.server = server;
      this.provider = newProvider(vertx, baseUrl);
    }

    @Override
    public LlmProvider provider() {
      return provider;
    }

    @Override
    public String chatModel() {
      return FakeOpenAiServer.MODEL;
    }

    @Override
    public String embeddingModel() {
      return "text-embedding-test";
    }

    @Override
    public void nextReplyTokens(List<String> tokens, int promptTokens, int completionTokens) {
      server.next(FakeOpenAiServer.tokens(tokens, promptTokens, completionTokens));
    }

    @Override
    public void nextReplyToolCall(String id, String name, String argumentsJson) {
      server.next(FakeOpenAiServer.toolCall(id, name, argumentsJson));
    }

    @Override
    public void nextReplyText(String text) {
      server.next(FakeOpenAiServer.tokens(List.of(text), 10, 5));
    }

    /** Bodies and statuses as documented by OpenAI (and seen from vLLM/llama.cpp). */
    @Override
    public void nextFailure(ErrorKind kind) {
      server.next(
          switch (kind) {
            case NOT_FOUND ->
                FakeOpenAiServer.failure(
                    404,
                    Map.of(),
                    "invalid_request_error",
                    "model_not_found",
                    "The model `gpt-nope` does not exist or you do not have access to it.");
            case UNAUTHORIZED ->
                FakeOpenAiServer.failure(
                    401,
                    Map.of(),
                    "invalid_request_error",
                    "invalid_api_key",
                    "Incorrect API key provided: "
                        + FakeOpenAiServer.API_KEY
                        + ". You can find your API key at"
                        + " https://platform.openai.com/account/api-keys.");
            case RATE_LIMITED ->
                FakeOpenAiServer.failure(
                    429,
                    Map.of("Retry-After", "7"),
                    "requests",
                    "rate_limit_exceeded",
                    "Rate limit reached for requests per min. Please try again in 7s.");
            case OVERLOADED ->
                FakeOpenAiServer.failure(
                    503,
                    Map.of(),
                    "server_error",
                    null,
                    "The engine is currently overloaded, please try again later");
            case BAD_REQUEST ->
                FakeOpenAiServer.failure(
                    400,
                    Map.of(),
                    "invalid_request_error",
                    "invalid_value",
                    "Invalid value for 'temperature': must be between 0 and 2.");
            case CONTEXT_TOO_LONG ->
                FakeOpenAiServer.failure(
                    400,
                    Map.of(),
                    "invalid_request_error",
                    "context_length_exceeded",
                    "This model's maximum context length is 8192 tokens. However, your"
                        + " messages resulted in 9000 tokens. Please reduce the length of the messages.");
            case SERVER_ERROR ->
                FakeOpenAiServer.failure(
                    500,
                    Map.of(),
                    "server_error",
                    null,
                    "The server had an error while processing your request. Sorry about that!");
            default -> throw new IllegalArgumentException(kind.name());
          });
    }

    @Override
    public Duration expectedRetryAfter() {
      return Duration.ofSeconds(7);
    }

    @Override
    public String apiKey() {
      return FakeOpenAiServer.API_KEY;
    }

    @Override
    public void nextMidStreamError(List<String> tokensBefore, String message) {
      server.next(FakeOpenAiServer.midStreamError(tokensBefore, message));
    }

    @Override
    public void nextCutStream(List<String> tokensBefore) {
      server.next(FakeOpenAiServer.cut(tokensBefore));
    }

    @Override
    public void nextStall() {
      server.next(FakeOpenAiServer.tokensThenHold(List.of()));
    }

    @Override
    public void nextTokensThenStall(List<String> tokens) {
      server.next(FakeOpenAiServer.tokensThenHold(tokens));
    }

    @Override
    public LlmProvider unreachableProvider() {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return newProvider(vertx, "http://127.0.0.1:" + port + "/v1");
    }

    @Override
    public Future<Void> clientClosed(Duration within) {
      return server.clientClosed(within);
    }

    @Override
    public JsonNode lastRequestBody() {
      return server.lastBody;
    }

    /** OpenAI's shape: assistant tool_calls with arguments as a JSON string, then role "tool". */
    @Override
    public void verifyToolRoundTrip(JsonNode body, ToolCall call, String result) {
      JsonNode messages = body.path("messages");
      JsonNode assistant = messages.get(1);
      assertEquals("assistant", assistant.path("role").asText());
      JsonNode tc = assistant.path("tool_calls").get(0);
      assertEquals(call.id(), tc.path("id").asText());
      assertEquals("function", tc.path("type").asText());
      assertEquals(call.name(), tc.path("function").path("name").asText());
      JsonNode arguments = tc.path("function").path("arguments");
      assertTrue(arguments.isTextual(), "arguments must be a JSON string: " + arguments);
      assertEquals(json("{\"city\":\"Paris\",\"days\":2}"), json(arguments.asText()));
      JsonNode tool = messages.get(2);
      assertEquals("tool", tool.path("role").asText());
      assertEquals(call.id(), tool.path("tool_call_id").asText());
      assertEquals(result, tool.path("content").asText());
    }

    @Override
    public Future<Void> close() {
      return provider.close().eventually(server::close);
    }
  }
}

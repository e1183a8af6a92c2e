package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.ErrorKind;
import core.llm.common.ToolCall;
import core.llm.providers.base.ConformanceFixture;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ProviderConformanceTest;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.RecordedRequest;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/** The shared provider suite against {@link OllamaProvider} talking to the fake Ollama server. */
class OllamaConformanceTest extends ProviderConformanceTest {
  private static final String MODEL = "llama3.2:latest";

  @Override
  protected ConformanceFixture createFixture(Vertx vertx) {
    FakeOllamaServer server = FakeOllamaServer.start(vertx).await();
    server.addModel(
        FakeModel.named(MODEL).capabilities("completion", "tools", "vision").reply("Hello"));
    server.addModel(FakeModel.embedding("nomic-embed-text"));
    return new OllamaFixture(vertx, server);
  }

  static OllamaProvider newProvider(Vertx vertx, String baseUrl) {
    OllamaClientOptions options =
        new OllamaClientOptions()
            .setName("ollama-test")
            .setBaseUrl(baseUrl)
            .setConnectTimeout(Duration.ofSeconds(2))
            .setFirstByteTimeout(Duration.ofSeconds(5))
            .setIdleTimeout(Duration.ofSeconds(5));
    return new OllamaProvider("ollama-test", OllamaClient.create(vertx, options));
  }

  /** Scripts the fake server in Ollama's NDJSON. */
  static final class OllamaFixture implements ConformanceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Vertx vertx;
    private final FakeOllamaServer server;
    private final OllamaProvider provider;

    OllamaFixture(Vertx vertx, FakeOllamaServer server) {
      this.vertx = vertx;
      this.server = server;
      this.provider = newProvider(vertx, server.baseUrl());
    }

    @Override
    public LlmProvider provider() {
      return provider;
    }

    @Override
    public String chatModel() {
      return MODEL;
    }

    @Override
    public String embeddingModel() {
      return "nomic-embed-text";
    }

    private static Script tokens(List<String> tokens) {
      Script script = Script.create();
      tokens.forEach(t -> script.line(Chunks.chatChunk(MODEL, t)));
      return script;
    }

    @Override
    public void nextReplyTokens(List<String> tokens, int promptTokens, int completionTokens) {
      JsonObject metrics =
          Chunks.metrics()
              .put("prompt_eval_count", promptTokens)
              .put("eval_count", completionTokens);
      server.script(
          "/api/chat", tokens(tokens).line(Chunks.chatFinal(MODEL, "", "stop", metrics)).end());
    }

    @Override
    public void nextReplyToolCall(String id, String name, String argumentsJson) {
      JsonArray calls =
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("id", id)
                      .put(
                          "function",
                          new JsonObject()
                              .put("index", 0)
                              .put("name", name)
                              .put("arguments", new JsonObject(argumentsJson))));
      server.script(
          "/api/chat", Script.create().line(Chunks.chatFinalWithTools(MODEL, calls)).end());
    }

    @Override
    public void nextReplyText(String text) {
      nextReplyTokens(List.of(text), 10, 5);
    }

    @Override
    public void nextFailure(ErrorKind kind) {
      Script script =
          switch (kind) {
            case NOT_FOUND -> Script.jsonError(404, "model '" + MODEL + "' not found");
            case UNAUTHORIZED ->
                Script.json(
                    401,
                    "{\"error\":\"unauthorized\",\"signin_url\":\"https://ollama.com/connect?name=x\"}");
            case RATE_LIMITED ->
                Script.create()
                    .status(429)
                    .header("Content-Type", "application/json")
                    .header("Retry-After", "7")
                    .raw("{\"error\":\"too many requests\"}")
                    .end();
            case OVERLOADED ->
                Script.jsonError(
                    503, "server busy, please try again.  maximum pending requests exceeded");
            case CONTEXT_TOO_LONG ->
                Script.jsonError(
                    400,
                    "the prompt is longer than the context length currently available to the model");
            case BAD_REQUEST -> Script.jsonError(400, "invalid think value: \"bogus\"");
            default ->
                Script.jsonError(
                    500,
                    "model runner has unexpectedly stopped, this may be due to resource limitations");
          };
      server.script("/api/chat", script);
      server.script("/api/embed", script);
    }

    @Override
    public void nextMidStreamError(List<String> tokensBefore, String message) {
      server.script("/api/chat", tokens(tokensBefore).line(Chunks.errorLine(message)).end());
    }

    @Override
    public void nextCutStream(List<String> tokensBefore) {
      server.script("/api/chat", tokens(tokensBefore).end());
    }

    @Override
    public void nextStall() {
      server.script("/api/chat", Script.create().delayHeaders(60_000).end());
    }

    @Override
    public void nextTokensThenStall(List<String> tokens) {
      server.script("/api/chat", tokens(tokens).delay(60_000).end());
    }

    @Override
    public Future<Void> clientClosed(Duration within) {
      return server
          .awaitClientClose()
          .timeout(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public JsonNode lastRequestBody() {
      List<RecordedRequest> requests = server.requests();
      if (requests.isEmpty()) {
        return null;
      }
      try {
        return JSON.readTree(requests.get(requests.size() - 1).bodyText());
      } catch (Exception e) {
        return null;
      }
    }

    @Override
    public LlmProvider unreachableProvider() {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return newProvider(vertx, "http://127.0.0.1:" + port);
    }

    @Override
    public void verifyToolRoundTrip(JsonNode body, ToolCall call, String result) {
      JsonNode messages = body.get("messages");
      JsonNode assistant = messages.get(messages.size() - 2);
      assertEquals("assistant", assistant.get("role").asText());
      JsonNode wireCall = assistant.get("tool_calls").get(0);
      assertEquals(call.id(), wireCall.get("id").asText());
      assertTrue(
          wireCall.get("function").get("arguments").isObject(), "arguments travel as an object");
      JsonNode tool = messages.get(messages.size() - 1);
      assertEquals("tool", tool.get("role").asText());
      assertEquals(call.id(), tool.get("tool_call_id").asText());
      assertEquals(call.name(), tool.get("tool_name").asText());
      assertEquals(result, tool.get("content").asText());
    }

    @Override
    public Duration expectedRetryAfter() {
      return Duration.ofSeconds(7);
    }

    @Override
    public Future<Void> close() {
      return provider.close().eventually(server::close);
    }
  }
}

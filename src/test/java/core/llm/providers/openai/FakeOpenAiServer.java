package core.llm.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A local OpenAI-compatible server scripted from the public API reference: chat completions (JSON
 * or SSE {@code data: {...}} events ending with {@code data: [DONE]}), embeddings, models, and
 * {@code {"error":{"message","type","code"}}} error bodies. Serves under {@code /v1} and checks the
 * bearer key. Each scripted reply answers the next chat request.
 */
final class FakeOpenAiServer {
  static final String API_KEY = "sk-test-0123456789abcdefSECRET";
  static final String MODEL = "gpt-test";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One scripted answer: writes to the response; {@code stream} is the request's stream flag. */
  interface Reply {
    void send(FakeOpenAiServer server, HttpServerResponse response, boolean stream);
  }

  private final Vertx vertx;
  private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
  private final Promise<Void> held = Promise.promise();
  private HttpServer server;
  volatile JsonNode lastBody;
  volatile MultiMap lastHeaders;
  volatile String lastPath;

  FakeOpenAiServer(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Integer> start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  void next(Reply reply) {
    script.add(reply);
  }

  /** Completes when the client closes the connection of a response this server is holding open. */
  Future<Void> clientClosed(Duration within) {
    return held.future().timeout(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            body -> {
              lastPath = req.path();
              lastHeaders = req.headers();
              if (body.length() > 0) {
                try {
                  lastBody = JSON.readTree(body.getBytes());
                } catch (Exception e) {
                  lastBody = null;
                }
              }
              HttpServerResponse resp = req.response();
              if (!("Bearer " + API_KEY).equals(req.getHeader("Authorization"))) {
                error(
                    resp,
                    401,
                    Map.of(),
                    "invalid_request_error",
                    "invalid_api_key",
                    "Incorrect API key provided.");
                return;
              }
              switch (req.path()) {
                case "/v1/chat/completions" -> {
                  Reply reply = script.poll();
                  if (reply == null) {
                    reply = tokens(List.of("ok"), 1, 1);
                  }
                  reply.send(
                      this, resp, lastBody != null && lastBody.path("stream").asBoolean(false));
                }
                case "/v1/embeddings" -> embeddings(resp);
                case "/v1/models" ->
                    json(
                        resp,
                        200,
                        "{\"object\":\"list\",\"data\":[{\"id\":\""
                            + MODEL
                            + "\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"test\"}]}");
                default -> resp.setStatusCode(404).end("404 page not found");
              }
            });
  }

  // ---- scripted replies ----

  static Reply tokens(List<String> tokens, int prompt, int completion) {
    return (server, resp, stream) -> {
      if (!stream) {
        ObjectNode message =
            JSON.createObjectNode()
                .put("role", "assistant")
                .put("content", String.join("", tokens));
        json(resp, 200, completion(message, "stop", prompt, completion).toString());
        return;
      }
      sse(resp);
      tokens.forEach(t -> data(resp, chunk(JSON.createObjectNode().put("content", t), null)));
      data(resp, chunk(JSON.createObjectNode(), "stop"));
      data(resp, usageChunk(prompt, completion));
      resp.end("data: [DONE]\n\n");
    };
  }

  /** Reasoning first (as {@code reasoning_content}), then content. */
  static Reply thinking(String reasoning, String content) {
    return (server, resp, stream) -> {
      sse(resp);
      data(resp, chunk(JSON.createObjectNode().put("reasoning_content", reasoning), null));
      data(resp, chunk(JSON.createObjectNode().put("content", content), "stop"));
      resp.end("data: [DONE]\n\n");
    };
  }

  /** A tool call; streamed as OpenAI does: id and name first, the arguments in three fragments. */
  static Reply toolCall(String id, String name, String arguments) {
    return (server, resp, stream) -> {
      if (!stream) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").putNull("content");
        ObjectNode call =
            message.putArray("tool_calls").addObject().put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        json(resp, 200, completion(message, "tool_calls", 20, 10).toString());
        return;
      }
      sse(resp);
      ObjectNode first = JSON.createObjectNode();
      ObjectNode head =
          first
              .putArray("tool_calls")
              .addObject()
              .put("index", 0)
              .put("id", id)
              .put("type", "function");
      head.putObject("function").put("name", name).put("arguments", "");
      data(resp, chunk(first, null));
      int third = Math.max(1, arguments.length() / 3);
      for (int i = 0; i < arguments.length(); i += third) {
        ObjectNode delta = JSON.createObjectNode();
        delta
            .putArray("tool_calls")
            .addObject()
            .put("index", 0)
            .putObject("function")
            .put("arguments", arguments.substring(i, Math.min(arguments.length(), i + third)));
        data(resp, chunk(delta, null));
      }
      data(resp, chunk(JSON.createObjectNode(), "tool_calls"));
      data(resp, usageChunk(20, 10));
      resp.end("data: [DONE]\n\n");
    };
  }

  static Reply failure(
      int status, Map<String, String> headers, String type, String code, String message) {
    return (server, resp, stream) -> error(resp, status, headers, type, code, message);
  }

  static Reply midStreamError(List<String> tokens, String message) {
    return (server, resp, stream) -> {
      sse(resp);
      tokens.forEach(t -> data(resp, chunk(JSON.createObjectNode().put("content", t), null)));
      ObjectNode err = JSON.createObjectNode();
      err.putObject("error").put("message", message).put("type", "server_error").putNull("code");
      data(resp, err);
      resp.end();
    };
  }

  static Reply cut(List<String> tokens) {
    return (server, resp, stream) -> {
      sse(resp);
      tokens.forEach(t -> data(resp, chunk(JSON.createObjectNode().put("content", t), null)));
      resp.end();
    };
  }

  static Reply tokensThenHold(List<String> tokens) {
    return (server, resp, stream) -> {
      resp.closeHandler(v -> server.held.tryComplete());
      if (!tokens.isEmpty()) {
        sse(resp);
        tokens.forEach(t -> data(resp, chunk(JSON.createObjectNode().put("content", t), null)));
      }
    };
  }

  /** A raw SSE body, written as is (for malformed-stream tests). */
  static Reply rawSse(String body) {
    return (server, resp, stream) -> {
      sse(resp);
      resp.end(body);
    };
  }

  // ---- wire helpers ----

  private void embeddings(HttpServerResponse resp) {
    ArrayNode input = (ArrayNode) lastBody.path("input");
    int dims = lastBody.path("dimensions").asInt(8);
    ObjectNode root =
        JSON.createObjectNode().put("object", "list").put("model", lastBody.path("model").asText());
    ArrayNode data = root.putArray("data");
    for (int i = input.size() - 1; i >= 0; i--) { // reversed on purpose: clients must sort by index
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode v = item.putArray("embedding");
      SplittableRandom random = new SplittableRandom(input.get(i).asText().hashCode());
      for (int j = 0; j < dims; j++) {
        v.add(random.nextDouble(-1, 1));
      }
    }
    root.putObject("usage").put("prompt_tokens", input.size()).put("total_tokens", input.size());
    json(resp, 200, root.toString());
  }

  private static ObjectNode completion(
      ObjectNode message, String finish, int prompt, int completion) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "chatcmpl-1")
            .put("object", "chat.completion")
            .put("created", 1700000000)
            .put("model", MODEL);
    root.putArray("choices")
        .addObject()
        .put("index", 0)
        .<ObjectNode>set("message", message)
        .put("finish_reason", finish);
    root.putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    return root;
  }

  private static ObjectNode chunk(ObjectNode delta, String finish) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "chatcmpl-1")
            .put("object", "chat.completion.chunk")
            .put("created", 1700000000)
            .put("model", MODEL);
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    root.putNull("usage");
    return root;
  }

  private static ObjectNode usageChunk(int prompt, int completion) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "chatcmpl-1")
            .put("object", "chat.completion.chunk")
            .put("created", 1700000000)
            .put("model", MODEL);
    root.putArray("choices");
    root.putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    return root;
  }

  private static void sse(HttpServerResponse resp) {
    resp.setChunked(true).putHeader("Content-Type", "text/event-stream");
  }

  private static void data(HttpServerResponse resp, JsonNode event) {
    resp.write(Buffer.buffer("data: " + event + "\n\n"));
  }

  private static void json(HttpServerResponse resp, int status, String body) {
    resp.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  private static void error(
      HttpServerResponse resp,
      int status,
      Map<String, String> headers,
      String type,
      String code,
      String message) {
    ObjectNode err = JSON.createObjectNode();
    ObjectNode e =
        err.putObject("error").put("message", message).put("type", type).putNull("param");
    if (code == null) {
      e.putNull("code");
    } else {
      e.put("code", code);
    }
    headers.forEach(resp::putHeader);
    json(resp, status, err.toString());
  }
}

package core.llm.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A scripted Anthropic Messages API on 127.0.0.1, written from the public API reference: JSON
 * replies, SSE streams ({@code message_start ... message_stop} with {@code ping}s), error bodies
 * {@code {"type":"error","error":{...}}}, plus misbehaviour (mid-stream error event, cut stream,
 * stall without headers, streams held open). Records every request and sees client closes.
 *
 * <p>Each script answers the next request; {@code /v1/models} and {@code count_tokens} take only
 * scripts meant for any endpoint (failures), and otherwise answer a default.
 */
final class FakeAnthropicServer {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "claude-fake-1";

  /** A request as it arrived. */
  record Recorded(String method, String path, MultiMap headers, JsonNode body) {}

  /** One scripted reply. */
  interface Script {
    void reply(HttpServerRequest req, JsonNode body, HttpServerResponse resp);

    /** Whether this script may answer requests other than /v1/messages. */
    default boolean anyEndpoint() {
      return false;
    }
  }

  private final Vertx vertx;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Script> scripts = new ConcurrentLinkedDeque<>();
  private final Map<HttpConnection, Integer> requestsPerConnection = new ConcurrentHashMap<>();
  private volatile Hold held = new Hold();
  private final List<Map.Entry<Integer, Promise<Void>>> requestWaiters =
      new CopyOnWriteArrayList<>();
  private volatile List<JsonObject> models = List.of(new JsonObject().put("id", MODEL));
  private HttpServer server;

  private FakeAnthropicServer(Vertx vertx) {
    this.vertx = vertx;
  }

  static Future<FakeAnthropicServer> start(Vertx vertx) {
    FakeAnthropicServer fake = new FakeAnthropicServer(vertx);
    fake.server =
        vertx
            .createHttpServer()
            .connectionHandler(fake::onConnection)
            .requestHandler(fake::onRequest);
    return fake.server.listen(0, "127.0.0.1").map(s -> fake);
  }

  int port() {
    return server.actualPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  Future<Void> close() {
    return server.close();
  }

  List<Recorded> requests() {
    return requests;
  }

  Recorded last() {
    return requests.isEmpty() ? null : requests.get(requests.size() - 1);
  }

  /**
   * Completes once {@code n} requests have arrived in all (full body read). Counting, not "the next
   * one": a request that arrives before the test asks still counts.
   */
  Future<Void> awaitRequests(int n) {
    Promise<Void> p = Promise.promise();
    requestWaiters.add(Map.entry(n, p));
    signalRequestWaiters();
    return p.future();
  }

  private void signalRequestWaiters() {
    int seen = requests.size();
    for (Map.Entry<Integer, Promise<Void>> w : requestWaiters) {
      if (seen >= w.getKey() && w.getValue().tryComplete()) {
        requestWaiters.remove(w);
      }
    }
  }

  /**
   * Completes when the client closes the connection of the stalled or held-open request. A request
   * cancelled so early that it never reached the server leaves nothing open here either, so if none
   * arrived within the time, that also counts as closed.
   */
  Future<Void> heldClosed(Duration within) {
    Hold h = held;
    return h.closed
        .future()
        .timeout(within.toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> h.arrived ? Future.failedFuture(e) : Future.succeededFuture());
  }

  /** The request the server keeps open: whether it arrived, and when its connection closed. */
  private static final class Hold {
    final Promise<Void> closed = Promise.promise();
    volatile boolean arrived;
  }

  void setModels(List<String> ids) {
    List<JsonObject> list = new ArrayList<>();
    ids.forEach(id -> list.add(new JsonObject().put("id", id).put("type", "model")));
    models = list;
  }

  void script(Script script) {
    scripts.add(script);
  }

  // ---- server side ----

  private void onConnection(HttpConnection connection) {
    requestsPerConnection.put(connection, 0);
    connection.closeHandler(
        v -> {
          Integer seen = requestsPerConnection.remove(connection);
          // Cancelled before the request was written: the close is all the server can see.
          if (seen != null && seen == 0) {
            held.closed.tryComplete();
          }
        });
  }

  private void onRequest(HttpServerRequest req) {
    requestsPerConnection.computeIfPresent(req.connection(), (c, n) -> n + 1);
    req.body()
        .onSuccess(
            buffer -> {
              JsonNode body = null;
              try {
                body = buffer.length() == 0 ? null : JSON.readTree(buffer.getBytes());
              } catch (Exception e) {
                body = JSON.getNodeFactory().textNode(buffer.toString());
              }
              requests.add(new Recorded(req.method().name(), req.uri(), req.headers(), body));
              signalRequestWaiters();
              try {
                route(req, body);
              } catch (RuntimeException e) {
                // A broken script must show up as a failure, not as a silent stall.
                e.printStackTrace();
                req.response().setStatusCode(599).end(String.valueOf(e));
              }
            });
  }

  private void route(HttpServerRequest req, JsonNode body) {
    HttpServerResponse resp = req.response();
    String path = req.path();
    Script head = scripts.peek();
    boolean messages = path.equals("/v1/messages");
    if (head != null && (messages || head.anyEndpoint())) {
      scripts.poll();
      head.reply(req, body, resp);
      return;
    }
    if (path.equals("/v1/models")) {
      json(
          resp,
          200,
          new JsonObject()
              .put("data", new JsonArray(models))
              .put("has_more", false)
              .put("first_id", models.isEmpty() ? null : models.get(0).getString("id"))
              .put(
                  "last_id",
                  models.isEmpty() ? null : models.get(models.size() - 1).getString("id")));
    } else if (path.equals("/v1/messages/count_tokens")) {
      json(resp, 200, new JsonObject().put("input_tokens", 42));
    } else if (messages) {
      tokens(List.of("Hello"), 5, 1).reply(req, body, resp);
    } else {
      error(404, "not_found_error", "Not found: " + path).reply(req, body, resp);
    }
  }

  // ---- scripts ----

  /** Text tokens, as one text block (or an SSE stream of text_delta when asked to stream). */
  static Script tokens(List<String> tokens, int input, int output) {
    return (req, body, resp) -> {
      if (!streaming(body)) {
        JsonArray content =
            new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", String.join("", tokens)));
        json(resp, 200, message(content, "end_turn", input, output));
        return;
      }
      sseHead(resp);
      messageStart(resp, input);
      textEvents(resp, 0, tokens);
      end(resp, "end_turn", output);
    };
  }

  /** One tool_use block; streamed input arrives as input_json_delta fragments cut mid-JSON. */
  static Script toolCall(String id, String name, String argumentsJson) {
    return (req, body, resp) -> {
      JsonObject input = new JsonObject(argumentsJson);
      if (!streaming(body)) {
        JsonArray content =
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "tool_use")
                        .put("id", id)
                        .put("name", name)
                        .put("input", input));
        json(resp, 200, message(content, "tool_use", 20, 10));
        return;
      }
      sseHead(resp);
      messageStart(resp, 20);
      toolEvents(resp, 0, id, name, argumentsJson);
      end(resp, "tool_use", 10);
    };
  }

  /**
   * Thinking blocks (each with its signature; streamed as thinking_delta then signature_delta),
   * then a tool call, as a model with extended thinking answers in a tool-use loop.
   */
  static Script thinkingThenToolCall(
      List<String> thinking,
      List<String> signatures,
      String id,
      String name,
      String argumentsJson) {
    return (req, body, resp) -> {
      if (!streaming(body)) {
        JsonArray content = new JsonArray();
        for (int i = 0; i < thinking.size(); i++) {
          content.add(
              new JsonObject()
                  .put("type", "thinking")
                  .put("thinking", thinking.get(i))
                  .put("signature", signatures.get(i)));
        }
        content.add(
            new JsonObject()
                .put("type", "tool_use")
                .put("id", id)
                .put("name", name)
                .put("input", new JsonObject(argumentsJson)));
        json(resp, 200, message(content, "tool_use", 20, 10));
        return;
      }
      sseHead(resp);
      messageStart(resp, 20);
      for (int i = 0; i < thinking.size(); i++) {
        event(
            resp,
            "content_block_start",
            new JsonObject()
                .put("type", "content_block_start")
                .put("index", i)
                .put(
                    "content_block",
                    new JsonObject()
                        .put("type", "thinking")
                        .put("thinking", "")
                        .put("signature", "")));
        String t = thinking.get(i);
        for (String part : List.of(t.substring(0, t.length() / 2), t.substring(t.length() / 2))) {
          event(
              resp,
              "content_block_delta",
              new JsonObject()
                  .put("type", "content_block_delta")
                  .put("index", i)
                  .put(
                      "delta",
                      new JsonObject().put("type", "thinking_delta").put("thinking", part)));
        }
        event(
            resp,
            "content_block_delta",
            new JsonObject()
                .put("type", "content_block_delta")
                .put("index", i)
                .put(
                    "delta",
                    new JsonObject()
                        .put("type", "signature_delta")
                        .put("signature", signatures.get(i))));
        event(
            resp,
            "content_block_stop",
            new JsonObject().put("type", "content_block_stop").put("index", i));
      }
      toolEvents(resp, thinking.size(), id, name, argumentsJson);
      end(resp, "tool_use", 10);
    };
  }

  /**
   * This text as the answer. If the request forces a tool (structured output) and the text is a
   * JSON object, it becomes that tool's input, as the real API does; otherwise a text block.
   */
  static Script text(String text) {
    return (req, body, resp) -> {
      JsonNode choice = body == null ? null : body.path("tool_choice");
      boolean forced = choice != null && "tool".equals(choice.path("type").asText());
      boolean object = text.trim().startsWith("{") && isJson(text);
      if (forced && object) {
        toolCall("toolu_fake_respond", choice.path("name").asText(), text).reply(req, body, resp);
      } else {
        tokens(List.of(text), 12, 3).reply(req, body, resp);
      }
    };
  }

  /** An error status with Anthropic's error body, and optional headers. */
  static Script error(int status, String type, String message, String... headers) {
    return new Script() {
      @Override
      public void reply(HttpServerRequest req, JsonNode body, HttpServerResponse resp) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
          resp.putHeader(headers[i], headers[i + 1]);
        }
        json(
            resp,
            status,
            new JsonObject()
                .put("type", "error")
                .put("error", new JsonObject().put("type", type).put("message", message))
                .put("request_id", "req_fake"));
      }

      @Override
      public boolean anyEndpoint() {
        return true;
      }
    };
  }

  /** Tokens, then {@code event: error} with this type and message, then the body ends. */
  static Script midStreamError(List<String> tokens, String type, String message) {
    return (req, body, resp) -> {
      sseHead(resp);
      messageStart(resp, 7);
      if (!tokens.isEmpty()) {
        textEvents(resp, 0, tokens);
      }
      event(
          resp,
          "error",
          new JsonObject()
              .put("type", "error")
              .put("error", new JsonObject().put("type", type).put("message", message)));
      resp.end();
    };
  }

  /** Tokens, then a clean end of the body without message_stop. */
  static Script cut(List<String> tokens) {
    return (req, body, resp) -> {
      sseHead(resp);
      messageStart(resp, 7);
      textEvents(resp, 0, tokens);
      resp.end();
    };
  }

  /** Tokens, then the stream stays open (no end) until the client closes it. */
  Script openStream(List<String> tokens) {
    armHold();
    return (req, body, resp) -> {
      hold(resp);
      sseHead(resp);
      messageStart(resp, 7);
      textEvents(resp, 0, tokens);
    };
  }

  /** No reply at all, not even headers, until the client closes the connection. */
  Script stall() {
    armHold();
    return new Script() {
      @Override
      public void reply(HttpServerRequest req, JsonNode body, HttpServerResponse resp) {
        hold(resp);
      }

      @Override
      public boolean anyEndpoint() {
        return true;
      }
    };
  }

  /** The connection is closed as soon as the request arrives (a crash, a proxy reset). */
  static Script dropConnection() {
    return new Script() {
      @Override
      public void reply(HttpServerRequest req, JsonNode body, HttpServerResponse resp) {
        req.connection().close();
      }

      @Override
      public boolean anyEndpoint() {
        return true;
      }
    };
  }

  /** A raw body with this status and content type, for replies that break the protocol. */
  static Script raw(int status, String contentType, String body) {
    return (req, b, resp) ->
        resp.setStatusCode(status).putHeader("content-type", contentType).end(body);
  }

  /** A fresh close promise for the request about to be held, armed when it is scripted. */
  private void armHold() {
    held = new Hold();
  }

  /** Reports the client's close of a request the server keeps open. */
  private void hold(HttpServerResponse resp) {
    Hold h = held;
    h.arrived = true;
    resp.closeHandler(v -> h.closed.tryComplete());
  }

  // ---- wire helpers ----

  static boolean streaming(JsonNode body) {
    return body != null && body.path("stream").asBoolean(false);
  }

  static JsonObject message(JsonArray content, String stopReason, int input, int output) {
    return new JsonObject()
        .put("id", "msg_fake")
        .put("type", "message")
        .put("role", "assistant")
        .put("model", MODEL)
        .put("content", content)
        .put("stop_reason", stopReason)
        .put("stop_sequence", null)
        .put("usage", new JsonObject().put("input_tokens", input).put("output_tokens", output));
  }

  static void json(HttpServerResponse resp, int status, JsonObject body) {
    resp.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  static void sseHead(HttpServerResponse resp) {
    resp.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream");
  }

  static void event(HttpServerResponse resp, String name, JsonObject data) {
    resp.write("event: " + name + "\ndata: " + data.encode() + "\n\n");
  }

  static void messageStart(HttpServerResponse resp, int input) {
    JsonObject message = message(new JsonArray(), null, input, 1);
    event(
        resp,
        "message_start",
        new JsonObject().put("type", "message_start").put("message", message));
    event(resp, "ping", new JsonObject().put("type", "ping"));
  }

  static void textEvents(HttpServerResponse resp, int index, List<String> tokens) {
    event(
        resp,
        "content_block_start",
        new JsonObject()
            .put("type", "content_block_start")
            .put("index", index)
            .put("content_block", new JsonObject().put("type", "text").put("text", "")));
    for (String t : tokens) {
      event(
          resp,
          "content_block_delta",
          new JsonObject()
              .put("type", "content_block_delta")
              .put("index", index)
              .put("delta", new JsonObject().put("type", "text_delta").put("text", t)));
    }
    event(
        resp,
        "content_block_stop",
        new JsonObject().put("type", "content_block_stop").put("index", index));
  }

  static void toolEvents(HttpServerResponse resp, int index, String id, String name, String args) {
    event(
        resp,
        "content_block_start",
        new JsonObject()
            .put("type", "content_block_start")
            .put("index", index)
            .put(
                "content_block",
                new JsonObject()
                    .put("type", "tool_use")
                    .put("id", id)
                    .put("name", name)
                    .put("input", new JsonObject())));
    List<String> fragments = new ArrayList<>();
    fragments.add(""); // the API opens with an empty fragment
    int third = Math.max(1, args.length() / 3);
    for (int i = 0; i < args.length(); i += third) {
      fragments.add(args.substring(i, Math.min(args.length(), i + third)));
    }
    for (String f : fragments) {
      event(
          resp,
          "content_block_delta",
          new JsonObject()
              .put("type", "content_block_delta")
              .put("index", index)
              .put(
                  "delta",
                  new JsonObject().put("type", "input_json_delta").put("partial_json", f)));
    }
    event(
        resp,
        "content_block_stop",
        new JsonObject().put("type", "content_block_stop").put("index", index));
  }

  static void end(HttpServerResponse resp, String stopReason, int output) {
    event(
        resp,
        "message_delta",
        new JsonObject()
            .put("type", "message_delta")
            .put(
                "delta", new JsonObject().put("stop_reason", stopReason).put("stop_sequence", null))
            .put("usage", new JsonObject().put("output_tokens", output)));
    event(resp, "message_stop", new JsonObject().put("type", "message_stop"));
    resp.end();
  }

  private static boolean isJson(String text) {
    try {
      JSON.readTree(text);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}

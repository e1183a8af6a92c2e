package core.llm.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.FinishReason;
import core.llm.common.ModelInfo;
import core.llm.common.ModelNotFoundException;
import core.llm.common.ToolCall;
import core.llm.common.ToolCallDelta;
import core.llm.common.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** OpenAI's API: chat completions (whole or streamed as SSE), embeddings, the model list. */
final class OpenAiApi implements Api {
  private final GatewayContext ctx;

  OpenAiApi(GatewayContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/chat/completions").handler(ctx.body()).handler(this::chat);
    router.post("/v1/embeddings").handler(ctx.body()).handler(this::embeddings);
    router.get("/v1/models").handler(this::models);
    router.get("/v1/models/:model").handler(this::model);
  }

  private void chat(RoutingContext rc) {
    RequestNotes notes = RequestNotes.of(rc);
    notes.api = "openai";
    Bodies.readTree(rc)
        .compose(
            body -> {
              // parsed before admission: a malformed request is the client's error, not a charge
              CompletionRequest req = OpenAiApiRequests.chat(body);
              notes.model = req.model();
              return ctx.admission
                  .admit(rc, req.model())
                  .map(
                      caller -> {
                        notes.caller = caller;
                        run(rc, body, req);
                        return null;
                      });
            })
        .onFailure(e -> fail(rc, e));
  }

  private void run(RoutingContext rc, JsonNode body, CompletionRequest req) {
    String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    long created = System.currentTimeMillis() / 1000;
    String model = req.model();
    var upstream = ctx.router().chatStream(req);
    var done =
        body.path("stream").asBoolean(false)
            ? Relay.stream(
                ctx,
                rc,
                upstream,
                new OpenAiApiSse(
                    id,
                    created,
                    model,
                    body.path("stream_options").path("include_usage").asBoolean(false)),
                OpenAiApi::fail)
            : Relay.whole(
                ctx,
                rc,
                upstream,
                r -> Bodies.json(completion(id, created, model, r)),
                OpenAiApi::fail);
    done.onSuccess(r -> ctx.charge(rc, r.provider(), r.usage()));
  }

  static ObjectNode completion(String id, long created, String model, CompletionResult r) {
    ObjectNode o = envelope(id, "chat.completion", created, model);
    ObjectNode choice = o.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode msg = choice.putObject("message");
    msg.put("role", "assistant");
    ChatMessage m = r.message();
    List<ToolCall> calls = m == null ? List.of() : m.toolCalls();
    String content = m == null ? "" : m.content();
    // OpenAI sends content null beside tool calls with no text
    if (content.isEmpty() && !calls.isEmpty()) {
      msg.putNull("content");
    } else {
      msg.put("content", content);
    }
    if (m != null && m.thinking() != null && !m.thinking().isEmpty()) {
      msg.put(REASONING, m.thinking());
    }
    if (!calls.isEmpty()) {
      ArrayNode tc = msg.putArray("tool_calls");
      for (int i = 0; i < calls.size(); i++) {
        ToolCall c = calls.get(i);
        ObjectNode t = tc.addObject();
        t.put("id", c.id() != null ? c.id() : "call_" + i);
        t.put("type", "function");
        ObjectNode f = t.putObject("function");
        f.put("name", c.name());
        f.put(
            "arguments", Bodies.json(c.arguments() == null ? Map.of() : c.arguments()).toString());
      }
    }
    choice.put("finish_reason", finish(r.finishReason(), !calls.isEmpty()));
    o.set("usage", usage(r.usage()));
    return o;
  }

  /**
   * Where the model's reasoning goes in a message or a delta: not in OpenAI's own API (its models
   * keep it hidden), but the field vLLM, llama.cpp and DeepSeek use and the clients built on them
   * read. An OpenAI SDK passes unknown fields through, so a plain client loses nothing.
   */
  static final String REASONING = "reasoning_content";

  static ObjectNode envelope(String id, String object, long created, String model) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    o.put("id", id);
    o.put("object", object);
    o.put("created", created);
    o.put("model", model);
    return o;
  }

  static String finish(FinishReason f, boolean toolCalls) {
    if (f == null) {
      return toolCalls ? "tool_calls" : "stop";
    }
    return switch (f) {
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      default -> toolCalls ? "tool_calls" : "stop";
    };
  }

  static ObjectNode usage(Usage u) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    int p = u == null || u.promptTokens() == null ? 0 : u.promptTokens();
    int c = u == null || u.completionTokens() == null ? 0 : u.completionTokens();
    o.put("prompt_tokens", p);
    o.put("completion_tokens", c);
    o.put("total_tokens", p + c);
    return o;
  }

  private void embeddings(RoutingContext rc) {
    RequestNotes notes = RequestNotes.of(rc);
    notes.api = "openai";
    Bodies.readTree(rc)
        .compose(
            body -> {
              String model = OpenAiApiRequests.text(body, "model", true);
              List<String> inputs = OpenAiApiRequests.strings(body.get("input"), "input");
              String format = body.path("encoding_format").asText("float");
              if (!format.equals("float") && !format.equals("base64")) {
                throw OpenAiApiRequests.bad("encoding_format must be float or base64");
              }
              Integer dims = body.hasNonNull("dimensions") ? body.get("dimensions").asInt() : null;
              notes.model = model;
              return ctx.admission
                  .admit(rc, model)
                  .compose(
                      caller -> {
                        notes.caller = caller;
                        return Relay.reply(
                                rc,
                                ctx.router().embed(new EmbeddingRequest(model, inputs, dims)),
                                r -> Bodies.json(embeddingList(model, r, format.equals("base64"))),
                                OpenAiApi::fail)
                            .onSuccess(r -> ctx.charge(rc, r.provider(), r.usage()));
                      });
            })
        .onFailure(e -> fail(rc, e));
  }

  private static ObjectNode embeddingList(String model, EmbeddingResult r, boolean base64) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    for (int i = 0; i < r.vectors().size(); i++) {
      float[] v = r.vectors().get(i);
      ObjectNode e = data.addObject();
      e.put("object", "embedding");
      e.put("index", i);
      if (base64) {
        // OpenAI's base64 form: the float32 values, little-endian
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
          b.putFloat(f);
        }
        e.put("embedding", Base64.getEncoder().encodeToString(b.array()));
      } else {
        ArrayNode a = e.putArray("embedding");
        for (float f : v) {
          a.add(f);
        }
      }
    }
    o.put("model", model);
    ObjectNode u = o.putObject("usage");
    int p = r.usage() == null || r.usage().promptTokens() == null ? 0 : r.usage().promptTokens();
    u.put("prompt_tokens", p);
    u.put("total_tokens", p);
    return o;
  }

  private void models(RoutingContext rc) {
    // both OpenAI and Anthropic list models at GET /v1/models: the header tells them apart
    if (rc.request().getHeader("anthropic-version") != null) {
      rc.next();
      return;
    }
    RequestNotes notes = RequestNotes.of(rc);
    notes.api = "openai";
    ctx.admission
        .admit(rc, null)
        .onSuccess(
            caller -> {
              notes.caller = caller;
              Relay.reply(rc, ctx.router().listModels(), OpenAiApi::modelList, OpenAiApi::fail);
            })
        .onFailure(e -> fail(rc, e));
  }

  /**
   * {@code GET /v1/models/{model}}: one entry of the list, or OpenAI's 404 for a model not served.
   */
  private void model(RoutingContext rc) {
    if (rc.request().getHeader("anthropic-version") != null) {
      rc.next();
      return;
    }
    RequestNotes notes = RequestNotes.of(rc);
    notes.api = "openai";
    String id = rc.pathParam("model");
    notes.model = id;
    ctx.admission
        .admit(rc, null)
        .onSuccess(
            caller -> {
              notes.caller = caller;
              Relay.reply(
                  rc,
                  ctx.router().listModels().map(all -> served(all, id)),
                  m -> Bodies.json(modelEntry(m, System.currentTimeMillis() / 1000)),
                  OpenAiApi::fail);
            })
        .onFailure(e -> fail(rc, e));
  }

  /** The listed model named {@code id}; fails with NOT_FOUND when no provider serves it. */
  static ModelInfo served(List<ModelInfo> all, String id) {
    return all.stream()
        .filter(m -> m.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new ModelNotFoundException(
                    "model " + id + " is not served here; GET /v1/models lists what is",
                    ErrorContext.NONE));
  }

  private static ObjectNode modelEntry(ModelInfo m, long created) {
    ObjectNode e = Bodies.JSON.createObjectNode();
    e.put("id", m.id());
    e.put("object", "model");
    e.put("created", created);
    e.put("owned_by", m.provider());
    return e;
  }

  private static Buffer modelList(List<ModelInfo> models) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    long created = System.currentTimeMillis() / 1000;
    for (ModelInfo m : models) {
      data.add(modelEntry(m, created));
    }
    return Bodies.json(o);
  }

  /** The error body of OpenAI's API, for every failure before the answer's first byte. */
  static void fail(RoutingContext rc, Throwable failure) {
    GatewayErrors.respond(rc, failure, OpenAiApi::error);
  }

  static ObjectNode error(Throwable failure, int status) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("message", GatewayErrors.message(failure));
    e.put("type", errorType(status));
    e.putNull("param");
    if (status == 404 && GatewayErrors.kind(failure) == ErrorKind.NOT_FOUND) {
      e.put("code", "model_not_found");
    } else {
      e.putNull("code");
    }
    return o;
  }

  private static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /** The SSE framing of a streamed chat completion, as OpenAI writes it. */
  static final class OpenAiApiSse
      implements Relay.StreamEncoder<CompletionDelta, CompletionResult> {
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private boolean roleSent;
    private boolean sawTools;

    OpenAiApiSse(String id, long created, String model, boolean includeUsage) {
      this.id = id;
      this.created = created;
      this.model = model;
      this.includeUsage = includeUsage;
    }

    @Override
    public void head(HttpServerResponse response) {
      response.putHeader("content-type", "text/event-stream");
      response.putHeader("cache-control", "no-cache");
    }

    @Override
    public Buffer chunk(CompletionDelta d) {
      boolean hasText = !d.content().isEmpty();
      boolean hasThinking = !d.thinking().isEmpty();
      boolean hasTools = !d.toolCalls().isEmpty();
      if (!hasText && !hasThinking && !hasTools && roleSent) {
        return null; // usage-only deltas: the usage goes in the last chunk
      }
      ObjectNode o = envelope(id, "chat.completion.chunk", created, model);
      ObjectNode choice = o.putArray("choices").addObject();
      choice.put("index", 0);
      ObjectNode delta = choice.putObject("delta");
      if (!roleSent) {
        delta.put("role", "assistant");
        roleSent = true;
      }
      if (hasText) {
        delta.put("content", d.content());
      }
      if (hasThinking) {
        delta.put(REASONING, d.thinking());
      }
      if (hasTools) {
        sawTools = true;
        ArrayNode tc = delta.putArray("tool_calls");
        for (ToolCallDelta t : d.toolCalls()) {
          ObjectNode c = tc.addObject();
          c.put("index", t.index());
          if (t.id() != null) {
            c.put("id", t.id());
            c.put("type", "function");
          }
          ObjectNode f = c.putObject("function");
          if (t.name() != null) {
            f.put("name", t.name());
          }
          f.put("arguments", t.argumentsFragment() == null ? "" : t.argumentsFragment());
        }
      }
      choice.putNull("finish_reason");
      return sse(o);
    }

    @Override
    public Buffer end(CompletionResult r) {
      ObjectNode o = envelope(id, "chat.completion.chunk", created, model);
      ObjectNode choice = o.putArray("choices").addObject();
      choice.put("index", 0);
      ObjectNode delta = choice.putObject("delta");
      if (!roleSent) {
        delta.put("role", "assistant");
      }
      boolean tools = sawTools || (r.message() != null && !r.message().toolCalls().isEmpty());
      choice.put("finish_reason", finish(r.finishReason(), tools));
      Buffer out = sse(o);
      if (includeUsage) {
        ObjectNode u = envelope(id, "chat.completion.chunk", created, model);
        u.putArray("choices");
        u.set("usage", usage(r.usage()));
        out.appendBuffer(sse(u));
      }
      return out.appendString("data: [DONE]\n\n");
    }

    @Override
    public Buffer error(Throwable failure) {
      return sse(OpenAiApi.error(failure, GatewayErrors.status(failure)));
    }

    private static Buffer sse(Object o) {
      return Buffer.buffer("data: ").appendBuffer(Bodies.json(o)).appendString("\n\n");
    }
  }
}

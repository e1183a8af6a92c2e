package core.llm.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.ErrorKind;
import core.llm.common.FinishReason;
import core.llm.common.ModelInfo;
import core.llm.common.ToolCall;
import core.llm.common.ToolCallDelta;
import core.llm.common.Usage;
import core.llm.factory.ServiceUnavailableException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Anthropic's Messages API: {@code /v1/messages} (whole, or streamed as Anthropic's server-sent
 * events), {@code /v1/messages/count_tokens}, and the model list, which shares {@code GET
 * /v1/models} with OpenAI's and is told apart by the {@code anthropic-version} header every
 * Anthropic client sends. Mounted after {@link OpenAiApi}, which passes such requests on.
 */
final class AnthropicApi implements Api {
  /** Anthropic's default page of models. */
  private static final int DEFAULT_MODEL_PAGE = 20;

  /** Anthropic's largest page of models. */
  private static final int MAX_MODEL_PAGE = 1000;

  /** What a listing shows as created_at: the gateway knows no release date for a model. */
  private static final String UNKNOWN_CREATED_AT = "1970-01-01T00:00:00Z";

  private final GatewayContext ctx;

  AnthropicApi(GatewayContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/messages").handler(ctx.body()).handler(this::messages);
    router.post("/v1/messages/count_tokens").handler(ctx.body()).handler(this::countTokens);
    router.get("/v1/models").handler(this::models);
    router.get("/v1/models/:model").handler(this::model);
  }

  private void messages(RoutingContext rc) {
    admitted(
        rc,
        AnthropicApiRequests::messages,
        (body, req) -> run(rc, body.path("stream").asBoolean(false), req));
  }

  /**
   * Reads the body as {@code parse} says, admits the caller for its model, then calls {@code then};
   * any failure on the way is Anthropic's error. Parsed before admission: a malformed request is
   * the client's error, not a charge.
   */
  private void admitted(
      RoutingContext rc,
      Function<JsonNode, CompletionRequest> parse,
      BiConsumer<JsonNode, CompletionRequest> then) {
    RequestNotes notes = RequestNotes.of(rc);
    notes.api = "anthropic";
    Bodies.readTree(rc)
        .compose(
            body -> {
              CompletionRequest req = parse.apply(body);
              notes.model = req.model();
              return ctx.admission
                  .admit(rc, req.model())
                  .map(
                      caller -> {
                        notes.caller = caller;
                        then.accept(body, req);
                        return null;
                      });
            })
        .onFailure(e -> fail(rc, e));
  }

  private void run(RoutingContext rc, boolean stream, CompletionRequest req) {
    String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
    String model = req.model();
    var upstream = ctx.router().chatStream(req);
    var done =
        stream
            ? Relay.stream(ctx, rc, upstream, new AnthropicApiSse(id, model), AnthropicApi::fail)
            : Relay.whole(
                ctx, rc, upstream, r -> Bodies.json(message(id, model, r)), AnthropicApi::fail);
    done.onSuccess(r -> ctx.charge(rc, r.provider(), r.usage()));
  }

  /** A whole Message, as {@code POST /v1/messages} answers without {@code stream}. */
  static ObjectNode message(String id, String model, CompletionResult r) {
    ObjectNode o = envelope(id, model);
    ArrayNode content = o.putArray("content");
    ChatMessage m = r.message();
    if (m != null && m.thinking() != null && !m.thinking().isEmpty()) {
      content
          .addObject()
          .put("type", "thinking")
          .put("thinking", m.thinking())
          .put("signature", m.thinkingSignature() == null ? "" : m.thinkingSignature());
    }
    List<ToolCall> calls = m == null ? List.of() : m.toolCalls();
    String text = m == null ? "" : m.content();
    // Anthropic gives no empty text block beside tool calls, and one text block otherwise
    if (!text.isEmpty() || calls.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (int i = 0; i < calls.size(); i++) {
      ToolCall c = calls.get(i);
      ObjectNode t = content.addObject();
      t.put("type", "tool_use");
      t.put("id", toolUseId(c.id(), i));
      t.put("name", c.name());
      t.set("input", Bodies.JSON.valueToTree(c.arguments() == null ? Map.of() : c.arguments()));
    }
    o.put("stop_reason", stopReason(r.finishReason(), !calls.isEmpty()));
    o.putNull("stop_sequence");
    o.set("usage", usage(r.usage(), true));
    return o;
  }

  private static ObjectNode envelope(String id, String model) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    o.put("id", id);
    o.put("type", "message");
    o.put("role", "assistant");
    o.put("model", model);
    return o;
  }

  /** Anthropic's ids of tool calls start with toolu_; back ends that give none get one. */
  private static String toolUseId(String id, int index) {
    return id != null && !id.isEmpty() ? id : "toolu_" + index;
  }

  static String stopReason(FinishReason f, boolean toolCalls) {
    if (toolCalls) {
      return "tool_use";
    }
    if (f == null) {
      return "end_turn";
    }
    return switch (f) {
      case LENGTH -> "max_tokens";
      case TOOL_CALLS -> "tool_use";
      case CONTENT_FILTER -> "refusal";
      default -> "end_turn";
    };
  }

  private static ObjectNode usage(Usage u, boolean withInput) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    if (withInput) {
      o.put("input_tokens", u == null || u.promptTokens() == null ? 0 : u.promptTokens());
    }
    o.put("output_tokens", u == null || u.completionTokens() == null ? 0 : u.completionTokens());
    return o;
  }

  private void countTokens(RoutingContext rc) {
    admitted(
        rc,
        AnthropicApiRequests::countTokens,
        // exact where the back end counts (Anthropic), an estimate elsewhere
        (body, req) ->
            Relay.reply(
                rc,
                ctx.router().countTokens(req),
                c -> Bodies.json(Bodies.JSON.createObjectNode().put("input_tokens", c.tokens())),
                AnthropicApi::fail));
  }

  private void models(RoutingContext rc) {
    RequestNotes notes = RequestNotes.of(rc);
    notes.api = "anthropic";
    int limit;
    try {
      limit = pageSize(rc.request().getParam("limit"));
    } catch (IllegalArgumentException e) {
      fail(rc, AnthropicApiRequests.bad(e.getMessage()));
      return;
    }
    String afterId = rc.request().getParam("after_id");
    String beforeId = rc.request().getParam("before_id");
    ctx.admission
        .admit(rc, null)
        .onSuccess(
            caller -> {
              notes.caller = caller;
              Relay.reply(
                  rc,
                  ctx.router().listModels(),
                  all -> Bodies.json(modelPage(all, limit, afterId, beforeId)),
                  AnthropicApi::fail);
            })
        .onFailure(e -> fail(rc, e));
  }

  private static int pageSize(String limit) {
    if (limit == null) {
      return DEFAULT_MODEL_PAGE;
    }
    try {
      int n = Integer.parseInt(limit);
      if (n >= 1 && n <= MAX_MODEL_PAGE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the same answer as out of range
    }
    throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_MODEL_PAGE);
  }

  /** One page of the model list, with Anthropic's cursor fields (ids are the cursors). */
  static ObjectNode modelPage(List<ModelInfo> all, int limit, String afterId, String beforeId) {
    int from = 0;
    int to = all.size();
    if (afterId != null) {
      from = indexOf(all, afterId) + 1;
    }
    if (beforeId != null) {
      to = Math.max(0, indexOf(all, beforeId));
      from = afterId != null ? from : Math.max(0, to - limit);
    }
    int end = Math.min(to, from + limit);
    List<ModelInfo> page = from >= end ? List.of() : all.subList(from, end);
    ObjectNode o = Bodies.JSON.createObjectNode();
    ArrayNode data = o.putArray("data");
    page.forEach(m -> data.add(modelEntry(m)));
    o.put("has_more", beforeId != null && afterId == null ? from > 0 : end < to);
    if (page.isEmpty()) {
      o.putNull("first_id");
      o.putNull("last_id");
    } else {
      o.put("first_id", page.get(0).id());
      o.put("last_id", page.get(page.size() - 1).id());
    }
    return o;
  }

  /** Where {@code id} is in the list; an unknown cursor is the list's end (an empty page). */
  private static int indexOf(List<ModelInfo> all, String id) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).id().equals(id)) {
        return i;
      }
    }
    return all.size();
  }

  private static ObjectNode modelEntry(ModelInfo m) {
    ObjectNode e = Bodies.JSON.createObjectNode();
    e.put("type", "model");
    e.put("id", m.id());
    e.put("display_name", m.id());
    e.put("created_at", UNKNOWN_CREATED_AT);
    return e;
  }

  /** {@code GET /v1/models/{model}} for Anthropic clients ({@link OpenAiApi} passed it on). */
  private void model(RoutingContext rc) {
    RequestNotes notes = RequestNotes.of(rc);
    notes.api = "anthropic";
    String id = rc.pathParam("model");
    notes.model = id;
    ctx.admission
        .admit(rc, null)
        .onSuccess(
            caller -> {
              notes.caller = caller;
              Relay.reply(
                  rc,
                  ctx.router().listModels().map(all -> OpenAiApi.served(all, id)),
                  m -> Bodies.json(modelEntry(m)),
                  AnthropicApi::fail);
            })
        .onFailure(e -> fail(rc, e));
  }

  /** The error body of Anthropic's API, for every failure before the answer's first byte. */
  static void fail(RoutingContext rc, Throwable failure) {
    GatewayErrors.respond(rc, failure, AnthropicApi::error);
  }

  static ObjectNode error(Throwable failure, int status) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    o.put("type", "error");
    ObjectNode e = o.putObject("error");
    // overloaded_error is a back end saying it is busy; no provider reachable is the gateway's
    boolean busy =
        GatewayErrors.kind(failure) == ErrorKind.OVERLOADED
            && !(failure instanceof ServiceUnavailableException);
    e.put("type", errorType(status, busy));
    e.put("message", GatewayErrors.message(failure));
    return o;
  }

  /** Anthropic's error types, by the status the gateway answers with. */
  private static String errorType(int status, boolean busy) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503 -> busy ? "overloaded_error" : "api_error";
      case 504 -> "timeout_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /**
   * The event stream of a streamed Message, as Anthropic writes it: {@code message_start}, then for
   * each content block (thinking, text, each tool call) {@code content_block_start}, its deltas and
   * {@code content_block_stop}, then {@code message_delta} with the stop reason and usage, and
   * {@code message_stop}. A block is opened when the first delta of its kind arrives and closed
   * when another kind begins: Anthropic's blocks do not interleave.
   */
  static final class AnthropicApiSse
      implements Relay.StreamEncoder<CompletionDelta, CompletionResult> {
    private final String id;
    private final String model;
    private boolean started;
    private int blocks; // blocks opened so far; the open one is blocks - 1
    private String open; // "thinking", "text", "tool_use" or null
    private int thinkingBlock = -1;
    private boolean sawTools;
    private final Map<Integer, Integer> toolBlocks = new HashMap<>(); // tool index -> block index

    AnthropicApiSse(String id, String model) {
      this.id = id;
      this.model = model;
    }

    @Override
    public void head(HttpServerResponse response) {
      response.putHeader("content-type", "text/event-stream");
      response.putHeader("cache-control", "no-cache");
    }

    @Override
    public Buffer chunk(CompletionDelta d) {
      Buffer out = Buffer.buffer();
      start(out);
      if (!d.thinking().isEmpty()) {
        if (!"thinking".equals(open)) {
          thinkingBlock = blocks;
          ObjectNode block = Bodies.JSON.createObjectNode();
          block.put("type", "thinking").put("thinking", "").put("signature", "");
          open(out, "thinking", block);
        }
        delta(out, blocks - 1, "thinking_delta", "thinking", d.thinking());
      }
      if (!d.content().isEmpty()) {
        if (!"text".equals(open)) {
          open(out, "text", Bodies.JSON.createObjectNode().put("type", "text").put("text", ""));
        }
        delta(out, blocks - 1, "text_delta", "text", d.content());
      }
      for (ToolCallDelta t : d.toolCalls()) {
        sawTools = true;
        Integer block = toolBlocks.get(t.index());
        if (block == null) {
          ObjectNode start = Bodies.JSON.createObjectNode();
          start.put("type", "tool_use");
          start.put("id", toolUseId(t.id(), t.index()));
          start.put("name", t.name() == null ? "" : t.name());
          start.putObject("input");
          block = blocks;
          toolBlocks.put(t.index(), block);
          open(out, "tool_use", start);
        }
        String fragment = t.argumentsFragment();
        if (fragment != null && !fragment.isEmpty()) {
          delta(out, block, "input_json_delta", "partial_json", fragment);
        }
      }
      return out;
    }

    @Override
    public Buffer end(CompletionResult r) {
      Buffer out = Buffer.buffer();
      start(out);
      ChatMessage m = r.message();
      if (blocks == 0) {
        // nothing was streamed (a back end that answers only at the end): the blocks of the result
        if (m != null && m.thinking() != null && !m.thinking().isEmpty()) {
          out.appendBuffer(chunk(new CompletionDelta("", m.thinking(), null, null, null)));
        }
        out.appendBuffer(chunk(wholeDelta(m)));
      }
      if (blocks == 0) {
        // an empty answer is still one (empty) text block, as in the whole Message
        open(out, "text", Bodies.JSON.createObjectNode().put("type", "text").put("text", ""));
      }
      if (thinkingBlock >= 0 && m != null && m.thinkingSignature() != null) {
        // the signature comes with the result; the SDK keeps it on the thinking block by index
        ObjectNode delta = Bodies.JSON.createObjectNode();
        delta.put("type", "signature_delta").put("signature", m.thinkingSignature());
        event(out, "content_block_delta", blockEvent("content_block_delta", thinkingBlock, delta));
      }
      close(out);
      boolean tools = sawTools || (m != null && !m.toolCalls().isEmpty());
      ObjectNode o = Bodies.JSON.createObjectNode();
      o.put("type", "message_delta");
      ObjectNode delta = o.putObject("delta");
      delta.put("stop_reason", stopReason(r.finishReason(), tools));
      delta.putNull("stop_sequence");
      o.set("usage", usage(r.usage(), true));
      event(out, "message_delta", o);
      event(out, "message_stop", Bodies.JSON.createObjectNode().put("type", "message_stop"));
      return out;
    }

    /** The text and tool calls of a result as one delta, for a result that streamed none. */
    private static CompletionDelta wholeDelta(ChatMessage m) {
      if (m == null) {
        return CompletionDelta.text("");
      }
      List<ToolCall> calls = m.toolCalls();
      List<ToolCallDelta> deltas = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        ToolCall c = calls.get(i);
        deltas.add(
            new ToolCallDelta(
                i,
                c.id(),
                c.name(),
                Bodies.json(c.arguments() == null ? Map.of() : c.arguments()).toString()));
      }
      String text = m.content().isEmpty() && calls.isEmpty() ? "" : m.content();
      return new CompletionDelta(text, "", deltas, null, null);
    }

    @Override
    public Buffer error(Throwable failure) {
      Buffer out = Buffer.buffer();
      event(out, "error", AnthropicApi.error(failure, GatewayErrors.status(failure)));
      return out;
    }

    private void start(Buffer out) {
      if (started) {
        return;
      }
      started = true;
      ObjectNode o = Bodies.JSON.createObjectNode();
      o.put("type", "message_start");
      ObjectNode msg = envelope(id, model);
      msg.putArray("content");
      msg.putNull("stop_reason");
      msg.putNull("stop_sequence");
      // the counts are known at the end: message_delta carries them (input_tokens too)
      msg.set("usage", usage(Usage.UNKNOWN, true));
      o.set("message", msg);
      event(out, "message_start", o);
    }

    private void open(Buffer out, String kind, ObjectNode contentBlock) {
      close(out);
      ObjectNode o = Bodies.JSON.createObjectNode();
      o.put("type", "content_block_start");
      o.put("index", blocks);
      o.set("content_block", contentBlock);
      event(out, "content_block_start", o);
      open = kind;
      blocks++;
    }

    private void close(Buffer out) {
      if (open == null) {
        return;
      }
      ObjectNode o = Bodies.JSON.createObjectNode();
      o.put("type", "content_block_stop");
      o.put("index", blocks - 1);
      event(out, "content_block_stop", o);
      open = null;
    }

    private static void delta(Buffer out, int index, String type, String field, String value) {
      ObjectNode delta = Bodies.JSON.createObjectNode();
      delta.put("type", type).put(field, value);
      event(out, "content_block_delta", blockEvent("content_block_delta", index, delta));
    }

    private static ObjectNode blockEvent(String type, int index, ObjectNode delta) {
      ObjectNode o = Bodies.JSON.createObjectNode();
      o.put("type", type);
      o.put("index", index);
      o.set("delta", delta);
      return o;
    }

    private static void event(Buffer out, String name, ObjectNode data) {
      out.appendString("event: ")
          .appendString(name)
          .appendString("\ndata: ")
          .appendBuffer(Bodies.json(data))
          .appendString("\n\n");
    }
  }
}

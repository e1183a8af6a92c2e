package core.llm.gateway;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.FinishReason;
import core.llm.common.ModelInfo;
import core.llm.common.ToolCall;
import core.llm.common.Usage;
import core.llm.factory.LlmProviderFactory;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.base.StreamPiece;
import core.llm.providers.base.WireFormat;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.EmbedResponse;
import core.llm.providers.ollama.models.EmbeddingsRequest;
import core.llm.providers.ollama.models.EmbeddingsResponse;
import core.llm.providers.ollama.models.ErrorResponse;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.GenerateResponse;
import core.llm.providers.ollama.models.ListModel;
import core.llm.providers.ollama.models.ListResponse;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.MessageToolCall;
import core.llm.providers.ollama.models.ProcessModel;
import core.llm.providers.ollama.models.ProcessResponse;
import core.llm.providers.ollama.models.ToolCallFunction;
import core.llm.providers.ollama.models.VersionResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Ollama's API, served by the gateway over every provider: an {@code ollama-js} or {@code
 * ollama-python} client (or this library's own {@code OllamaClient}) pointed at the gateway gets
 * routing and failover, and answers framed as Ollama frames them: NDJSON, one line per chunk, a
 * final {@code done} line with the metrics; errors as {@code {"error": "..."}} with Ollama's status
 * codes.
 */
final class OllamaApi implements Api {
  private static final String NDJSON = "application/x-ndjson";

  private final GatewayContext ctx;

  OllamaApi(GatewayContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void mount(Router router) {
    router.route("/").method(io.vertx.core.http.HttpMethod.HEAD).handler(this::root);
    router.get("/").handler(this::root);
    router.get("/api/version").handler(this::version);
    router.head("/api/version").handler(this::version);
    router.get("/api/tags").handler(this::tags);
    router.get("/api/ps").handler(this::ps);
    router.post("/api/chat").handler(ctx.body()).handler(this::chat);
    router.post("/api/generate").handler(ctx.body()).handler(this::generate);
    router.post("/api/embed").handler(ctx.body()).handler(this::embed);
    router.post("/api/embeddings").handler(ctx.body()).handler(this::embeddings);
    OllamaApiForward forward = new OllamaApiForward(ctx);
    for (String path : new String[] {"/api/show", "/api/pull", "/api/push", "/api/create"}) {
      router.post(path).handler(ctx.body()).handler(rc -> forward.forward(rc, "model"));
    }
    router.delete("/api/delete").handler(ctx.body()).handler(rc -> forward.forward(rc, "model"));
    router.post("/api/copy").handler(ctx.body()).handler(rc -> forward.forward(rc, "source"));
  }

  /** Ollama answers its root with this text; clients and load balancers probe it. */
  private void root(RoutingContext rc) {
    rc.response().putHeader("content-type", "text/plain; charset=utf-8").end("Ollama is running");
  }

  /**
   * The gateway's own version: the back ends may run several Ollama versions, and what a client
   * gets through the gateway is the gateway's behaviour.
   */
  private void version(RoutingContext rc) {
    String v = OllamaApi.class.getPackage().getImplementationVersion();
    Buffer body = Bodies.json(new VersionResponse(v == null ? "0.0.0" : v, null));
    rc.response().putHeader("content-type", "application/json; charset=utf-8").end(body);
  }

  private void tags(RoutingContext rc) {
    note(rc, null);
    admit(rc, null)
        .compose(caller -> ctx.router().listModels())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                OllamaApiErrors.write(rc, ar.cause());
                return;
              }
              List<ListModel> models = new ArrayList<>();
              for (ModelInfo m : ar.result()) {
                models.add(listed(m.id(), m.id(), m.sizeBytes(), m.provider()));
              }
              // aliases are models too for a client: each names what it stands for
              ctx.configs
                  .snapshot()
                  .aliases()
                  .forEach((alias, target) -> models.add(listed(alias, target, null, null)));
              sendJson(rc, new ListResponse(models));
            });
  }

  private static ListModel listed(String name, String model, Long size, String provider) {
    Map<String, Object> extra = provider == null ? null : Map.of("provider", provider);
    return new ListModel(name, model, null, size, null, null, null, null, null, extra);
  }

  /** What each Ollama host has loaded, asked of every host now. */
  private void ps(RoutingContext rc) {
    note(rc, null);
    admit(rc, null)
        .compose(caller -> ctx.factory.refreshResidency())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                OllamaApiErrors.write(rc, ar.cause());
                return;
              }
              List<ProcessModel> models = new ArrayList<>();
              for (LlmProviderFactory.HostState host : ar.result()) {
                for (LlmProviderFactory.HostState.Loaded l : host.loaded()) {
                  Integer ctxLen =
                      l.contextLength().isPresent() ? l.contextLength().getAsInt() : null;
                  models.add(
                      new ProcessModel(
                          l.model(),
                          l.model(),
                          null,
                          null,
                          null,
                          null,
                          null,
                          ctxLen,
                          Map.of("provider", host.provider())));
                }
              }
              sendJson(rc, new ProcessResponse(models));
            });
  }

  private void chat(RoutingContext rc) {
    Bodies.read(rc, ChatRequest.class)
        .compose(
            r -> {
              CompletionRequest request = OllamaApiRequests.chat(r);
              boolean stream = r.stream() == null || r.stream();
              return admitted(rc, request)
                  .map(
                      ok ->
                          stream ? relay(rc, request) : send(rc, request, false, ChatEncoder::new));
            })
        .onFailure(e -> OllamaApiErrors.write(rc, e));
  }

  private void generate(RoutingContext rc) {
    Bodies.read(rc, GenerateRequest.class)
        .compose(
            r -> {
              CompletionRequest request = OllamaApiRequests.generate(r);
              boolean stream = r.stream() == null || r.stream();
              return admitted(rc, request)
                  .map(ok -> send(rc, request, stream, GenerateEncoder::new));
            })
        .onFailure(e -> OllamaApiErrors.write(rc, e));
  }

  private Future<Caller> admitted(RoutingContext rc, CompletionRequest request) {
    note(rc, request.model());
    return admit(rc, request.model());
  }

  /** Streams (NDJSON) or answers whole, through the router; charges what the answer used. */
  private Void send(
      RoutingContext rc,
      CompletionRequest request,
      boolean stream,
      Function<String, Encoder> encoders) {
    ResponseStream<CompletionDelta, CompletionResult> upstream = ctx.router().chatStream(request);
    Encoder encoder = encoders.apply(request.model());
    Future<CompletionResult> done =
        stream
            ? Relay.stream(ctx, rc, upstream, encoder, OllamaApiErrors::write)
            : Relay.whole(
                ctx, rc, upstream, r -> Bodies.json(encoder.whole(r)), OllamaApiErrors::write);
    done.onSuccess(r -> ctx.charge(rc, r.provider(), r.usage()));
    return null;
  }

  /**
   * A streamed chat: an Ollama back end's lines reach the client exactly as that server wrote them
   * (no parse and no encode per token); any other back end's deltas are encoded as Ollama would
   * write them. Charges what the answer used.
   */
  private Void relay(RoutingContext rc, CompletionRequest request) {
    ResponseStream<StreamPiece, CompletionResult> upstream =
        ctx.router().relayStream(request, WireFormat.OLLAMA_CHAT);
    Relay.stream(
            ctx,
            rc,
            upstream,
            new PieceEncoder(new ChatEncoder(request.model())),
            OllamaApiErrors::write)
        .onSuccess(r -> ctx.charge(rc, r.provider(), r.usage()));
    return null;
  }

  private void embed(RoutingContext rc) {
    Bodies.read(rc, EmbedRequest.class)
        .compose(
            r -> {
              if (r.input() == null) {
                throw new core.llm.common.BadRequestException(
                    "input is required", core.llm.common.ErrorContext.NONE);
              }
              EmbeddingRequest request =
                  new EmbeddingRequest(r.model(), r.input().texts(), r.dimensions());
              note(rc, r.model());
              return admit(rc, r.model()).compose(c -> ctx.router().embed(request));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                OllamaApiErrors.write(rc, ar.cause());
                return;
              }
              EmbeddingResult e = ar.result();
              ctx.charge(rc, e.provider(), e.usage());
              float[][] vectors = e.vectors().toArray(new float[0][]);
              Usage u = e.usage() == null ? Usage.UNKNOWN : e.usage();
              sendJson(
                  rc,
                  new EmbedResponse(
                      RequestNotes.of(rc).model,
                      vectors,
                      nanos(u.totalDuration()),
                      nanos(u.loadDuration()),
                      u.promptTokens(),
                      null));
            });
  }

  /** The legacy single-prompt endpoint: one vector, as doubles. */
  private void embeddings(RoutingContext rc) {
    Bodies.read(rc, EmbeddingsRequest.class)
        .compose(
            r -> {
              note(rc, r.model());
              EmbeddingRequest request =
                  new EmbeddingRequest(
                      r.model(), List.of(r.prompt() == null ? "" : r.prompt()), null);
              return admit(rc, r.model()).compose(c -> ctx.router().embed(request));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                OllamaApiErrors.write(rc, ar.cause());
                return;
              }
              ctx.charge(rc, ar.result().provider(), ar.result().usage());
              float[] v =
                  ar.result().vectors().isEmpty() ? new float[0] : ar.result().vectors().get(0);
              double[] d = new double[v.length];
              for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
              }
              sendJson(rc, new EmbeddingsResponse(d, null));
            });
  }

  private void note(RoutingContext rc, String model) {
    RequestNotes n = RequestNotes.of(rc);
    n.api = "ollama";
    n.model = model;
  }

  private Future<Caller> admit(RoutingContext rc, String model) {
    return ctx.admission.admit(rc, model).onSuccess(c -> RequestNotes.of(rc).caller = c);
  }

  private static void sendJson(RoutingContext rc, Object body) {
    if (!rc.response().ended() && !rc.response().closed()) {
      rc.response()
          .putHeader("content-type", "application/json; charset=utf-8")
          .end(Bodies.json(body));
    }
  }

  private static Long nanos(Duration d) {
    return d == null ? null : d.toNanos();
  }

  private static String doneReason(FinishReason reason) {
    return reason == FinishReason.LENGTH ? "length" : "stop";
  }

  private static List<MessageToolCall> toolCalls(List<ToolCall> calls) {
    if (calls == null || calls.isEmpty()) {
      return null;
    }
    List<MessageToolCall> out = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall c = calls.get(i);
      out.add(
          new MessageToolCall(
              c.id(), new ToolCallFunction(i, c.name(), c.arguments(), null), null));
    }
    return out;
  }

  /**
   * One line per chunk with content or thinking; the tool calls (whole, as Ollama sends them) and
   * the done line with the metrics once the answer is complete.
   */
  private abstract static class Encoder
      implements Relay.StreamEncoder<CompletionDelta, CompletionResult> {
    final String model;

    Encoder(String model) {
      this.model = model;
    }

    @Override
    public void head(HttpServerResponse response) {
      response.putHeader("content-type", NDJSON);
    }

    @Override
    public Buffer chunk(CompletionDelta d) {
      if (d.content().isEmpty() && d.thinking().isEmpty()) {
        return null;
      }
      return Bodies.line(part(d.content(), d.thinking()));
    }

    @Override
    public Buffer end(CompletionResult r) {
      Buffer out = Buffer.buffer();
      List<MessageToolCall> calls = toolCalls(r.message().toolCalls());
      if (calls != null) {
        out.appendBuffer(Bodies.line(tools(calls)));
      }
      return out.appendBuffer(Bodies.line(done(r, "", "", null)));
    }

    @Override
    public Buffer error(Throwable failure) {
      return Bodies.line(new ErrorResponse(GatewayErrors.message(failure), null, null));
    }

    /** The whole answer as one object (stream: false). */
    Object whole(CompletionResult r) {
      String thinking = r.message().thinking();
      return done(
          r, r.content(), thinking == null ? "" : thinking, toolCalls(r.message().toolCalls()));
    }

    abstract Object part(String content, String thinking);

    abstract Object tools(List<MessageToolCall> calls);

    abstract Object done(
        CompletionResult r, String content, String thinking, List<MessageToolCall> calls);

    private Instant lastNow;
    private String lastNowText;

    /**
     * Ollama's created_at of a chunk. Formatting an instant is a large part of a chunk's cost, so
     * the chunks of one stream within the same millisecond share the text of the first.
     */
    String now() {
      Instant t = Instant.now();
      if (lastNow == null
          || t.getEpochSecond() != lastNow.getEpochSecond()
          || t.getNano() / 1_000_000 != lastNow.getNano() / 1_000_000) {
        lastNow = t;
        lastNowText = t.toString();
      }
      return lastNowText;
    }
  }

  /** A relayed stream: a back end's own lines as they are, anything else through the encoder. */
  private static final class PieceEncoder
      implements Relay.StreamEncoder<StreamPiece, CompletionResult> {
    private final Encoder encoder;

    /** The back end's lines carry their own done line: nothing is added at the end. */
    private boolean wire;

    PieceEncoder(Encoder encoder) {
      this.encoder = encoder;
    }

    @Override
    public void head(HttpServerResponse response) {
      encoder.head(response);
    }

    @Override
    public Buffer chunk(StreamPiece piece) {
      if (piece instanceof StreamPiece.Wire w) {
        wire = true;
        return w.bytes();
      }
      return encoder.chunk(((StreamPiece.Delta) piece).delta());
    }

    @Override
    public Buffer end(CompletionResult result) {
      return wire ? null : encoder.end(result);
    }

    @Override
    public Buffer error(Throwable failure) {
      return encoder.error(failure);
    }
  }

  private static final class ChatEncoder extends Encoder {
    ChatEncoder(String model) {
      super(model);
    }

    private static Message assistant(String content, String thinking, List<MessageToolCall> calls) {
      return new Message(
          "assistant",
          content,
          thinking.isEmpty() ? null : thinking,
          null,
          calls,
          null,
          null,
          null);
    }

    @Override
    Object part(String content, String thinking) {
      return new ChatResponse(
          model,
          now(),
          assistant(content, thinking, null),
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }

    @Override
    Object tools(List<MessageToolCall> calls) {
      return new ChatResponse(
          model,
          now(),
          assistant("", "", calls),
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }

    @Override
    Object done(CompletionResult r, String content, String thinking, List<MessageToolCall> calls) {
      Usage u = r.usage() == null ? Usage.UNKNOWN : r.usage();
      return new ChatResponse(
          model,
          now(),
          assistant(content, thinking, calls),
          true,
          doneReason(r.finishReason()),
          nanos(u.totalDuration()),
          nanos(u.loadDuration()),
          u.promptTokens(),
          nanos(u.promptEvalDuration()),
          u.completionTokens(),
          nanos(u.evalDuration()),
          null,
          null,
          null,
          null,
          null);
    }
  }

  private static final class GenerateEncoder extends Encoder {
    GenerateEncoder(String model) {
      super(model);
    }

    @Override
    Object part(String content, String thinking) {
      return new GenerateResponse(
          model,
          now(),
          content,
          thinking.isEmpty() ? null : thinking,
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }

    @Override
    Object tools(List<MessageToolCall> calls) {
      return new GenerateResponse(
          model, now(), "", null, false, null, null, null, null, null, null, null, null, calls,
          null, null, null, null, null);
    }

    @Override
    Object done(CompletionResult r, String content, String thinking, List<MessageToolCall> calls) {
      Usage u = r.usage() == null ? Usage.UNKNOWN : r.usage();
      return new GenerateResponse(
          model,
          now(),
          content,
          thinking.isEmpty() ? null : thinking,
          true,
          doneReason(r.finishReason()),
          null,
          nanos(u.totalDuration()),
          nanos(u.loadDuration()),
          u.promptTokens(),
          nanos(u.promptEvalDuration()),
          u.completionTokens(),
          nanos(u.evalDuration()),
          calls,
          null,
          null,
          null,
          null,
          null);
    }
  }
}

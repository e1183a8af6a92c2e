package core.llm.providers.mock;

import core.llm.common.Capability;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.ErrorContext;
import core.llm.common.FinishReason;
import core.llm.common.HealthStatus;
import core.llm.common.ModelInfo;
import core.llm.common.Role;
import core.llm.common.ToolCallDelta;
import core.llm.common.Usage;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.spi.CompletionAccumulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A scriptable {@link LlmProvider} with no network, for tests of code that uses providers (and of
 * the router). Replies come from the queue filled by {@link #nextReply}, else from {@link
 * #defaultReply}, else from the generator of {@link #replyWith(Function)} (default: echo the last
 * user message). Streams are real back-pressured, cancellable {@link ResponseStream}s; {@link
 * #tokenDelay} spaces tokens with Vert.x timers. Every request is recorded.
 *
 * <p>Usage is a simple count: prompt tokens are the words of all messages, completion tokens the
 * number of streamed tokens, unless {@link MockReply#withUsage} says otherwise.
 *
 * <p>Thread-safe to configure from a test thread while requests run.
 */
public final class MockProvider implements LlmProvider {
  private static final Pattern WORDS = Pattern.compile("(?<=\\s)(?=\\S)");
  private static final Set<Capability> ALL =
      Set.copyOf(EnumSet.complementOf(EnumSet.of(Capability.MODEL_LIFECYCLE)));

  private final Vertx vertx;
  private final String name;
  private final Queue<MockReply> script = new ConcurrentLinkedQueue<>();
  private final List<CompletionRequest> requests = new CopyOnWriteArrayList<>();
  private final List<EmbeddingRequest> embeddingRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger cancellations = new AtomicInteger();
  private volatile MockReply defaultReply;
  private volatile Function<CompletionRequest, String> generator = MockProvider::echo;
  private volatile Duration tokenDelay = Duration.ZERO;
  private volatile boolean refuseConnections;
  private volatile int embeddingDimensions = 16;
  private volatile List<String> models = List.of("mock-model", "mock-embed");
  private volatile Set<Capability> capabilities = ALL;

  private MockProvider(Vertx vertx, String name) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** A mock named {@code mock}. */
  public static MockProvider create(Vertx vertx) {
    return new MockProvider(vertx, "mock");
  }

  public static MockProvider create(Vertx vertx, String name) {
    return new MockProvider(vertx, name);
  }

  /** Queues replies for the next chat requests, in order (streamed or not). */
  public MockProvider nextReply(MockReply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** The reply used whenever the queue is empty (null: use the generator). */
  public MockProvider defaultReply(MockReply reply) {
    defaultReply = reply;
    return this;
  }

  /** Always answer this text when nothing is queued. */
  public MockProvider replyWith(String text) {
    return replyWith(request -> text);
  }

  /** Compute the reply text from the request when nothing is queued and no default is set. */
  public MockProvider replyWith(Function<CompletionRequest, String> value) {
    generator = Objects.requireNonNull(value, "generator");
    defaultReply = null;
    return this;
  }

  /** Delay before each streamed chunk (default none); uses timers, never blocks. */
  public MockProvider tokenDelay(Duration delay) {
    tokenDelay = delay == null ? Duration.ZERO : delay;
    return this;
  }

  /** Every call fails with a ConnectionException while set (default false). */
  public MockProvider refuseConnections(boolean value) {
    refuseConnections = value;
    return this;
  }

  /** Size of embedding vectors when the request names none (default 16). */
  public MockProvider embeddingDimensions(int value) {
    embeddingDimensions = value;
    return this;
  }

  /** The models {@link #listModels} reports (default {@code mock-model}, {@code mock-embed}). */
  public MockProvider models(String... ids) {
    models = List.of(ids);
    return this;
  }

  /** The capabilities to report (default all but MODEL_LIFECYCLE). */
  public MockProvider capabilities(Set<Capability> value) {
    capabilities = Set.copyOf(value);
    return this;
  }

  /** Chat requests received, in order. */
  public List<CompletionRequest> requests() {
    return List.copyOf(requests);
  }

  /** The last chat request received, or null. */
  public CompletionRequest lastRequest() {
    return requests.isEmpty() ? null : requests.get(requests.size() - 1);
  }

  public List<EmbeddingRequest> embeddingRequests() {
    return List.copyOf(embeddingRequests);
  }

  /** How many streams were cancelled by their caller before they ended. */
  public int cancellations() {
    return cancellations.get();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "mock";
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public Future<CompletionResult> chat(CompletionRequest request) {
    return chatStream(request).result();
  }

  @Override
  public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
    requests.add(request);
    ErrorContext ctx = ErrorContext.of(name, "chat");
    MockReply reply = script.poll();
    if (reply == null) {
      reply = defaultReply != null ? defaultReply : MockReply.text(generator.apply(request));
    }
    if (refuseConnections) {
      reply = MockReply.connectionRefused();
    }
    List<CompletionDelta> chunks = chunks(reply, request);
    return new MemoryResponseStream<>(
        vertx,
        chunks,
        ending(reply, ctx),
        tokenDelay,
        new CompletionAccumulator(name, request.model(), ctx),
        ctx,
        cancellations::incrementAndGet);
  }

  private static List<CompletionDelta> chunks(MockReply reply, CompletionRequest request) {
    List<CompletionDelta> out = new ArrayList<>();
    if (reply.thinking != null) {
      out.add(new CompletionDelta(null, reply.thinking, null, null, null));
    }
    reply.tokens.forEach(t -> out.add(CompletionDelta.text(t)));
    for (int i = 0; i < reply.toolCalls.size(); i++) {
      MockReply.ToolCallSpec c = reply.toolCalls.get(i);
      String args = c.argumentsJson() == null ? "" : c.argumentsJson();
      int half = args.length() / 2; // two fragments, as OpenAI and Anthropic stream them
      out.add(
          new CompletionDelta(
              null,
              null,
              List.of(new ToolCallDelta(i, c.id(), c.name(), args.substring(0, half))),
              null,
              null));
      out.add(
          new CompletionDelta(
              null,
              null,
              List.of(new ToolCallDelta(i, null, null, args.substring(half))),
              null,
              null));
    }
    if (reply.ending == MockReply.Ending.END) {
      FinishReason finish = reply.finishReason != null ? reply.finishReason : FinishReason.STOP;
      int prompt = reply.promptTokens != null ? reply.promptTokens : promptTokens(request);
      int completion =
          reply.completionTokens != null
              ? reply.completionTokens
              : reply.tokens.size() + reply.toolCalls.size();
      out.add(new CompletionDelta(null, null, null, finish, Usage.of(prompt, completion)));
    }
    return out;
  }

  private static MemoryResponseStream.Ending<CompletionDelta> ending(
      MockReply reply, ErrorContext ctx) {
    return switch (reply.ending) {
      case END -> MemoryResponseStream.Ending.normal();
      case REFUSE -> new MemoryResponseStream.Ending<>(r -> MockErrors.refused(ctx), false, null);
      case FAIL ->
          new MemoryResponseStream.Ending<>(
              r ->
                  reply.exception != null
                      ? reply.exception
                      : MockErrors.of(
                          reply.kind, reply.status, reply.message, reply.retryAfter, ctx),
              false,
              null);
      case MID_STREAM_ERROR ->
          new MemoryResponseStream.Ending<>(
              r -> MockErrors.midStream(reply.message, r.size(), ctx), false, null);
      case CUT -> new MemoryResponseStream.Ending<>(r -> MockErrors.cut(r, ctx), false, null);
      case STALL ->
          new MemoryResponseStream.Ending<>(
              reply.stallLimit == null ? null : r -> MockErrors.stallTimeout(reply.stallLimit, ctx),
              true,
              reply.stallLimit);
    };
  }

  /** Deterministic unit vectors: the same text always gets the same vector. */
  @Override
  public Future<EmbeddingResult> embed(EmbeddingRequest request) {
    embeddingRequests.add(request);
    if (refuseConnections) {
      return Future.failedFuture(MockErrors.refused(ErrorContext.of(name, "embed")));
    }
    int dims = request.dimensions() != null ? request.dimensions() : embeddingDimensions;
    List<float[]> vectors = new ArrayList<>(request.inputs().size());
    int tokens = 0;
    for (String input : request.inputs()) {
      vectors.add(vector(input, dims));
      tokens += split(input).size();
    }
    return Future.succeededFuture(
        new EmbeddingResult(name, request.model(), vectors, Usage.of(tokens, null)));
  }

  static float[] vector(String input, int dims) {
    SplittableRandom random = new SplittableRandom(input.hashCode() * 0x9E3779B97F4A7C15L);
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    float scale = (float) (1 / Math.sqrt(norm == 0 ? 1 : norm));
    for (int i = 0; i < dims; i++) {
      v[i] *= scale;
    }
    return v;
  }

  @Override
  public Future<List<ModelInfo>> listModels() {
    if (refuseConnections) {
      return Future.failedFuture(MockErrors.refused(ErrorContext.of(name, "models")));
    }
    return Future.succeededFuture(
        models.stream().map(id -> new ModelInfo(id, name, null)).toList());
  }

  @Override
  public Future<HealthStatus> health() {
    boolean up = !refuseConnections;
    return Future.succeededFuture(
        new HealthStatus(up, Duration.ZERO, up ? "mock" : "refusing connections", Instant.now()));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** Words with their trailing whitespace, so that joining the tokens gives the text back. */
  static List<String> split(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    return List.of(WORDS.split(text));
  }

  private static int promptTokens(CompletionRequest request) {
    int n = 0;
    for (ChatMessage m : request.messages()) {
      String c = m.content().trim();
      n += c.isEmpty() ? 0 : c.split("\\s+").length;
    }
    return n;
  }

  private static String echo(CompletionRequest request) {
    for (int i = request.messages().size() - 1; i >= 0; i--) {
      ChatMessage m = request.messages().get(i);
      if (m.role() == Role.USER) {
        return "Echo: " + m.content();
      }
    }
    return "Echo: (no user message)";
  }
}

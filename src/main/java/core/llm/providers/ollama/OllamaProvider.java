package core.llm.providers.ollama;

import core.llm.common.Capability;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.HealthStatus;
import core.llm.common.ModelInfo;
import core.llm.common.Usage;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.MappedResponseStream;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.ollama.models.EmbedRequest;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Ollama behind the provider-neutral {@link LlmProvider}: {@code /api/chat}, {@code /api/embed},
 * {@code /api/tags} and {@code /api/version}. Ollama's own options stay reachable through {@link
 * core.llm.common.GenerationOptions#providerOptions()} (any {@code options} key, plus {@code
 * keep_alive}, {@code truncate}, {@code shift}, {@code logprobs}, {@code top_logprobs}), and the
 * full native API through {@link #client()}.
 */
public final class OllamaProvider implements LlmProvider {
  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(
          Capability.CHAT,
          Capability.STREAMING,
          Capability.EMBEDDINGS,
          Capability.TOOLS,
          Capability.VISION,
          Capability.STRUCTURED_OUTPUT,
          Capability.THINKING,
          Capability.MODEL_LIFECYCLE);

  private final String name;
  private final OllamaClient client;

  /** The num_ctx of the last answered request per model: what the loaded copy runs with. */
  private final java.util.Map<String, Integer> servedContext =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Each model's generation pace on this host, tokens per second, from its last chat answer. */
  private final java.util.Map<String, Double> generationRate =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final ModelLifecycle lifecycle;
  private boolean closed; // guarded by this

  /** Each model's vocabulary, by digest, for {@link #countTokens}. */
  private final OllamaTokenCounter tokenCounter =
      new OllamaTokenCounter(OllamaTokenCounter.DEFAULT_CAPACITY);

  /** A provider without lifecycle tracking: no load/unload control, no fail-fast checks. */
  public OllamaProvider(String name, OllamaClient client) {
    this(name, client, null);
  }

  /**
   * A provider that records each use with the lifecycle (for its idle and LRU policies), runs its
   * capability and version checks before each chat, and offers {@link #modelControl()}.
   */
  public OllamaProvider(String name, OllamaClient client, ModelLifecycle lifecycle) {
    this.name = name;
    this.client = client;
    this.lifecycle = lifecycle;
  }

  /** The lifecycle of this provider's server, when it was given one. */
  public java.util.Optional<ModelLifecycle> lifecycle() {
    return java.util.Optional.ofNullable(lifecycle);
  }

  @Override
  public java.util.Optional<core.llm.providers.base.ModelControl> modelControl() {
    if (lifecycle == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new core.llm.providers.base.ModelControl() {
          @Override
          public Future<Void> load(String model) {
            return lifecycle.load(model, null, null).mapEmpty();
          }

          @Override
          public Future<Void> load(String model, java.util.Map<String, Object> options) {
            if (options.isEmpty()) {
              return load(model);
            }
            core.llm.providers.ollama.models.Options.Builder b =
                core.llm.providers.ollama.models.Options.builder();
            options.forEach(b::extra);
            return lifecycle.load(model, null, b.build()).mapEmpty();
          }

          @Override
          public Future<Void> unload(String model) {
            return lifecycle.unload(model);
          }

          @Override
          public Future<List<String>> loadedModels() {
            return lifecycle.running().map(models -> models.stream().map(m -> m.name()).toList());
          }

          @Override
          public Future<Void> ensureAvailable(String model) {
            return lifecycle.ensureAvailable(model, PullPolicy.IF_MISSING, null).mapEmpty();
          }
        });
  }

  /** The native client under this provider, for everything the neutral interface does not cover. */
  public OllamaClient client() {
    return client;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "ollama";
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  /**
   * A short answer is asked for non-streamed; any other is streamed underneath and folded at the
   * wire (no record per token), so the idle timeout keeps watching a long generation instead of
   * only the first-byte timeout. See {@link #shortAnswer}.
   */
  @Override
  public Future<CompletionResult> chat(CompletionRequest request) {
    boolean nonStreamed =
        client instanceof OllamaClientImpl impl
            && shortAnswer(request.model(), numPredict(request), impl.idleTimeout());
    core.llm.providers.ollama.models.ChatRequest wire;
    try {
      // stream set here, not copied in later: the request record is built once
      wire = OllamaConversions.chatRequest(request, !nonStreamed);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(invalid(e));
    }
    return core.llm.common.Futures.then(
            checked(wire), v -> observed(wire.model(), numCtx(wire), answer(wire, nonStreamed)))
        .map(
            r -> {
              learnRate(wire.model(), r);
              return OllamaConversions.result(name, r);
            });
  }

  private Future<core.llm.providers.ollama.models.ChatResponse> answer(
      core.llm.providers.ollama.models.ChatRequest wire, boolean nonStreamed) {
    if (!(client instanceof OllamaClientImpl impl)) {
      // a caller's own client, such as a wrapper: folded through its public stream
      return client.chatStream(wire).result();
    }
    return nonStreamed ? impl.chat(wire) : impl.chatFolded(wire);
  }

  /**
   * How much slower than its last measured pace a generation must run before a non-streamed call
   * for it is silent longer than one idle period.
   */
  static final int SHORT_ANSWER_MARGIN = 4;

  /**
   * Whether this answer is short enough to ask for non-streamed, which costs one HTTP chunk instead
   * of one per token. A non-streamed reply is silent until it is complete, so only the first-byte
   * timeout (which also covers a cold load) watches it, not the idle one. That is given up only
   * where the idle watch has little to watch: the request caps its tokens ({@code num_predict}),
   * and at this host's last measured pace for the model those tokens take at most a quarter of the
   * idle timeout. A model not yet answered here, an uncapped request and a client without an idle
   * timeout stream.
   */
  boolean shortAnswer(String model, Integer cap, Duration idle) {
    if (idle == null || idle.isZero() || idle.isNegative()) {
      return false;
    }
    if (cap == null || cap <= 0) {
      return false;
    }
    Double tokensPerSecond = generationRate.get(core.llm.common.ModelNames.canonical(model));
    if (tokensPerSecond == null) {
      return false;
    }
    double seconds = cap / tokensPerSecond;
    return seconds * SHORT_ANSWER_MARGIN <= idle.toNanos() / 1e9;
  }

  /** The pace the server reported for this answer ({@code eval_count / eval_duration}). */
  private void learnRate(String model, core.llm.providers.ollama.models.ChatResponse r) {
    if (r.evalCount() == null || r.evalCount() <= 0) {
      return;
    }
    if (r.evalDuration() == null || r.evalDuration() <= 0) {
      return;
    }
    generationRate.put(
        core.llm.common.ModelNames.canonical(model), r.evalCount() / (r.evalDuration() / 1e9));
  }

  /**
   * Where the model stands on this host: the lifecycle's tracker, fed by {@code /api/ps} and by
   * every request this provider sent (see {@link #observed}).
   */
  @Override
  public core.llm.providers.base.Residency residency(String model) {
    if (lifecycle == null) {
      return core.llm.providers.base.Residency.UNKNOWN;
    }
    ModelTracker tracker = lifecycle.tracker();
    ModelState state = tracker.state(model);
    switch (state) {
      case LOADED:
        if (!tracker.likelyEvicted(model)) {
          return core.llm.providers.base.Residency.LOADED;
        }
        break; // a cold load here most likely made room by unloading it: on disk
      case LOADING:
        return core.llm.providers.base.Residency.LOADING;
      case FAILED:
        return core.llm.providers.base.Residency.UNKNOWN; // its breaker says more
      default:
        break;
    }
    // not in memory: /api/tags says whether a request would load it or find nothing; before it
    // has answered, a model once seen here is on disk and any other is unknown
    java.util.Optional<Boolean> installed = tracker.installed(model);
    if (installed.isPresent()) {
      return installed.get()
          ? core.llm.providers.base.Residency.INSTALLED
          : core.llm.providers.base.Residency.ABSENT;
    }
    return state == ModelState.UNKNOWN
        ? core.llm.providers.base.Residency.UNKNOWN
        : core.llm.providers.base.Residency.INSTALLED;
  }

  /**
   * What this host's loaded copy of the model runs with: the {@code num_ctx} of the last request it
   * answered for it (fresher than a poll), else {@code /api/ps}'s {@code context_length}.
   */
  @Override
  public java.util.OptionalInt loadedContextLength(String model) {
    if (lifecycle == null || residency(model) != core.llm.providers.base.Residency.LOADED) {
      return java.util.OptionalInt.empty();
    }
    Integer served = servedContext.get(core.llm.common.ModelNames.canonical(model));
    if (served != null) {
      return java.util.OptionalInt.of(served);
    }
    return lifecycle
        .tracker()
        .get(model)
        .map(ModelTracker.TrackedModel::process)
        .map(p -> p.contextLength())
        .map(java.util.OptionalInt::of)
        .orElse(java.util.OptionalInt.empty());
  }

  /**
   * Records what a request teaches about residency: loading while it runs, loaded once answered.
   */
  private <T> Future<T> observed(String model, Future<T> answer) {
    return observed(model, null, answer);
  }

  private <T> Future<T> observed(String model, Integer numCtx, Future<T> answer) {
    if (lifecycle == null) {
      return answer;
    }
    ModelTracker tracker = lifecycle.tracker();
    tracker.requestStarted(model);
    return answer.onComplete(
        ar -> {
          if (ar.succeeded()) {
            tracker.requestServed(model);
            if (numCtx != null) {
              servedContext.put(core.llm.common.ModelNames.canonical(model), numCtx);
            }
          } else {
            tracker.requestFailed(model);
          }
        });
  }

  private static Integer numCtx(core.llm.providers.ollama.models.ChatRequest wire) {
    return intOption(wire, core.llm.providers.ollama.models.Options::numCtx, "num_ctx");
  }

  /**
   * The token cap the wire request will carry: {@code max_tokens}, else a {@code num_predict}
   * provider option, as {@link OllamaConversions#chatRequest} writes them.
   */
  private static Integer numPredict(CompletionRequest request) {
    Integer typed = request.options().maxTokens();
    if (typed != null) {
      return typed;
    }
    return request.options().providerOptions().get("num_predict") instanceof Number n
        ? n.intValue()
        : null;
  }

  private static Integer intOption(
      core.llm.providers.ollama.models.ChatRequest wire,
      java.util.function.Function<core.llm.providers.ollama.models.Options, Integer> field,
      String key) {
    core.llm.providers.ollama.models.Options o = wire.options();
    if (o == null) {
      return null;
    }
    Integer typed = field.apply(o);
    if (typed != null) {
      return typed;
    }
    // the neutral path passes provider options through as extra keys
    return o.extra() != null && o.extra().get(key) instanceof Number n ? n.intValue() : null;
  }

  /**
   * The stream starts at once, so the lifecycle's fail-fast checks (which may need a round trip)
   * are not run here; the server's own 400 reports a missing capability instead.
   */
  @Override
  public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
    if (lifecycle != null) {
      lifecycle.touch(request.model());
    }
    core.llm.providers.ollama.models.ChatRequest wire;
    try {
      wire = OllamaConversions.chatRequest(request);
    } catch (IllegalArgumentException e) {
      return new core.llm.providers.spi.FailedStream<>(client.vertx(), invalid(e));
    }
    ResponseStream<
            core.llm.providers.ollama.models.ChatResponse,
            core.llm.providers.ollama.models.ChatResponse>
        raw = client.chatStream(wire);
    observed(wire.model(), numCtx(wire), raw.outcome());
    return new MappedResponseStream<>(
        raw, OllamaConversions::delta, r -> OllamaConversions.result(name, r));
  }

  /**
   * For {@link core.llm.providers.base.WireFormat#OLLAMA_CHAT}, this package's client passes the
   * server's lines on as they came (only the final line and error lines are decoded); the result
   * carries the final line's usage and finish reason, and residency is recorded as for {@link
   * #chatStream}. Any other format, or another client, gets the neutral deltas.
   */
  @Override
  public ResponseStream<core.llm.providers.base.StreamPiece, CompletionResult> relayStream(
      CompletionRequest request, core.llm.providers.base.WireFormat format) {
    if (format != core.llm.providers.base.WireFormat.OLLAMA_CHAT
        || !(client instanceof OllamaClientImpl impl)) {
      return LlmProvider.super.relayStream(request, format);
    }
    if (lifecycle != null) {
      lifecycle.touch(request.model());
    }
    core.llm.providers.ollama.models.ChatRequest wire;
    try {
      wire = OllamaConversions.chatRequest(request);
    } catch (IllegalArgumentException e) {
      return new core.llm.providers.spi.FailedStream<>(client.vertx(), invalid(e));
    }
    ResponseStream<io.vertx.core.buffer.Buffer, core.llm.providers.ollama.models.ChatResponse> raw =
        impl.chatStreamWire(wire);
    observed(wire.model(), numCtx(wire), raw.outcome());
    return new MappedResponseStream<>(
        raw, core.llm.providers.base.StreamPiece.Wire::new, r -> OllamaConversions.result(name, r));
  }

  @Override
  public Future<EmbeddingResult> embed(EmbeddingRequest request) {
    EmbedRequest wire =
        EmbedRequest.builder(request.model())
            .input(request.inputs())
            .dimensions(request.dimensions())
            .build();
    return observed(wire.model(), client.embed(wire))
        .map(
            r ->
                new EmbeddingResult(
                    name,
                    r.model(),
                    // the reply's own arrays, not copies: the vectors are most of its memory
                    r.embeddings() == null ? List.of() : Arrays.asList(r.embeddings()),
                    Usage.of(r.promptEvalCount(), null)));
  }

  /**
   * With the model's own vocabulary (verbose {@code /api/show}, cached per digest from {@link
   * #modelDigest}): exact, as Ollama's {@code prompt_eval_count}, for a BPE vocabulary under a
   * ChatML, Llama 3 or Gemma template; otherwise a marked estimate saying why. A model this host
   * does not have gets {@link core.llm.common.TokenCount#estimate}, as it has no vocabulary here.
   */
  @Override
  public Future<core.llm.common.TokenCount> countTokens(CompletionRequest request) {
    return modelDigest(request.model())
        .compose(
            digest -> {
              if (digest.isEmpty()) {
                core.llm.common.TokenCount e = core.llm.common.TokenCount.estimate(request);
                return Future.succeededFuture(
                    new core.llm.common.TokenCount(
                        e.tokens(),
                        false,
                        "estimate: " + request.model() + " is not installed on " + name));
              }
              return tokenCounter.count(client, request, digest.get());
            });
  }

  /** From {@code /api/tags}: the installed model's digest (bare hex, as the server writes it). */
  @Override
  public Future<java.util.Optional<String>> modelDigest(String model) {
    String wanted = core.llm.common.ModelNames.canonical(model);
    return client
        .list()
        .map(
            list ->
                list.models().stream()
                    .filter(
                        m ->
                            wanted.equals(
                                core.llm.common.ModelNames.canonical(
                                    m.model() != null ? m.model() : m.name())))
                    .map(m -> m.digest())
                    .filter(d -> d != null && !d.isBlank())
                    .findFirst());
  }

  /**
   * The model's trained context length from {@code /api/show} ({@code model_info}, else {@code
   * details.context_length}): cached with the capabilities when the provider has a lifecycle.
   */
  @Override
  public Future<java.util.OptionalInt> maxContextLength(String model) {
    Future<Long> length =
        lifecycle != null
            ? lifecycle.capabilities(model).map(ModelCapabilities::contextLength)
            : client.show(core.llm.common.ModelNames.normalize(model)).map(s -> s.contextLength());
    return length.map(
        n ->
            n == null || n <= 0
                ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of((int) Math.min(Integer.MAX_VALUE, n)));
  }

  @Override
  public Future<List<ModelInfo>> listModels() {
    return client
        .list()
        .map(
            list ->
                list.models().stream().map(m -> new ModelInfo(m.name(), name, m.size())).toList());
  }

  @Override
  public Future<HealthStatus> health() {
    long start = System.nanoTime();
    return client
        .version()
        .map(
            v ->
                new HealthStatus(
                    true,
                    Duration.ofNanos(System.nanoTime() - start),
                    "Ollama " + v.version(),
                    Instant.now()))
        .otherwise(
            e ->
                new HealthStatus(
                    false,
                    Duration.ofNanos(System.nanoTime() - start),
                    e.getMessage(),
                    Instant.now()));
  }

  /**
   * Starts the lifecycle (warm list, periodic {@code /api/ps} and policies), when there is one; not
   * after {@link #close()}, which a reload can run concurrently, so no timer outlives the provider.
   */
  @Override
  public synchronized Future<Void> start() {
    return lifecycle == null || closed ? Future.succeededFuture() : lifecycle.start();
  }

  /** Stops the lifecycle's timer, then closes the client. */
  @Override
  public Future<Void> close() {
    synchronized (this) {
      closed = true;
      if (lifecycle != null) {
        lifecycle.stop();
      }
    }
    return client.close();
  }

  private Future<Void> checked(core.llm.providers.ollama.models.ChatRequest wire) {
    if (lifecycle == null) {
      return Future.succeededFuture();
    }
    lifecycle.touch(wire.model());
    return lifecycle.check(wire);
  }

  /**
   * A request that cannot be expressed in Ollama's wire format, reported before anything is sent.
   */
  private core.llm.common.BadRequestException invalid(IllegalArgumentException e) {
    return new core.llm.common.BadRequestException(
        "Invalid request for Ollama: " + e.getMessage(),
        core.llm.common.ErrorContext.of(name, "POST /api/chat"),
        e);
  }
}

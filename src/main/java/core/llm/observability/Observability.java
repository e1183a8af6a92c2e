package core.llm.observability;

import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.common.Usage;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.RoutingEvent;
import core.llm.factory.RoutingListener;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.ollama.ModelEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Metrics, usage and cost, the request log, health and tracing hooks for every provider, in one
 * object. Plug it into the factory so every provider (and so every routed attempt) is observed:
 *
 * <pre>{@code
 * Observability obs = Observability.builder()
 *     .metrics(new MicrometerMetricsSink(registry))   // default: MetricsSink.detect()
 *     .prices(priceTable)                              // default: none (no cost)
 *     .build();
 * LlmProviderFactory factory = LlmProviderFactory.builder(vertx, configs)
 *     .creators(ProviderCreators.discover())
 *     .decorator(obs.decorator())
 *     .listener(obs.routingListener())
 *     .build();
 * obs.listenModelEvents(vertx.eventBus());             // loaded models, from ModelLifecycle events
 * HealthProbe probe = obs.healthProbe(vertx, factory, Duration.ofSeconds(30)).start();
 * router.get("/llm/status").handler(new MonitoringHandler(new MonitoringReport(factory, configs, obs)));
 * }</pre>
 *
 * With Guice, install {@link ObservabilityModule} next to {@code LlmModule}. Thread-safe.
 */
public final class Observability {
  private static final String[] OUTCOMES = outcomes();

  private final MetricsSink metrics;
  private final LabelLimiter models;
  private final RequestLog log;
  private final Clock clock;
  private final UsageTracker usage = new UsageTracker();
  private final HealthTracker health;
  private final LoadedModels loaded;
  private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();
  private final UnaryOperator<LlmProvider> decorator = this::decorate;
  private final RoutingListener routingListener = this::onRoutingEvent;
  private volatile PriceTable prices;

  private Observability(Builder b) {
    this.metrics = b.metrics != null ? b.metrics : MetricsSink.detect();
    this.models = new LabelLimiter(b.maxModelLabels);
    this.log = b.requestLog ? new RequestLog(b.logContent, b.maxContentChars) : null;
    this.clock = b.clock;
    this.prices = b.prices;
    this.health = new HealthTracker(clock, metrics);
    this.loaded = new LoadedModels(metrics);
    this.listeners.addAll(b.listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: detected metrics, no prices, request log on without content, 50 model labels. */
  public static Observability create() {
    return builder().build();
  }

  /** Wraps a provider so its requests are measured, logged, costed and traced; idempotent. */
  public LlmProvider decorate(LlmProvider provider) {
    if (provider instanceof ObservedProvider o && o.observability() == this) {
      return provider;
    }
    return new ObservedProvider(Objects.requireNonNull(provider, "provider"), this);
  }

  /** {@link #decorate} as a function, for {@code LlmProviderFactory.Builder.decorator}. */
  public UnaryOperator<LlmProvider> decorator() {
    return decorator;
  }

  /**
   * Counts router decisions and follows breaker state; for {@code
   * LlmProviderFactory.Builder.listener}.
   */
  public RoutingListener routingListener() {
    return routingListener;
  }

  /** Follows {@link ModelEvent}s published on the event bus; unregister the consumer to stop. */
  public MessageConsumer<JsonObject> listenModelEvents(EventBus bus) {
    return bus.consumer(ModelEvent.ADDRESS, m -> loaded.onEvent(ModelEvent.fromJson(m.body())));
  }

  /** A periodic active probe of every provider the factory has enabled (not started yet). */
  public HealthProbe healthProbe(Vertx vertx, LlmProviderFactory factory, Duration period) {
    return new HealthProbe(
        vertx,
        period,
        health,
        () -> factory.availableProviders().stream().map(s -> s.name()).toList(),
        name -> factory.provider(name).compose(LlmProvider::health));
  }

  /** A periodic active probe of these providers (not started yet). */
  public HealthProbe healthProbe(Vertx vertx, List<LlmProvider> providers, Duration period) {
    List<LlmProvider> copy = List.copyOf(providers);
    return new HealthProbe(
        vertx,
        period,
        health,
        () -> copy.stream().map(LlmProvider::name).toList(),
        name ->
            copy.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().health());
  }

  public Observability addListener(RequestListener listener) {
    listeners.add(Objects.requireNonNull(listener));
    return this;
  }

  public boolean removeListener(RequestListener listener) {
    return listeners.remove(listener);
  }

  public UsageTracker usage() {
    return usage;
  }

  public HealthTracker health() {
    return health;
  }

  public LoadedModels loadedModels() {
    return loaded;
  }

  public MetricsSink metrics() {
    return metrics;
  }

  public PriceTable prices() {
    return prices;
  }

  /** Replaces the price table; applies to requests that end from now on. */
  public void prices(PriceTable value) {
    prices = value == null ? PriceTable.EMPTY : value;
  }

  /** The bounded label for a model name (first N distinct, then {@value LabelLimiter#OTHER}). */
  public String modelLabel(String model) {
    return models.label(model);
  }

  // ---- called by ObservedProvider and ObservedStream ----

  boolean logContent() {
    return log != null && log.logContent();
  }

  RequestContext start(LlmProvider p, String model, Operation op) {
    RequestContext ctx = new RequestContext(p.name(), p.type(), model, op, System.nanoTime());
    for (RequestListener l : listeners) {
      try {
        l.onStart(ctx);
      } catch (RuntimeException e) {
        // a faulty tracer must not fail the request
      }
    }
    return ctx;
  }

  MetricsSink.StreamTimer streamTimer(RequestContext ctx) {
    return metrics.stream(ctx.provider(), models.label(ctx.model()));
  }

  void firstToken(RequestContext ctx) {
    for (RequestListener l : listeners) {
      try {
        l.onFirstToken(ctx);
      } catch (RuntimeException e) {
        // ignored, see start
      }
    }
  }

  /**
   * Records the end of a request, exactly once per request (callers guarantee it).
   *
   * @param error the failure, null on success
   * @param up for health probes: what the server said; true otherwise
   * @param firstTokenNanos nanoTime of the first token, 0 when none or not a stream
   */
  void finish(
      RequestContext ctx,
      Throwable error,
      boolean up,
      Usage u,
      long firstTokenNanos,
      int chunks,
      String prompt,
      String reply) {
    long end = System.nanoTime();
    ErrorKind kind = error instanceof LlmException e ? e.kind() : null;
    String outcome =
        error == null
            ? (up ? RequestSummary.SUCCESS : "down")
            : kind == null ? "unknown_error" : OUTCOMES[kind.ordinal()];
    String provider = ctx.provider();
    String model = models.label(ctx.model());
    Usage reported = u == null ? Usage.UNKNOWN : u;
    PriceTable table = prices;
    Double cost =
        error == null && ctx.model() != null ? table.cost(provider, ctx.model(), reported) : null;
    metrics.request(provider, model, ctx.operation().label(), outcome, end - ctx.startNanos());
    if (u != null) {
      metrics.usage(provider, model, u);
    }
    if (cost != null) {
      metrics.cost(provider, model, cost);
    }
    Operation op = ctx.operation();
    if (op != Operation.HEALTH && op != Operation.LIST_MODELS) {
      usage.add(provider, model, error != null, u, cost);
    }
    if (op != Operation.HEALTH) { // probes report their own verdict to the tracker
      if (error == null) {
        health.success(provider);
      } else {
        health.failure(provider, kind == null ? ErrorKind.SERVER_ERROR : kind);
      }
    }
    RequestSummary summary =
        new RequestSummary(
            ctx,
            outcome,
            kind,
            error instanceof LlmException e ? e.status() : 0,
            Duration.ofNanos(end - ctx.startNanos()),
            firstTokenNanos == 0 ? null : Duration.ofNanos(firstTokenNanos - ctx.startNanos()),
            chunks,
            reported,
            cost);
    if (log != null) {
      log.log(summary, prompt, reply);
    }
    for (RequestListener l : listeners) {
      try {
        if (error != null) {
          l.onError(ctx, error);
        }
        l.onEnd(ctx, summary);
      } catch (RuntimeException e) {
        // ignored, see start
      }
    }
  }

  private void onRoutingEvent(RoutingEvent e) {
    String provider = e.provider() == null ? LabelLimiter.NONE : e.provider();
    metrics.routing(
        e.type().name().toLowerCase(Locale.ROOT),
        provider,
        e.kind() == null ? LabelLimiter.NONE : OUTCOMES[e.kind().ordinal()]);
    switch (e.type()) {
      case BREAKER_OPEN -> {
        metrics.breakerState(provider, 2);
        health.coolingDown(provider);
      }
      case BREAKER_HALF_OPEN -> metrics.breakerState(provider, 1);
      case BREAKER_CLOSED -> {
        metrics.breakerState(provider, 0);
        health.breakerClosed(provider);
      }
      default -> {}
    }
  }

  private static String[] outcomes() {
    ErrorKind[] kinds = ErrorKind.values();
    String[] out = new String[kinds.length];
    for (ErrorKind k : kinds) {
      out[k.ordinal()] = k.name().toLowerCase(Locale.ROOT);
    }
    return out;
  }

  /** Builder; every setting has a default. */
  public static final class Builder {
    private MetricsSink metrics;
    private PriceTable prices = PriceTable.EMPTY;
    private int maxModelLabels = 50;
    private boolean requestLog = true;
    private boolean logContent;
    private int maxContentChars = 500;
    private Clock clock = Clock.systemUTC();
    private final List<RequestListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Where metrics go (default {@link MetricsSink#detect()}: Micrometer's global registry if
     * present).
     */
    public Builder metrics(MetricsSink value) {
      metrics = Objects.requireNonNull(value);
      return this;
    }

    public Builder prices(PriceTable value) {
      prices = Objects.requireNonNull(value);
      return this;
    }

    /** Distinct model names kept as labels (default 50); later ones are labelled {@code other}. */
    public Builder maxModelLabels(int value) {
      maxModelLabels = value;
      return this;
    }

    /** Write the request log (default true). */
    public Builder requestLog(boolean value) {
      requestLog = value;
      return this;
    }

    /** Include the last user message and the reply in the log, redacted (default false). */
    public Builder logContent(boolean value) {
      logContent = value;
      return this;
    }

    /** Cut logged prompt and reply text to this length (default 500). */
    public Builder maxContentChars(int value) {
      maxContentChars = value;
      return this;
    }

    /** Time source of health timestamps (default UTC system clock). */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    public Builder listener(RequestListener value) {
      listeners.add(Objects.requireNonNull(value));
      return this;
    }

    public Observability build() {
      return new Observability(this);
    }
  }
}

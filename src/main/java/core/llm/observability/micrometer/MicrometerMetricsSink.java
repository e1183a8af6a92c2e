package core.llm.observability.micrometer;

import core.llm.common.Usage;
import core.llm.observability.MetricsSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * {@link MetricsSink} on a Micrometer {@link MeterRegistry}. The only class of the library that
 * references Micrometer (Micrometer is an optional dependency). Meters are looked up once per label
 * combination and cached, so a request costs a map lookup and a record, a streamed chunk one {@link
 * Timer#record(long, TimeUnit)}. The metric names and labels are listed in docs/ARCHITECTURE.md
 * ("Observability").
 */
public final class MicrometerMetricsSink implements MetricsSink {
  private static final String PROMETHEUS_REGISTRY =
      "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Object> meters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

  public MicrometerMetricsSink(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** A sink on {@link Metrics#globalRegistry}; used by {@link MetricsSink#detect()}. */
  public static MicrometerMetricsSink global() {
    return new MicrometerMetricsSink(Metrics.globalRegistry);
  }

  /**
   * A sink on a new Prometheus registry (micrometer-registry-prometheus must be on the class path),
   * whose {@link #prometheusText()} is the scrape: what {@code llm serve} serves at {@code
   * /metrics}.
   */
  public static MicrometerMetricsSink prometheus() {
    return new MicrometerMetricsSink(PrometheusText.newRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public Optional<String> prometheusText() {
    // by name: a sink on any other registry must not load the Prometheus classes
    return registry.getClass().getName().equals(PROMETHEUS_REGISTRY)
        ? Optional.of(PrometheusText.scrape(registry))
        : Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private <M> M meter(String key, Function<String, M> create) {
    Object m = meters.get(key);
    return m != null ? (M) m : (M) meters.computeIfAbsent(key, create);
  }

  @Override
  public void request(String provider, String model, String operation, String outcome, long nanos) {
    Timer t =
        meter(
            "r|" + provider + '|' + model + '|' + operation + '|' + outcome,
            k ->
                Timer.builder("llm.requests")
                    .description("Requests to providers: count and latency")
                    .tags(
                        "provider",
                        provider,
                        "model",
                        model,
                        "operation",
                        operation,
                        "outcome",
                        outcome)
                    .register(registry));
    t.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void gatewayRequest(String api, int status, boolean stream, long nanos) {
    Timer t =
        meter(
            "g|" + api + '|' + status + '|' + stream,
            k ->
                Timer.builder("llm.gateway.requests")
                    .description("Requests the gateway answered, by API and status: count and time")
                    .tags(
                        "api",
                        api,
                        "status",
                        Integer.toString(status),
                        "stream",
                        Boolean.toString(stream))
                    .register(registry));
    t.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public StreamTimer stream(String provider, String model) {
    return meter(
        "s|" + provider + '|' + model,
        k ->
            new Stream(
                Timer.builder("llm.stream.first.token")
                    .description("Time from request start to the first streamed token")
                    .tags("provider", provider, "model", model)
                    .register(registry),
                Timer.builder("llm.stream.inter.token")
                    .description("Time between two streamed tokens")
                    .tags("provider", provider, "model", model)
                    .register(registry)));
  }

  /** Both timers of one provider and model. */
  private record Stream(Timer first, Timer between) implements StreamTimer {
    @Override
    public void firstToken(long nanos) {
      first.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void interToken(long nanos) {
      between.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void usage(String provider, String model, Usage usage) {
    if (usage.promptTokens() != null) {
      tokens(provider, model, "in").increment(usage.promptTokens());
    }
    if (usage.completionTokens() != null) {
      tokens(provider, model, "out").increment(usage.completionTokens());
    }
    serverDuration(provider, model, "load", usage.loadDuration());
    serverDuration(provider, model, "prompt_eval", usage.promptEvalDuration());
    serverDuration(provider, model, "eval", usage.evalDuration());
    serverDuration(provider, model, "total", usage.totalDuration());
    Double eval = usage.tokensPerSecond();
    if (eval != null) {
      tokensPerSecond(provider, model, "eval").record(eval);
    }
    Duration pe = usage.promptEvalDuration();
    if (usage.promptTokens() != null && pe != null && !pe.isZero()) {
      tokensPerSecond(provider, model, "prompt_eval")
          .record(usage.promptTokens() * 1e9 / pe.toNanos());
    }
  }

  private Counter tokens(String provider, String model, String direction) {
    return meter(
        "t|" + provider + '|' + model + '|' + direction,
        k ->
            Counter.builder("llm.tokens")
                .description("Tokens sent (in) and generated (out)")
                .baseUnit("tokens")
                .tags("provider", provider, "model", model, "direction", direction)
                .register(registry));
  }

  private void serverDuration(String provider, String model, String phase, Duration d) {
    if (d == null) {
      return;
    }
    Timer t =
        meter(
            "d|" + provider + '|' + model + '|' + phase,
            k ->
                Timer.builder("llm.server.duration")
                    .description("The server's own timings (Ollama load, prompt eval, eval, total)")
                    .tags("provider", provider, "model", model, "phase", phase)
                    .register(registry));
    t.record(d.toNanos(), TimeUnit.NANOSECONDS);
  }

  private DistributionSummary tokensPerSecond(String provider, String model, String phase) {
    return meter(
        "p|" + provider + '|' + model + '|' + phase,
        k ->
            DistributionSummary.builder("llm.tokens.per.second")
                .description("Tokens per second from the server's own timings")
                .baseUnit("tokens/s")
                .tags("provider", provider, "model", model, "phase", phase)
                .register(registry));
  }

  @Override
  public void cost(String provider, String model, double cost) {
    Counter c =
        meter(
            "c|" + provider + '|' + model,
            k ->
                Counter.builder("llm.cost")
                    .description("Cost from the price table, in its currency")
                    .tags("provider", provider, "model", model)
                    .register(registry));
    c.increment(cost);
  }

  @Override
  public void routing(String type, String provider, String kind) {
    Counter c =
        meter(
            "e|" + type + '|' + provider + '|' + kind,
            k ->
                Counter.builder("llm.routing.events")
                    .description("Router decisions: retries, failovers, skips, breaker changes")
                    .tags("type", type, "provider", provider, "kind", kind)
                    .register(registry));
    c.increment();
  }

  @Override
  public void breakerState(String provider, int state) {
    gauge("llm.breaker.state", "0 closed, 1 half-open, 2 open", "provider", provider).set(state);
  }

  @Override
  public void providerUp(String provider, int up) {
    gauge("llm.provider.up", "1 up, 0 down or cooling down, -1 unknown", "provider", provider)
        .set(up);
  }

  @Override
  public void modelsLoaded(String host, int count) {
    gauge("llm.models.loaded", "Models loaded on an Ollama host", "host", host).set(count);
  }

  /** A gauge over an AtomicInteger we keep (Micrometer holds gauge state only weakly). */
  private AtomicInteger gauge(String name, String description, String tag, String value) {
    String key = name + '|' + value;
    AtomicInteger v = gauges.get(key);
    if (v != null) {
      return v;
    }
    return gauges.computeIfAbsent(
        key,
        k -> {
          AtomicInteger state = new AtomicInteger();
          Gauge.builder(name, state, AtomicInteger::get)
              .description(description)
              .tags(tag, value)
              .register(registry);
          return state;
        });
  }
}

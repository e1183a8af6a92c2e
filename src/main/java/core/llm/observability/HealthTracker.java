package core.llm.observability;

import core.llm.common.ErrorKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Health per provider from what it sees: request outcomes, breaker changes and probes. A
 * non-retryable error such as a bad request or an unknown model proves the server answered, so it
 * leaves the provider UP (while still recorded as the last error); unreachable, timed-out,
 * overloaded, failing or unauthorized providers are DOWN; an open breaker is COOLING_DOWN until a
 * success or the breaker closes. Thread-safe.
 */
public final class HealthTracker {
  private final Clock clock;
  private final MetricsSink metrics;
  private final ConcurrentHashMap<String, ProviderHealth> states = new ConcurrentHashMap<>();

  HealthTracker(Clock clock, MetricsSink metrics) {
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The health of every provider seen so far, by name. */
  public List<ProviderHealth> snapshot() {
    List<ProviderHealth> out = new ArrayList<>(states.values());
    out.sort(Comparator.comparing(ProviderHealth::provider));
    return out;
  }

  public Optional<ProviderHealth> health(String provider) {
    return Optional.ofNullable(states.get(provider));
  }

  void success(String provider) {
    Instant now = clock.instant();
    update(
        provider,
        h ->
            new ProviderHealth(
                provider,
                ProviderHealth.State.UP,
                h.lastErrorKind(),
                h.lastErrorAt(),
                now,
                h.lastProbeAt(),
                h.lastProbeLatencyMs()));
  }

  void failure(String provider, ErrorKind kind) {
    if (kind == ErrorKind.CANCELLED) {
      return; // the caller's decision says nothing about the provider
    }
    Instant now = clock.instant();
    update(
        provider,
        h ->
            new ProviderHealth(
                provider,
                downAfter(kind, h.state()),
                kind,
                now,
                h.lastSuccessAt(),
                h.lastProbeAt(),
                h.lastProbeLatencyMs()));
  }

  void probed(String provider, boolean up, long latencyMs, ErrorKind kind) {
    Instant now = clock.instant();
    update(
        provider,
        h ->
            up
                ? new ProviderHealth(
                    provider,
                    ProviderHealth.State.UP,
                    h.lastErrorKind(),
                    h.lastErrorAt(),
                    now,
                    now,
                    latencyMs)
                : new ProviderHealth(
                    provider,
                    h.state() == ProviderHealth.State.COOLING_DOWN
                        ? ProviderHealth.State.COOLING_DOWN
                        : ProviderHealth.State.DOWN,
                    kind == null ? ErrorKind.SERVER_ERROR : kind,
                    now,
                    h.lastSuccessAt(),
                    now,
                    latencyMs));
  }

  void coolingDown(String provider) {
    update(
        provider,
        h ->
            new ProviderHealth(
                provider,
                ProviderHealth.State.COOLING_DOWN,
                h.lastErrorKind(),
                h.lastErrorAt(),
                h.lastSuccessAt(),
                h.lastProbeAt(),
                h.lastProbeLatencyMs()));
  }

  void breakerClosed(String provider) {
    update(
        provider,
        h ->
            new ProviderHealth(
                provider,
                ProviderHealth.State.UP,
                h.lastErrorKind(),
                h.lastErrorAt(),
                h.lastSuccessAt(),
                h.lastProbeAt(),
                h.lastProbeLatencyMs()));
  }

  private static ProviderHealth.State downAfter(ErrorKind kind, ProviderHealth.State current) {
    boolean serverAnswered =
        switch (kind) {
          case NOT_FOUND, CAPABILITY_MISSING, BAD_REQUEST, CONTEXT_TOO_LONG -> true;
          default -> false;
        };
    if (serverAnswered) {
      return current == ProviderHealth.State.COOLING_DOWN ? current : ProviderHealth.State.UP;
    }
    return current == ProviderHealth.State.COOLING_DOWN ? current : ProviderHealth.State.DOWN;
  }

  private void update(String provider, java.util.function.UnaryOperator<ProviderHealth> f) {
    ProviderHealth next =
        states.compute(
            provider,
            (k, h) ->
                f.apply(
                    h != null
                        ? h
                        : new ProviderHealth(
                            provider, ProviderHealth.State.UNKNOWN, null, null, null, null, -1)));
    metrics.providerUp(
        provider,
        switch (next.state()) {
          case UP -> 1;
          case UNKNOWN -> -1;
          default -> 0;
        });
  }
}

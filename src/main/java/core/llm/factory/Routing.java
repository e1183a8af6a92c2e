package core.llm.factory;

import core.llm.common.LlmException;
import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.RoutingConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The retry and failover policy for one request: the only place in the library that retries.
 *
 * <p>After a retryable failure before the first token: if a later candidate is available (breaker
 * not open), fail over to it at once (no sleep while someone else can serve, as LiteLLM does);
 * otherwise retry the same provider after an exponential backoff with jitter, at least the server's
 * Retry-After, up to its attempt budget ({@code maxRetries + 1}, else {@code routing.maxAttempts}),
 * and only while its breaker stays closed. A Retry-After beyond {@code routing.maxBackoff} is not
 * waited: with no other candidate the request fails at once, the server's Retry-After in its error.
 * When nothing is left the request fails with {@link ServiceUnavailableException} listing every
 * attempt. Not thread-safe: one request's attempts are sequential.
 */
final class Routing implements LegSource {
  private final LlmProviderFactoryImpl factory;
  private final Resolver.Plan plan;
  private final RoutingConfig rc;
  // made on the first failure: most requests have none to report
  private List<ServiceUnavailableException.Attempt> tried;
  private int index;
  private int attemptsOnCurrent;
  private Duration retryAfter;

  /** The request's load-time options ({@code num_ctx} and the runner's). */
  private final LoadSettings settings;

  Routing(LlmProviderFactoryImpl factory, Resolver.Plan plan, RoutingConfig rc) {
    this(factory, plan, rc, LoadSettings.NONE);
  }

  Routing(
      LlmProviderFactoryImpl factory, Resolver.Plan plan, RoutingConfig rc, LoadSettings settings) {
    this.factory = factory;
    this.plan = plan;
    this.rc = rc;
    this.settings = settings;
  }

  @Override
  public String model() {
    return plan.model();
  }

  @Override
  public Future<Lease> next(LlmException failure) {
    try {
      return nextOrThrow(failure);
    } catch (RuntimeException e) {
      // e.g. the factory closed while this request was in flight: the caller gets a typed error,
      // never an exception escaping into an event-loop callback.
      return Future.failedFuture(
          Errors.classify(e, plan.candidates().get(Math.min(index, plan.candidates().size() - 1))));
    }
  }

  /** Whether {@code provider} is one of this request's candidates. */
  boolean hasCandidate(String provider) {
    return plan.candidates().contains(provider);
  }

  private Future<Lease> nextOrThrow(LlmException failure) {
    factory.ensureOpen(); // a closed factory starts no attempt, first or next
    if (failure == null) {
      return pick(null);
    }
    String current = plan.candidates().get(index);
    tried(
        new ServiceUnavailableException.Attempt(
            current, failure.kind(), failure.status(), failure.kind().name()));
    failure.retryAfter().ifPresent(d -> retryAfter = d);
    if (laterCandidateAvailable()) {
      factory.emit(
          RoutingEvent.Type.FAILOVER,
          current,
          plan.model(),
          failure.kind(),
          failure.status(),
          attemptsOnCurrent,
          Duration.ZERO);
      index++;
      attemptsOnCurrent = 0;
      return pick(failure);
    }
    if (Backoff.beyondCap(failure.retryAfter().orElse(null), rc)) {
      return exhausted(failure);
    }
    if (attemptsOnCurrent < maxAttempts(current)
        && factory.breakerState(current) == BreakerState.CLOSED) {
      Duration delay =
          Backoff.delay(attemptsOnCurrent, rc, failure.retryAfter().orElse(null), factory.random());
      factory.emit(
          RoutingEvent.Type.RETRY,
          current,
          plan.model(),
          failure.kind(),
          failure.status(),
          attemptsOnCurrent + 1,
          delay);
      return factory.clock().sleep(delay).compose(v -> pick(failure));
    }
    return exhausted(failure);
  }

  @Override
  public void midStream(Lease lease, LlmException e) {
    factory.emit(
        RoutingEvent.Type.MID_STREAM_FAILURE,
        lease.name,
        plan.model(),
        e.kind(),
        e.status(),
        attemptsOnCurrent,
        Duration.ZERO);
  }

  /**
   * The first usable candidate from {@link #index}: skips open breakers and providers a reload
   * removed.
   */
  private Future<Lease> pick(LlmException last) {
    List<String> cands = plan.candidates();
    while (index < cands.size()) {
      String name = cands.get(index);
      Lease lease;
      try {
        lease = factory.lease(name, plan.model());
      } catch (LlmException e) {
        // The provider could not be created (bad type, creator failure): a configuration problem
        // of this provider only, so the others still get their chance.
        tried(
            new ServiceUnavailableException.Attempt(name, e.kind(), 0, "not created: " + e.kind()));
        index++;
        attemptsOnCurrent = 0;
        last = last == null ? e : last;
        continue;
      }
      if (lease == null) {
        String why =
            factory.breakerState(name) == BreakerState.CLOSED
                ? "removed by reload"
                : "cooling down";
        tried(new ServiceUnavailableException.Attempt(name, null, 0, why));
        factory.emit(RoutingEvent.Type.SKIPPED, name, plan.model(), null, 0, 0, Duration.ZERO);
        index++;
        attemptsOnCurrent = 0;
        continue;
      }
      attemptsOnCurrent++;
      if (factory.isOverflow(name)) {
        factory.emit(RoutingEvent.Type.OVERFLOW, name, plan.model(), null, 0, 0, Duration.ZERO);
      }
      if (settings.hasRunnerOptions() || settings.numCtx() != null || factory.tracksLoadOptions()) {
        if (factory.needsReload(lease.provider, name, plan.model(), settings)) {
          // placement could not avoid it: every candidate left needs a reload (or none has room)
          factory.emit(
              RoutingEvent.Type.RELOAD_CAUSED, name, plan.model(), null, 0, 0, Duration.ZERO);
        }
        factory.sending(name, plan.model(), settings);
      }
      return Future.succeededFuture(lease);
    }
    return exhausted(last);
  }

  private void tried(ServiceUnavailableException.Attempt attempt) {
    if (tried == null) {
      tried = new ArrayList<>(2);
    }
    tried.add(attempt);
  }

  private boolean laterCandidateAvailable() {
    List<String> cands = plan.candidates();
    for (int i = index + 1; i < cands.size(); i++) {
      if (factory.available(cands.get(i))) {
        return true;
      }
    }
    return false;
  }

  private int maxAttempts(String name) {
    ProviderConfig pc = factory.resolver().enabled(name);
    Integer retries = pc == null ? null : pc.maxRetries();
    return retries != null ? retries + 1 : Math.max(1, rc.maxAttempts());
  }

  private Future<Lease> exhausted(LlmException last) {
    String who = plan.candidates().get(Math.min(index, plan.candidates().size() - 1));
    factory.emit(
        RoutingEvent.Type.EXHAUSTED,
        who,
        plan.model(),
        last == null ? null : last.kind(),
        last == null ? 0 : last.status(),
        attemptsOnCurrent,
        Duration.ZERO);
    return Future.failedFuture(
        new ServiceUnavailableException(
            plan.model(), tried == null ? List.of() : tried, retryAfter, last));
  }
}

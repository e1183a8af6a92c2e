package core.llm.observability;

import core.llm.common.ErrorKind;
import core.llm.common.HealthStatus;
import core.llm.common.LlmException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Active health checks: every {@code period}, each provider's {@code health()} (Ollama {@code
 * /api/version}, OpenAI-compatible model list, ...) on a Vert.x periodic timer, the verdict going
 * to the {@link HealthTracker}. A provider whose previous probe is still running is not probed
 * again, so a hung server cannot pile probes up. {@link #stop()} cancels the timer: nothing is left
 * scheduled. Obtain from {@link Observability#healthProbe}.
 */
public final class HealthProbe {
  private final Vertx vertx;
  private final Duration period;
  private final HealthTracker tracker;
  private final Supplier<Collection<String>> names;
  private final Function<String, Future<HealthStatus>> check;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private long timerId = -1;

  HealthProbe(
      Vertx vertx,
      Duration period,
      HealthTracker tracker,
      Supplier<Collection<String>> names,
      Function<String, Future<HealthStatus>> check) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.period = Objects.requireNonNull(period, "period");
    if (period.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("period must be at least 1ms");
    }
    this.tracker = tracker;
    this.names = names;
    this.check = check;
  }

  /**
   * Starts probing every period (the first round after one period); idempotent. Returns {@code
   * this}.
   */
  public synchronized HealthProbe start() {
    if (timerId < 0) {
      timerId = vertx.setPeriodic(core.llm.common.TimerDelays.millis(period), id -> probeNow());
    }
    return this;
  }

  /** Cancels the timer; probes in flight finish and are still recorded. Idempotent. */
  public synchronized void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  public synchronized boolean running() {
    return timerId >= 0;
  }

  /** Probes every provider now; completes when all answered (never fails). */
  public Future<Void> probeNow() {
    List<Future<?>> all = new ArrayList<>();
    Collection<String> current;
    try {
      current = names.get();
    } catch (RuntimeException e) {
      return Future.succeededFuture(); // no configuration yet, or the factory closed
    }
    for (String name : current) {
      if (!inFlight.add(name)) {
        continue;
      }
      long start = System.nanoTime();
      Future<HealthStatus> f;
      try {
        f = check.apply(name);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      all.add(
          f.andThen(
              ar -> {
                inFlight.remove(name);
                long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
                if (ar.succeeded() && ar.result() != null && ar.result().up()) {
                  tracker.probed(name, true, ms, null);
                } else {
                  ErrorKind kind =
                      ar.cause() instanceof LlmException e
                          ? e.kind()
                          : ar.failed() ? ErrorKind.CONNECTION : ErrorKind.SERVER_ERROR;
                  tracker.probed(name, false, ms, kind);
                }
              }));
    }
    return Future.join(all).transform(ar -> Future.succeededFuture());
  }
}

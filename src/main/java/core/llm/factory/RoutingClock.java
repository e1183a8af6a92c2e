package core.llm.factory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Time as the router sees it: a monotonic clock for breaker cooldowns, wall time for health
 * reports, and a non-blocking sleep for backoff. Injected so tests advance time instead of waiting.
 */
public interface RoutingClock {

  /** Monotonic nanoseconds (only differences matter). */
  long nanoTime();

  /** Wall-clock time, for {@link ProviderStatus#lastErrorAt()}. */
  Instant now();

  /** Completes after {@code delay}; never blocks a thread. */
  Future<Void> sleep(Duration delay);

  /** The real clock with Vert.x timers. */
  static RoutingClock vertx(Vertx vertx) {
    return new RoutingClock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public Future<Void> sleep(Duration delay) {
        long ms = core.llm.common.TimerDelays.millis(delay);
        return ms <= 0
            ? Future.succeededFuture()
            : vertx.timer(ms, TimeUnit.MILLISECONDS).mapEmpty();
      }
    };
  }
}

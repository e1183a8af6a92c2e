package core.llm.factory;

import core.llm.common.TimerDelays;
import core.llm.providers.config.RoutingConfig;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": half fixed, half random, so retries spread but never
 * collapse to 0.
 */
final class Backoff {
  private Backoff() {}

  /**
   * Delay before retry number {@code retry} (1 = the first retry): {@code initial * 2^(retry-1)},
   * capped at {@code maxBackoff}, times a factor in [0.5, 1); never less than {@code retryAfter}
   * when the server sent one (the server knows when it will have capacity).
   */
  /**
   * Whether the server asks for a longer wait than {@code routing.maxBackoff}: such a wait is not
   * waited (a hostile or confused server must not park a request for hours); the request moves on
   * or fails with the server's Retry-After in its error.
   */
  static boolean beyondCap(Duration retryAfter, RoutingConfig rc) {
    return retryAfter != null && retryAfter.compareTo(rc.maxBackoff()) > 0;
  }

  static Duration delay(int retry, RoutingConfig rc, Duration retryAfter, DoubleSupplier random) {
    long initial = TimerDelays.millis(rc.initialBackoff());
    long cap = Math.max(initial, TimerDelays.millis(rc.maxBackoff()));
    long base = initial << Math.min(30, Math.max(0, retry - 1));
    if (base < 0 || base > cap) {
      base = cap;
    }
    long jittered = (long) (base * (0.5 + 0.5 * random.getAsDouble()));
    long ms = retryAfter == null ? jittered : Math.max(jittered, TimerDelays.millis(retryAfter));
    return Duration.ofMillis(ms);
  }
}

package core.llm.gateway;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.LongSupplier;

/**
 * Per-key counters in this process: fixed one-minute windows that start with a key's first request
 * after the last one ended; spend since the gateway started.
 */
final class LocalKeyCounters implements KeyCounters {
  private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Map<String, DoubleAdder> spent = new ConcurrentHashMap<>();

  LocalKeyCounters(LongSupplier nanoClock) {
    this.clock = nanoClock;
  }

  @Override
  public Future<Duration> admit(String key, Integer requestsPerMinute, Integer tokensPerMinute) {
    return Future.succeededFuture(
        windows
            .computeIfAbsent(key, n -> new Window())
            .admit(clock.getAsLong(), requestsPerMinute, tokensPerMinute));
  }

  @Override
  public void addTokens(String key, long tokens) {
    Window w = windows.get(key);
    if (w != null) {
      w.charge(clock.getAsLong(), tokens);
    }
  }

  @Override
  public Future<Double> spent(String key) {
    return Future.succeededFuture(spentNow(key));
  }

  double spentNow(String key) {
    DoubleAdder a = spent.get(key);
    return a == null ? 0 : a.sum();
  }

  @Override
  public void addSpend(String key, double cost) {
    spent.computeIfAbsent(key, n -> new DoubleAdder()).add(cost);
  }

  /** One key's current minute: requests admitted and tokens used. */
  private static final class Window {
    private long start = Long.MIN_VALUE;
    private int requests;
    private long tokens;

    synchronized Duration admit(long now, Integer requestsPerMinute, Integer tokensPerMinute) {
      roll(now);
      boolean overRequests = requestsPerMinute != null && requests >= requestsPerMinute;
      boolean overTokens = tokensPerMinute != null && tokens >= tokensPerMinute;
      if (overRequests || overTokens) {
        return Duration.ofNanos(Math.max(1, start + MINUTE_NANOS - now));
      }
      requests++;
      return null;
    }

    synchronized void charge(long now, long used) {
      roll(now);
      tokens += used;
    }

    private void roll(long now) {
      if (start == Long.MIN_VALUE || now - start >= MINUTE_NANOS) {
        start = now;
        requests = 0;
        tokens = 0;
      }
    }
  }
}

package core.llm.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Per-key counters shared by every gateway of a cluster, in the cluster's atomic counters (Vert.x
 * {@link io.vertx.core.shareddata.SharedData#getCounter}, Hazelcast's under {@code llm serve}).
 *
 * <p>The windows are the wall clock's minutes, the same on every member. Each key has three
 * counters per kind, used in turn (minute modulo 3): a request is one atomic increment of its
 * minute's counter, admitted when that brought the count to at most the limit, so the members
 * together admit exactly the limit per minute while the cluster answers. Every member, a few times
 * a minute and away from its edges, empties every key's counter of the minute after the current
 * one, which nobody uses then (the one before stays as it was, for a member whose clock is a little
 * behind); so a counter is empty when its minute begins, whether or not the key was used in
 * between. Tokens are counted when a request ends, as in one process: requests running when the
 * limit is crossed still finish.
 *
 * <p>When the cluster does not answer within {@link #TIMEOUT_MS} (a member cut off, the cluster
 * splitting), the member counts in {@link LocalKeyCounters} instead, with a warning: requests are
 * never held up, and each cut-off member may then let through up to the limit on its own until the
 * cluster answers again. That is the documented overshoot.
 */
final class ClusterKeyCounters implements KeyCounters {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  /**
   * Long enough for a loaded 2-core machine (1 s was not, under a load of 15), short enough to stay
   * usable when cut off.
   */
  static final long TIMEOUT_MS = 3_000;

  private static final long MINUTE_MS = 60_000;
  private static final double MICROS = 1_000_000.0;

  private final Vertx vertx;
  private final LongSupplier wallMillis;
  private final LocalKeyCounters fallback;
  private final Supplier<? extends Collection<String>> keys;
  private final Map<String, Long> cleared = new ConcurrentHashMap<>();
  private final Map<String, Future<Counter>> counters = new ConcurrentHashMap<>();
  private final long timer;
  private volatile long warnedAt; // 0: the first failure warns (MIN_VALUE would overflow the test)

  /**
   * @param keys the names of the keys whose counters to keep (the configuration's, at each turn)
   */
  ClusterKeyCounters(
      Vertx vertx,
      LongSupplier wallMillis,
      LocalKeyCounters fallback,
      Supplier<? extends Collection<String>> keys) {
    this.vertx = vertx;
    this.wallMillis = wallMillis;
    this.fallback = fallback;
    this.keys = keys;
    this.timer = vertx.setPeriodic(0, CLEAR_EVERY_MS, t -> clearNextMinute());
  }

  static final long CLEAR_EVERY_MS = 5_000;

  /** Empties the next minute's counters of every key, once per minute, between :05 and :55. */
  private void clearNextMinute() {
    long now = wallMillis.getAsLong();
    long second = (now % MINUTE_MS) / 1000;
    if (second < 5 || second >= 55) {
      return;
    }
    long minute = now / MINUTE_MS;
    for (String key : keys.get()) {
      for (String kind : new String[] {"requests", "tokens"}) {
        String next = ring(key, kind) + ((minute + 1) % 3);
        Long before = cleared.put(next, minute);
        if (before == null || before != minute) {
          counterNamed(next)
              .compose(ClusterKeyCounters::empty)
              .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .onFailure(e -> cleared.remove(next, minute)); // tried again at the next turn
        }
      }
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }

  private static String ring(String key, String kind) {
    return "core.llm.key." + kind + "." + key + ".";
  }

  @Override
  public Future<Duration> admit(String key, Integer requestsPerMinute, Integer tokensPerMinute) {
    if (requestsPerMinute == null && tokensPerMinute == null) {
      return Future.succeededFuture();
    }
    long minute = wallMillis.getAsLong() / MINUTE_MS;
    Future<Boolean> tokensLeft =
        tokensPerMinute == null
            ? Future.succeededFuture(true)
            : minuteCounter(key, "tokens", minute)
                .compose(Counter::get)
                .map(used -> used < tokensPerMinute);
    return tokensLeft
        .compose(
            left -> {
              if (!left) {
                return Future.succeededFuture(untilNextMinute());
              }
              if (requestsPerMinute == null) {
                return Future.succeededFuture((Duration) null);
              }
              return minuteCounter(key, "requests", minute)
                  .compose(Counter::incrementAndGet)
                  .map(count -> count <= requestsPerMinute ? null : untilNextMinute());
            })
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(
            e -> {
              warn(e);
              return fallback.admit(key, requestsPerMinute, tokensPerMinute);
            });
  }

  /** The counter of {@code kind} for that minute. */
  private Future<Counter> minuteCounter(String key, String kind, long minute) {
    return counterNamed(ring(key, kind) + (minute % 3));
  }

  private static Future<Void> empty(Counter c) {
    return c.get()
        .compose(
            v ->
                v == 0
                    ? Future.succeededFuture()
                    : c.compareAndSet(v, 0)
                        .compose(done -> done ? Future.succeededFuture() : empty(c)));
  }

  @Override
  public void addTokens(String key, long tokens) {
    if (tokens <= 0) {
      return;
    }
    long minute = wallMillis.getAsLong() / MINUTE_MS;
    minuteCounter(key, "tokens", minute)
        .compose(c -> c.addAndGet(tokens))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(
            e -> {
              warn(e);
              fallback.addTokens(key, tokens);
            });
  }

  @Override
  public Future<Double> spent(String key) {
    return counter(key, "spent")
        .compose(Counter::get)
        .map(micros -> micros / MICROS)
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(
            e -> {
              warn(e);
              return fallback.spent(key);
            });
  }

  @Override
  public void addSpend(String key, double cost) {
    long micros = Math.round(cost * MICROS);
    if (micros <= 0) {
      return;
    }
    counter(key, "spent")
        .compose(c -> c.addAndGet(micros))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(
            e -> {
              warn(e);
              fallback.addSpend(key, cost);
            });
  }

  /**
   * The counter of that name, looked up once: Vert.x's Hazelcast manager makes a counter with a
   * blocking map call on the calling thread (an event loop here), measured at 0.13 ms p50 and up to
   * 3.6 ms p99 under load; the handle itself is cheap to keep (a few per key).
   */
  private Future<Counter> counterNamed(String name) {
    Future<Counter> known = counters.get(name);
    if (known != null && !known.failed()) {
      return known;
    }
    Future<Counter> made = vertx.sharedData().getCounter(name);
    counters.put(name, made);
    return made;
  }

  private Future<Counter> counter(String key, String what) {
    return counterNamed("core.llm.key." + what + "." + key);
  }

  private Duration untilNextMinute() {
    long now = wallMillis.getAsLong();
    return Duration.ofMillis(Math.max(1, MINUTE_MS - now % MINUTE_MS));
  }

  private void warn(Throwable e) {
    long now = wallMillis.getAsLong();
    if (now - warnedAt > MINUTE_MS) {
      warnedAt = now;
      LOG.warning(
          "llm serve: the cluster's key counters did not answer ("
              + e.getMessage()
              + "); counting key limits in this instance until they do, so each instance cut off"
              + " may let a key through up to its limit");
    }
  }
}

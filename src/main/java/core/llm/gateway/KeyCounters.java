package core.llm.gateway;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * What the gateway counts per key: requests and tokens in the current minute, and spend. {@link
 * LocalKeyCounters} in one process; {@link ClusterKeyCounters} across the members of a cluster, so
 * that N gateways together let a key through at most its limit.
 */
interface KeyCounters {

  /**
   * Admits one request of the key if neither limit of the minute is reached, counting it: null when
   * admitted, else how long until the window turns.
   *
   * @param requestsPerMinute null: no request limit
   * @param tokensPerMinute null: no token limit
   */
  Future<Duration> admit(String key, Integer requestsPerMinute, Integer tokensPerMinute);

  /** Tokens a finished request of the key used, against its current minute. */
  void addTokens(String key, long tokens);

  /** What the key has spent (price table units) since counting began. */
  Future<Double> spent(String key);

  /** Adds the cost of a finished request of the key. */
  void addSpend(String key, double cost);

  /** Stops any background work (the gateway is shutting down). */
  default void close() {}
}

package core.llm.factory;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What placement weighs a loaded copy's queue against: how long a request for a model typically
 * runs on a host (measured from lease to release for requests that started at once on a loaded
 * copy), and how long loading the model takes (the factory's shared loads, from the load request to
 * its answer). Both exponentially weighted moving averages; a default until anything is observed.
 * Reads are two hash lookups and a volatile read: placement asks for every candidate of every
 * request.
 */
final class ServiceTimes {
  /** A request's duration before one was observed for that host and model. */
  static final long DEFAULT_REQUEST_NANOS = 2_000_000_000L;

  /**
   * A load's duration before one was observed for the model: three requests' worth, so until the
   * factory has measured anything a loaded copy spreads at about four times its capacity in flight
   * (the fixed threshold this replaced).
   */
  static final long DEFAULT_LOAD_NANOS = 6_000_000_000L;

  /** Weight of a new observation. */
  static final double ALPHA = 0.2;

  /** One moving average; a lost update under a race only drops one sample. */
  static final class Ewma {
    private volatile double value = -1;

    void observe(long nanos) {
      if (nanos <= 0) {
        return;
      }
      double v = value;
      value = v < 0 ? nanos : v + ALPHA * (nanos - v);
    }

    long or(long fallback) {
      double v = value;
      return v < 0 ? fallback : (long) v;
    }
  }

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Ewma>> requests =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Ewma> loads = new ConcurrentHashMap<>();

  /** The average for requests of {@code model} (canonical) on {@code provider}, to observe into. */
  Ewma request(String provider, String model) {
    return requests
        .computeIfAbsent(provider, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(model, k -> new Ewma());
  }

  /** The average for loads of {@code model} (canonical), to observe into. */
  Ewma load(String model) {
    return loads.computeIfAbsent(model, k -> new Ewma());
  }

  /** A request's typical duration there, in nanoseconds. */
  long requestNanos(String provider, String model) {
    ConcurrentHashMap<String, Ewma> byModel = requests.get(provider);
    Ewma e = byModel == null ? null : byModel.get(model);
    return e == null ? DEFAULT_REQUEST_NANOS : e.or(DEFAULT_REQUEST_NANOS);
  }

  /** A load's typical duration for the model, in nanoseconds. */
  long loadNanos(String model) {
    Ewma e = loads.get(model);
    return e == null ? DEFAULT_LOAD_NANOS : e.or(DEFAULT_LOAD_NANOS);
  }
}

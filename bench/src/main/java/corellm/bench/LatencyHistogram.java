package corellm.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies without a count cap: logarithmic buckets 0.5% wide from 1 ns to about 100 s, so a
 * closed loop bounded by time alone can record any number of requests from any thread without
 * allocating. A percentile is the centre of its bucket (within 0.25%).
 */
final class LatencyHistogram {
  private static final double STEP = Math.log(1.005);
  private static final int BUCKETS = (int) (Math.log(1e11) / STEP) + 2;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(long nanos) {
    int i = nanos <= 1 ? 0 : (int) (Math.log(nanos) / STEP);
    counts.incrementAndGet(Math.min(BUCKETS - 1, i));
  }

  long count() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The q-quantile (0..1) in nanoseconds; NaN when empty. */
  double quantileNanos(double q) {
    long n = count();
    if (n == 0) {
      return Double.NaN;
    }
    long rank = Math.min(n - 1, (long) Math.floor(q * n));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen > rank) {
        return Math.exp((i + 0.5) * STEP);
      }
    }
    return Math.exp((BUCKETS - 0.5) * STEP);
  }
}

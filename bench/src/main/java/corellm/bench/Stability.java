package corellm.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides when a warm-up is over: after each window the caller adds the window's CPU per operation;
 * the warm-up is {@link Decision#STABLE} once the last {@code windows} values are within {@code
 * tolerance} of each other ((max - min) / min) and at least {@code floorNanos} have passed, and
 * {@link Decision#UNSTABLE} when {@code capNanos} have passed without that (the round is then
 * measured anyway and marked unstable).
 */
final class Stability {
  enum Decision {
    CONTINUE,
    STABLE,
    UNSTABLE
  }

  private final double tolerance;
  private final int windows;
  private final long floorNanos;
  private final long capNanos;
  private final List<Double> values = new ArrayList<>();

  Stability(double tolerance, int windows, long floorNanos, long capNanos) {
    if (windows < 2 || tolerance < 0 || capNanos < floorNanos) {
      throw new IllegalArgumentException("windows >= 2, tolerance >= 0, cap >= floor");
    }
    this.tolerance = tolerance;
    this.windows = windows;
    this.floorNanos = floorNanos;
    this.capNanos = capNanos;
  }

  /**
   * @param cpuPerOp this window's CPU per operation (NaN or infinite when it completed none)
   * @param elapsedNanos time since the warm-up began, at the end of this window
   */
  Decision add(double cpuPerOp, long elapsedNanos) {
    values.add(cpuPerOp);
    if (elapsedNanos >= floorNanos && settled()) {
      return Decision.STABLE;
    }
    return elapsedNanos >= capNanos ? Decision.UNSTABLE : Decision.CONTINUE;
  }

  /** Whether the last {@code windows} values are finite, positive and within the tolerance. */
  boolean settled() {
    if (values.size() < windows) {
      return false;
    }
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double v : values.subList(values.size() - windows, values.size())) {
      if (!(v > 0) || Double.isInfinite(v)) {
        return false;
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return (max - min) / min <= tolerance;
  }

  /** Spread of the last {@code windows} values, (max - min) / min; NaN before there are enough. */
  double spread() {
    if (values.size() < windows) {
      return Double.NaN;
    }
    List<Double> last = values.subList(values.size() - windows, values.size());
    double min = last.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = last.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return (max - min) / min;
  }

  List<Double> values() {
    return List.copyOf(values);
  }
}

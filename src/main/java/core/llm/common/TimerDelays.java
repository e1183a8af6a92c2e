package core.llm.common;

import java.time.Duration;

/**
 * Durations turned into Vert.x timer delays. A {@link Duration} can hold far more than a {@code
 * long} of milliseconds ({@code Duration.ofDays(200_000_000_000L).toMillis()} throws), and an
 * exception where a timer is armed leaves a stream paused forever; so every delay is clamped here.
 */
public final class TimerDelays {
  /** The longest delay armed: a year. Limits meant as "no limit" are far beyond any exchange. */
  public static final Duration MAX = Duration.ofDays(365);

  private TimerDelays() {}

  /** Milliseconds for a timer: 0 for null, zero or negative ("none"), else 1 ms to {@link #MAX}. */
  public static long millis(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      return 0;
    }
    return Math.max(1, d.compareTo(MAX) > 0 ? MAX.toMillis() : d.toMillis());
  }
}

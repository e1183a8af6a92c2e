package corellm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void quantilesAreWithinHalfAPercentWithoutACountCap() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 1; i <= 1_000_000; i++) {
      h.record(i * 1000L); // 1 us .. 1 s, uniform
    }
    assertEquals(1_000_000, h.count());
    assertEquals(500_000_000, h.quantileNanos(0.50), 500_000_000 * 0.005);
    assertEquals(990_000_000, h.quantileNanos(0.99), 990_000_000 * 0.005);
  }

  @Test
  void emptyIsNaN() {
    assertTrue(Double.isNaN(new LatencyHistogram().quantileNanos(0.5)));
  }
}

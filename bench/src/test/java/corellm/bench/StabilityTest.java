package corellm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corellm.bench.Stability.Decision;
import org.junit.jupiter.api.Test;

class StabilityTest {
  static final long S = 1_000_000_000L;

  @Test
  void settlesOnlyAfterTheFloorWithThreeWindowsWithinFivePercent() {
    Stability s = new Stability(0.05, 3, 10 * S, 40 * S);
    // settled values from the start, but the floor is not reached yet
    assertEquals(Decision.CONTINUE, s.add(100, 2 * S));
    assertEquals(Decision.CONTINUE, s.add(101, 4 * S));
    assertEquals(Decision.CONTINUE, s.add(102, 6 * S));
    assertEquals(Decision.CONTINUE, s.add(100, 8 * S));
    assertEquals(Decision.STABLE, s.add(104, 10 * S));
  }

  @Test
  void aJitDescentIsNotStableUntilItFlattens() {
    Stability s = new Stability(0.05, 3, 10 * S, 40 * S);
    double[] descent = {900, 400, 200, 150, 120, 110, 106, 104, 103};
    Decision last = null;
    int i = 0;
    for (; i < descent.length; i++) {
      last = s.add(descent[i], (i + 1) * 2 * S);
      if (last != Decision.CONTINUE) {
        break;
      }
    }
    // 110 / 106 / 104 spread 5.8%: not yet; 106 / 104 / 103 spread 2.9% at 18 s: stable
    assertEquals(Decision.STABLE, last);
    assertEquals(8, i);
  }

  @Test
  void sixPercentApartIsNotSettled() {
    Stability s = new Stability(0.05, 3, 0, 40 * S);
    s.add(100, S);
    s.add(106, 2 * S);
    assertEquals(Decision.CONTINUE, s.add(103, 3 * S));
    assertFalse(s.settled());
    assertEquals(0.06, s.spread(), 1e-9);
  }

  @Test
  void theCapEndsAnUnsettledWarmUpAsUnstable() {
    Stability s = new Stability(0.05, 3, 10 * S, 40 * S);
    Decision d = Decision.CONTINUE;
    long t = 0;
    int windows = 0;
    while (d == Decision.CONTINUE) {
      t += 2 * S;
      d = s.add(windows++ % 2 == 0 ? 100 : 130, t);
    }
    assertEquals(Decision.UNSTABLE, d);
    assertEquals(40 * S, t);
  }

  @Test
  void aWindowWithoutOperationsNeverCountsAsSettled() {
    Stability s = new Stability(0.05, 3, 0, 40 * S);
    s.add(Double.NaN, S);
    s.add(Double.NaN, 2 * S);
    assertEquals(Decision.CONTINUE, s.add(Double.NaN, 3 * S));
    s.add(50, 4 * S);
    s.add(50, 5 * S);
    assertTrue(s.add(50, 6 * S) == Decision.STABLE);
  }
}

package corellm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DisturbanceTest {
  static Disturbance.Sample at(long t, double others) {
    return new Disturbance.Sample(t, others, 0, 50);
  }

  @Test
  void aJvmSeesTheSamplesTakenWhileItRanIncludingTheOneCoveringItsEnd() {
    List<Disturbance.Sample> samples =
        List.of(at(1000, 90), at(2000, 10), at(3000, 20), at(4000, 30), at(5000, 95));
    // JVM from 1500 to 3500: the samples ending at 2000, 3000 and 4000 (which covers 3000-4000)
    Disturbance.Seen seen = Disturbance.during(samples, 1500, 3500, 1000);
    assertEquals(3, seen.samples());
    assertEquals(20, seen.meanOthersPct(), 1e-9);
    assertEquals(30, seen.maxOthersPct(), 1e-9);
  }

  @Test
  void disturbedMeansOthersAboveBusyMaxOverTheRun() {
    assertTrue(Disturbance.disturbed(new Disturbance.Seen(25.1, 40, 0, 10), 25));
    assertFalse(Disturbance.disturbed(new Disturbance.Seen(25.0, 80, 0, 10), 25));
    // unknown (no samples) is not a reason to drop
    assertFalse(
        Disturbance.disturbed(new Disturbance.Seen(Double.NaN, Double.NaN, Double.NaN, 0), 25));
  }

  @Test
  void oursIsTheRootAndEveryDescendant() {
    // pid -> {ticks, ppid}: 10 is the script, 11 its timeout, 12 the JVM under it, 20 someone else
    Map<Long, long[]> snap =
        Map.of(
            10L, new long[] {0, 1},
            11L, new long[] {0, 10},
            12L, new long[] {0, 11},
            13L, new long[] {0, 10},
            20L, new long[] {0, 1},
            21L, new long[] {0, 20});
    assertEquals(Set.of(10L, 11L, 12L, 13L), Disturbance.tree(snap, 10));
  }

  @Test
  void theSnapshotReadsThisProcessWithItsParent() {
    long self = ProcessHandle.current().pid();
    long[] me = Disturbance.snapshot().get(self);
    assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), me[1]);
    assertTrue(me[0] >= 0);
  }
}

package corellm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummarizeTest {
  static Summarize.Rec rec(String client, int round, double cpu, long t0) {
    return new Summarize.Rec(
        client, "s1", round, true, "", true, Map.of("cpu_us_per_token", cpu), t0, t0 + 20_000);
  }

  /** Five rounds of raw-vertx and core-llm; round 3 was disturbed during core-llm's JVM. */
  static List<Summarize.Rec> recs() {
    double[] raw = {2.0, 2.0, 2.0, 4.0, 2.0};
    double[] core = {2.2, 2.4, 9.0, 4.4, 2.1};
    List<Summarize.Rec> out = new ArrayList<>();
    for (int r = 1; r <= 5; r++) {
      long t = r * 100_000L;
      out.add(rec("raw-vertx", r, raw[r - 1], t));
      out.add(rec("core-llm", r, core[r - 1], t + 30_000));
    }
    return out;
  }

  static Map<Summarize.Rec, Disturbance.Seen> seen(List<Summarize.Rec> recs) {
    Map<Summarize.Rec, Disturbance.Seen> seen = new HashMap<>();
    for (Summarize.Rec r : recs) {
      boolean busy = r.round() == 3 && r.client().equals("core-llm");
      seen.put(r, new Disturbance.Seen(busy ? 60 : 5, busy ? 90 : 10, 0, 20));
    }
    return seen;
  }

  @Test
  void ratiosArePerRoundAndTheDisturbedRoundIsDroppedWithItsReason() {
    List<Summarize.Rec> recs = recs();
    Map<String, Map<Integer, String>> dropped = Summarize.droppedRounds(recs, seen(recs), 25);
    assertEquals(
        Map.of(3, "disturbed: others used 60% (max 90%) during core-llm"), dropped.get("s1"));

    Summarize.Row row = Summarize.row(recs, dropped, "core-llm", "s1", "cpu_us_per_token");
    assertEquals(List.of(1, 2, 4, 5), row.rounds());
    // round 4: both slower (4.4 / 4.0): its ratio is 1.1, not the 2.2 a median of values would give
    List<Double> expected = List.of(1.1, 1.2, 1.1, 1.05);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), row.ratios().get(i), 1e-9);
    }
    assertEquals(1.1, row.medianRatio(), 1e-9);
    assertEquals(1.05, row.minRatio(), 1e-9);
    assertEquals(1.2, row.maxRatio(), 1e-9);
    assertEquals(1, row.droppedRounds());
    assertEquals(2.3, row.medianValue(), 1e-9);
  }

  @Test
  void aTargetIsMetOnlyWhenEveryKeptRoundMeetsIt() {
    List<Summarize.Rec> recs = recs();
    Map<String, Map<Integer, String>> dropped = Summarize.droppedRounds(recs, seen(recs), 25);
    Summarize.Row row = Summarize.row(recs, dropped, "core-llm", "s1", "cpu_us_per_token");
    // median 1.1 meets 1.15, but round 2's 1.2 does not
    assertFalse(Summarize.goalMet(row, "max", 1.15));
    assertTrue(Summarize.goalMet(row, "max", 1.20));
    assertTrue(Summarize.goalMet(row, "min", 1.05));
  }

  @Test
  void withoutDisturbanceNothingIsDroppedAndTheOutlierCounts() {
    List<Summarize.Rec> recs = recs();
    Map<String, Map<Integer, String>> dropped = Summarize.droppedRounds(recs, Map.of(), 25);
    assertTrue(dropped.isEmpty());
    Summarize.Row row = Summarize.row(recs, dropped, "core-llm", "s1", "cpu_us_per_token");
    assertEquals(5, row.ratios().size());
    assertEquals(4.5, row.maxRatio(), 1e-9);
  }

  @Test
  void aRoundWithoutRawVertxIsDroppedForEveryClient() {
    List<Summarize.Rec> recs = new ArrayList<>(recs());
    recs.removeIf(r -> r.round() == 5 && r.client().equals("raw-vertx"));
    recs.add(new Summarize.Rec("raw-vertx", "s1", 5, false, "watchdog", true, Map.of(), 1, 2));
    Map<String, Map<Integer, String>> dropped = Summarize.droppedRounds(recs, Map.of(), 25);
    assertEquals("raw-vertx has no result", dropped.get("s1").get(5));
    Summarize.Row row = Summarize.row(recs, dropped, "core-llm", "s1", "cpu_us_per_token");
    assertEquals(List.of(1, 2, 3, 4), row.rounds());
  }

  @Test
  void noKeptRoundIsNeitherMetNorMissed() {
    Summarize.Row empty =
        new Summarize.Row(
            "core-llm", "s1", "cpu_us_per_token", List.of(), List.of(), List.of(), 5, 0);
    assertNull(Summarize.goalMet(empty, "max", 1.15));
  }

  @Test
  void theMarkdownStatesDroppedRoundsAndMisses() {
    List<Summarize.Rec> recs = recs();
    Map<Summarize.Rec, Disturbance.Seen> seen = seen(recs);
    Map<String, Map<Integer, String>> dropped = Summarize.droppedRounds(recs, seen, 25);
    String md = Summarize.markdown(recs, seen, dropped, 25, true);
    assertTrue(md.contains("**s1** (4 rounds kept, 1 dropped)"), md);
    assertTrue(md.contains("- round 3 dropped: disturbed"), md);
    assertTrue(md.contains("1.10 [1.05-1.20] | 1.10 / 1.20 / 1.10 / 1.05"), md);
    assertTrue(md.contains("MISSED in 1 of 4 rounds"), md);
    String csv = Summarize.csv(recs, seen, dropped);
    assertTrue(
        csv.contains("core-llm,s1,3,cpu_us_per_token,9.00,4.5000,true,60.0,90.0,\"disturbed"), csv);
  }
}

package corellm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchServeTest {
  @TempDir Path dir;

  @Test
  void warmsUpOnceThenMeasuresOncePerRoundAndSaysSo() throws Exception {
    List<String> calls = new ArrayList<>();
    Bench.Scenario sc =
        new Bench.Scenario() {
          int measured;

          @Override
          public void warmUp(Map<String, Object> r) {
            calls.add("warm");
            r.put("warmup_s", 1.5);
          }

          @Override
          public void measure(Map<String, Object> r) {
            calls.add("measure " + r.get("round"));
            if (++measured == 2) {
              throw new IllegalStateException("stream delivered 3 of 200 tokens");
            }
            r.put("cpu_us_per_token", 2.0 * measured);
          }
        };
    Path out = dir.resolve("raw.jsonl");
    ByteArrayOutputStream talk = new ByteArrayOutputStream();
    Map<String, Object> base = new LinkedHashMap<>();
    base.put("client", "raw-vertx");
    base.put("scenario", "s1");
    base.put("round", 1);
    Bench.serve(
        List.of("s1"),
        name -> new Bench.Opened(() -> calls.add("close"), sc),
        base,
        out,
        60,
        new BufferedReader(
            new StringReader("measure 1\nmeasure 2\nnoise\nmeasure 3\nquit\nmeasure 4\n")),
        new PrintStream(talk, true, StandardCharsets.UTF_8));

    assertEquals(List.of("warm", "measure 1", "measure 2", "measure 3", "close"), calls);
    assertEquals(
        List.of(Bench.READY, Bench.DONE, Bench.DONE, Bench.DONE),
        talk.toString(StandardCharsets.UTF_8).lines().toList());
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size());
    JsonNode r1 = Bench.JSON.readTree(lines.get(0));
    JsonNode r2 = Bench.JSON.readTree(lines.get(1));
    JsonNode r3 = Bench.JSON.readTree(lines.get(2));
    assertEquals(1, r1.path("round").asInt());
    assertTrue(r1.path("ok").asBoolean());
    assertEquals(1.5, r1.path("warmup_s").asDouble()); // the warm-up's fields are in every round
    assertEquals(2.0, r1.path("cpu_us_per_token").asDouble());
    assertTrue(r1.path("t_end_ms").asLong() >= r1.path("t_start_ms").asLong());
    assertFalse(r1.has("served"));
    assertEquals(2, r2.path("round").asInt());
    assertFalse(r2.path("ok").asBoolean());
    assertTrue(r2.path("error").asText().contains("3 of 200"));
    assertEquals(3, r3.path("round").asInt());
    assertEquals(6.0, r3.path("cpu_us_per_token").asDouble());
  }

  @Test
  void aGroupRunsItsScenariosInOrderInOneJvmTheLaterOnesWithTheShorterWarmUp() throws Exception {
    double floor = Bench.floorS;
    double cap = Bench.capS;
    try {
      List<String> calls = new ArrayList<>();
      Bench.Opener open =
          name ->
              new Bench.Opened(
                  () -> calls.add("close " + name),
                  new Bench.Scenario() {
                    @Override
                    public void warmUp(Map<String, Object> r) {
                      calls.add("warm " + name + " floor " + Bench.floorS + " cap " + Bench.capS);
                    }

                    @Override
                    public void measure(Map<String, Object> r) {
                      calls.add("measure " + name + " " + r.get("round"));
                    }
                  });
      Path out = dir.resolve("group.jsonl");
      ByteArrayOutputStream talk = new ByteArrayOutputStream();
      Map<String, Object> base = new LinkedHashMap<>();
      base.put("client", "core-llm");
      base.put("scenario", "s2c1+s2c64");
      Bench.floorS = 10;
      Bench.capS = 20;
      Bench.serve(
          List.of("s2c1", "s2c64"),
          open,
          base,
          out,
          60,
          new BufferedReader(new StringReader("measure 1\nmeasure 2\nnext\nmeasure 1\nquit\n")),
          new PrintStream(talk, true, StandardCharsets.UTF_8));

      assertEquals(
          List.of(
              "warm s2c1 floor 10.0 cap 20.0",
              "measure s2c1 1",
              "measure s2c1 2",
              "close s2c1",
              "warm s2c64 floor " + Bench.nextFloorS + " cap " + Bench.nextCapS,
              "measure s2c64 1",
              "close s2c64"),
          calls);
      assertEquals(
          List.of(Bench.READY, Bench.DONE, Bench.DONE, Bench.READY, Bench.DONE),
          talk.toString(StandardCharsets.UTF_8).lines().toList());
      List<JsonNode> lines = new ArrayList<>();
      for (String l : Files.readAllLines(out)) {
        lines.add(Bench.JSON.readTree(l));
      }
      assertEquals(3, lines.size());
      assertEquals("s2c1", lines.get(1).path("scenario").asText());
      assertEquals(10.0, lines.get(1).path("floor_s").asDouble());
      assertEquals("s2c64", lines.get(2).path("scenario").asText());
      assertEquals(Bench.nextFloorS, lines.get(2).path("floor_s").asDouble());
      assertEquals(1, lines.get(2).path("group_index").asInt());
      assertEquals("s2c1+s2c64", lines.get(2).path("jvm_group").asText());
    } finally {
      Bench.floorS = floor;
      Bench.capS = cap;
    }
  }

  @Test
  void warmUpEndsAtTheFloorWhenCpuPerOperationIsSteady() throws Exception {
    double floor = Bench.floorS;
    double cap = Bench.capS;
    long window = Bench.windowMs;
    try {
      Bench.floorS = 0.6;
      Bench.capS = 5;
      Bench.windowMs = 100;
      // a fixed amount of computation per operation: steady CPU per op once compiled
      Bench.Work w =
          deadline -> {
            long n = 0;
            do {
              double x = 0;
              for (int i = 0; i < 20_000; i++) {
                x += Math.sqrt(i + n);
              }
              if (x < 0) {
                throw new AssertionError();
              }
              n++;
            } while (System.nanoTime() < deadline);
            return n;
          };
      Map<String, Object> r = new LinkedHashMap<>();
      Bench.warmUp(w, r);
      double took = (Double) r.get("warmup_s");
      assertTrue(took >= 0.6, "floor: " + took);
      @SuppressWarnings("unchecked")
      List<Double> windows = (List<Double>) r.get("warmup_cpu_ns_per_op");
      assertTrue(windows.size() >= 3, windows.toString());
      if (Boolean.TRUE.equals(r.get("stable"))) {
        assertTrue((Double) r.get("warmup_spread") <= 0.05, r.toString());
      } else {
        assertTrue(took >= 5, "unstable only at the cap: " + r);
      }
    } finally {
      Bench.floorS = floor;
      Bench.capS = cap;
      Bench.windowMs = window;
    }
  }
}

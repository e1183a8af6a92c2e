package corellm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the JSON lines of a run (and the disturbance monitor's samples) and writes, per scenario,
 * metric and client, the median of the kept rounds' values and the median, min and max of the
 * per-round ratios to raw-vertx (each round's value over raw-vertx's value in the same round), as
 * CSV (one row per JVM and metric, dropped rounds included and marked) and as Markdown.
 *
 * <p>A round of a scenario is dropped when any of its JVMs saw more than {@code --busy-max} % of
 * the machine used by other processes ({@link Disturbance}), or when raw-vertx has no result in it
 * (nothing to divide by). A target is met only when every kept round meets it.
 *
 * <p>Usage: {@code Summarize raw.jsonl summary.csv summary.md [--samples samples.jsonl] [--busy-max
 * 25] [--interval-ms 1000]}
 */
public final class Summarize {
  static final String BASELINE = "raw-vertx";

  static final List<String> CLIENTS =
      List.of(
          "raw-vertx",
          "core-llm",
          "core-llm-routed",
          "core-llm-nometrics",
          "core-llm-metrics",
          "langchain4j",
          "spring-ai",
          "ollama4j");

  /** scenario, metric, what is better */
  static final String[][] METRICS = {
    {"s1", "cpu_us_per_token", "low"},
    {"s1", "wall_us_per_token", "low"},
    {"s1", "alloc_bytes_per_token", "low"},
    {"s1paced", "cpu_us_per_token", "low"},
    {"s1paced", "wall_us_per_token", "low"},
    {"s1paced", "alloc_bytes_per_token", "low"},
    {"s1-16k", "cpu_us_per_token", "low"},
    {"s1-16k", "alloc_bytes_per_token", "low"},
    {"s2c1", "req_per_s", "high"},
    {"s2c1", "p50_ms", "low"},
    {"s2c1", "p99_ms", "low"},
    {"s2c1", "cpu_us_per_req", "low"},
    {"s2c1", "alloc_kb_per_req", "low"},
    {"s2c64", "req_per_s", "high"},
    {"s2c64", "p50_ms", "low"},
    {"s2c64", "p99_ms", "low"},
    {"s2c64", "cpu_us_per_req", "low"},
    {"s2c64", "alloc_kb_per_req", "low"},
    {"s2c64", "max_live_threads", "low"},
    {"s3", "tokens_per_s", "high"},
    {"s3", "cpu_us_per_token", "low"},
    {"s3", "max_live_threads", "low"},
    {"s3", "max_heap_used_mb", "low"},
    {"s3", "vm_hwm_mb", "low"},
    {"s3-16k", "tokens_per_s", "high"},
    {"s3-16k", "cpu_us_per_token", "low"},
    {"s4", "req_per_s", "high"},
    {"s4", "cpu_ms_per_req", "low"},
    {"s4", "alloc_kb_per_req", "low"},
    {"s4", "alloc_kb_per_req_gc", "low"},
  };

  /**
   * Issue 13's goals against raw-vertx in the same round: scenario, metric, "max" (ratio at most)
   * or "min" (ratio at least), bound. Checked for core-llm and core-llm-routed.
   */
  static final Object[][] GOALS = {
    {"s1", "cpu_us_per_token", "max", 1.15},
    {"s1paced", "cpu_us_per_token", "max", 1.10},
    {"s2c1", "cpu_us_per_req", "max", 1.15},
    {"s2c1", "alloc_kb_per_req", "max", 1.15},
    {"s2c64", "req_per_s", "min", 0.80},
    {"s3", "tokens_per_s", "min", 0.85},
    {"s3", "max_live_threads", "max", 1.00},
    {"s3", "max_heap_used_mb", "max", 1.10},
    {"s3", "vm_hwm_mb", "max", 1.10},
    {"s4", "cpu_ms_per_req", "max", 1.10},
  };

  static final List<String> GOAL_CLIENTS = List.of("core-llm", "core-llm-routed");

  /** One JVM's result line. */
  record Rec(
      String client,
      String scenario,
      int round,
      boolean ok,
      String error,
      boolean stable,
      Map<String, Double> values,
      long tStartMs,
      long tEndMs) {}

  /** The per-round view of one client, scenario and metric. */
  record Row(
      String client,
      String scenario,
      String metric,
      List<Integer> rounds,
      List<Double> values,
      List<Double> ratios,
      int droppedRounds,
      int failedRounds) {

    Double medianValue() {
      return median(values);
    }

    Double medianRatio() {
      return median(ratios);
    }

    Double minRatio() {
      return ratios.stream().min(Double::compare).orElse(null);
    }

    Double maxRatio() {
      return ratios.stream().max(Double::compare).orElse(null);
    }
  }

  /** Whether a goal holds in every kept round; {@code null} when no round was kept. */
  static Boolean goalMet(Row row, String kind, double bound) {
    if (row.ratios().isEmpty()) {
      return null;
    }
    for (double r : row.ratios()) {
      if (kind.equals("max") ? r > bound : r < bound) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why each dropped round was dropped: scenario → round → reason. A round is dropped when a JVM of
   * it saw others use more than busyMax % of the machine, or when raw-vertx has no result in it.
   */
  static Map<String, Map<Integer, String>> droppedRounds(
      List<Rec> recs, Map<Rec, Disturbance.Seen> seen, double busyMax) {
    Map<String, Map<Integer, String>> out = new TreeMap<>();
    Map<String, Set<Integer>> rounds = new TreeMap<>();
    for (Rec r : recs) {
      rounds.computeIfAbsent(r.scenario(), k -> new TreeSet<>()).add(r.round());
      Disturbance.Seen s = seen.get(r);
      if (s != null && Disturbance.disturbed(s, busyMax)) {
        out.computeIfAbsent(r.scenario(), k -> new TreeMap<>())
            .merge(
                r.round(),
                String.format(
                    Locale.ROOT,
                    "disturbed: others used %.0f%% (max %.0f%%) during %s",
                    s.meanOthersPct(),
                    s.maxOthersPct(),
                    r.client()),
                (a, b) -> a + "; " + b.substring("disturbed: ".length()));
      }
    }
    rounds.forEach(
        (scenario, set) -> {
          for (int round : set) {
            boolean baseline =
                recs.stream()
                    .anyMatch(
                        r ->
                            r.ok()
                                && r.client().equals(BASELINE)
                                && r.scenario().equals(scenario)
                                && r.round() == round);
            if (!baseline) {
              out.computeIfAbsent(scenario, k -> new TreeMap<>())
                  .merge(round, BASELINE + " has no result", (a, b) -> a + "; " + b);
            }
          }
        });
    return out;
  }

  static Row row(
      List<Rec> recs,
      Map<String, Map<Integer, String>> dropped,
      String client,
      String scenario,
      String metric) {
    Map<Integer, String> drop = dropped.getOrDefault(scenario, Map.of());
    Map<Integer, Double> base = new TreeMap<>();
    for (Rec r : recs) {
      if (r.ok() && r.client().equals(BASELINE) && r.scenario().equals(scenario)) {
        Double v = r.values().get(metric);
        if (v != null) {
          base.put(r.round(), v);
        }
      }
    }
    List<Integer> rounds = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    Set<Integer> droppedSeen = new TreeSet<>();
    int failed = 0;
    for (Rec r : recs) {
      if (!r.client().equals(client) || !r.scenario().equals(scenario)) {
        continue;
      }
      if (drop.containsKey(r.round())) {
        droppedSeen.add(r.round());
        continue;
      }
      Double v = r.values().get(metric);
      if (!r.ok() || v == null) {
        failed += r.ok() ? 0 : 1;
        continue;
      }
      rounds.add(r.round());
      values.add(v);
      Double b = base.get(r.round());
      if (b != null && b != 0) {
        ratios.add(v / b);
      }
    }
    return new Row(client, scenario, metric, rounds, values, ratios, droppedSeen.size(), failed);
  }

  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>();
    Path samplesFile = null;
    double busyMax = 25;
    long interval = 1000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--samples" -> samplesFile = Path.of(args[++i]);
        case "--busy-max" -> busyMax = Double.parseDouble(args[++i]);
        case "--interval-ms" -> interval = Long.parseLong(args[++i]);
        default -> positional.add(args[i]);
      }
    }
    ObjectMapper json = new ObjectMapper();
    List<Rec> recs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(positional.get(0)))) {
      if (!line.isBlank()) {
        recs.add(parse(json.readTree(line)));
      }
    }
    List<Disturbance.Sample> samples = new ArrayList<>();
    if (samplesFile != null && Files.exists(samplesFile)) {
      for (String line : Files.readAllLines(samplesFile)) {
        if (!line.isBlank()) {
          JsonNode n = json.readTree(line);
          samples.add(
              new Disturbance.Sample(
                  n.path("t_ms").asLong(),
                  n.path("others_pct").asDouble(),
                  n.path("steal_pct").asDouble(),
                  n.path("ours_pct").asDouble()));
        }
      }
    }
    Map<Rec, Disturbance.Seen> seen = new LinkedHashMap<>();
    for (Rec r : recs) {
      if (r.tStartMs() > 0 && r.tEndMs() > 0) {
        seen.put(r, Disturbance.during(samples, r.tStartMs(), r.tEndMs(), interval));
      }
    }
    Map<String, Map<Integer, String>> dropped = droppedRounds(recs, seen, busyMax);
    String md = markdown(recs, seen, dropped, busyMax, !samples.isEmpty());
    Files.writeString(Path.of(positional.get(1)), csv(recs, seen, dropped));
    Files.writeString(Path.of(positional.get(2)), md);
    System.out.print(md);
  }

  static Rec parse(JsonNode n) {
    Map<String, Double> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNumber()) {
        values.put(e.getKey(), e.getValue().asDouble());
      }
    }
    return new Rec(
        n.path("client").asText(),
        n.path("scenario").asText(),
        n.path("round").asInt(1),
        n.path("ok").asBoolean(),
        n.path("error").asText(""),
        n.path("stable").asBoolean(true),
        values,
        n.path("t_start_ms").asLong(0),
        n.path("t_end_ms").asLong(0));
  }

  /** Scenarios in METRICS order, those of the run only. */
  static List<String> scenarios(List<Rec> recs) {
    Set<String> present = new LinkedHashSet<>();
    recs.forEach(r -> present.add(r.scenario()));
    Set<String> out = new LinkedHashSet<>();
    for (String[] m : METRICS) {
      if (present.contains(m[0])) {
        out.add(m[0]);
      }
    }
    return List.copyOf(out);
  }

  static List<String> clients(List<Rec> recs) {
    Set<String> present = new LinkedHashSet<>();
    recs.forEach(r -> present.add(r.client()));
    List<String> out = new ArrayList<>();
    for (String c : CLIENTS) {
      if (present.remove(c)) {
        out.add(c);
      }
    }
    out.addAll(present);
    return out;
  }

  static String markdown(
      List<Rec> recs,
      Map<Rec, Disturbance.Seen> seen,
      Map<String, Map<Integer, String>> dropped,
      double busyMax,
      boolean haveSamples) {
    StringBuilder md = new StringBuilder();
    List<String> clients = clients(recs);
    Set<Integer> allRounds = new TreeSet<>();
    recs.forEach(r -> allRounds.add(r.round()));
    md.append(
        String.format(
            Locale.ROOT,
            "Rounds: %d. Each cell: median of the kept rounds' values; in brackets the median"
                + " per-round ratio to raw-vertx [min-max] and the per-round ratios in round"
                + " order. A round is dropped when a JVM of it saw others use more than %.0f%% of"
                + " the machine%s, or raw-vertx has no result in it.%n",
            allRounds.size(),
            busyMax,
            haveSamples ? "" : " (no disturbance samples given: none dropped for that)"));
    for (String scenario : scenarios(recs)) {
      Map<Integer, String> drop = dropped.getOrDefault(scenario, Map.of());
      long kept =
          recs.stream()
              .filter(r -> r.scenario().equals(scenario))
              .map(Rec::round)
              .distinct()
              .filter(r -> !drop.containsKey(r))
              .count();
      md.append("\n**")
          .append(scenario)
          .append("** (")
          .append(kept)
          .append(" rounds kept, ")
          .append(drop.size())
          .append(" dropped)\n\n| client | metric | median | ratio to raw-vertx | per round |\n")
          .append("|---|---|---:|---:|---|\n");
      for (String[] m : METRICS) {
        if (!m[0].equals(scenario)) {
          continue;
        }
        for (String client : clients) {
          Row row = row(recs, dropped, client, scenario, m[1]);
          boolean any =
              recs.stream()
                  .anyMatch(r -> r.client().equals(client) && r.scenario().equals(scenario));
          if (!any) {
            continue;
          }
          md.append("| ").append(client).append(" | ").append(m[1]).append(" | ");
          if (row.values().isEmpty()) {
            md.append(
                    row.failedRounds() > 0 ? "failed" : row.droppedRounds() > 0 ? "dropped" : "n/a")
                .append(" | | |\n");
            continue;
          }
          md.append(fmt(row.medianValue())).append(" | ");
          if (!row.ratios().isEmpty() && !client.equals(BASELINE)) {
            md.append(
                String.format(
                    Locale.ROOT,
                    "%.2f [%.2f-%.2f]",
                    row.medianRatio(),
                    row.minRatio(),
                    row.maxRatio()));
          }
          md.append(" | ");
          if (!client.equals(BASELINE)) {
            md.append(
                row.ratios().stream()
                    .map(r -> String.format(Locale.ROOT, "%.2f", r))
                    .reduce((a, b) -> a + " / " + b)
                    .orElse(""));
          }
          if (row.failedRounds() > 0) {
            md.append(" (").append(row.failedRounds()).append(" failed)");
          }
          md.append(" |\n");
        }
      }
      if (!drop.isEmpty()) {
        md.append('\n');
        drop.forEach(
            (round, reason) ->
                md.append("- round ")
                    .append(round)
                    .append(" dropped: ")
                    .append(reason)
                    .append('\n'));
      }
    }
    md.append("\n**Goals** (met only when every kept round meets it)\n\n");
    md.append("| client | scenario | metric | goal | result |\n|---|---|---|---|---|\n");
    for (Object[] g : GOALS) {
      String scenario = (String) g[0];
      String metric = (String) g[1];
      String kind = (String) g[2];
      double bound = (Double) g[3];
      for (String client : GOAL_CLIENTS) {
        if (recs.stream()
            .noneMatch(r -> r.client().equals(client) && r.scenario().equals(scenario))) {
          continue;
        }
        Row row = row(recs, dropped, client, scenario, metric);
        Boolean met = goalMet(row, kind, bound);
        long misses =
            row.ratios().stream().filter(r -> kind.equals("max") ? r > bound : r < bound).count();
        md.append("| ")
            .append(client)
            .append(" | ")
            .append(scenario)
            .append(" | ")
            .append(metric)
            .append(" | ")
            .append(kind.equals("max") ? "<= " : ">= ")
            .append(String.format(Locale.ROOT, "%.2fx", bound))
            .append(" | ")
            .append(
                met == null
                    ? "no kept round"
                    : met
                        ? String.format(Locale.ROOT, "met in all %d rounds", row.ratios().size())
                        : String.format(
                            Locale.ROOT,
                            "MISSED in %d of %d rounds (%s)",
                            misses,
                            row.ratios().size(),
                            row.ratios().stream()
                                .map(r -> String.format(Locale.ROOT, "%.2f", r))
                                .reduce((a, b) -> a + " / " + b)
                                .orElse("")))
            .append(" |\n");
      }
    }
    List<Rec> unstable = recs.stream().filter(r -> r.ok() && !r.stable()).toList();
    md.append("\nWarm-up did not settle (cap reached, measured anyway): ")
        .append(unstable.size())
        .append(" of ")
        .append(recs.size())
        .append(" result lines");
    if (!unstable.isEmpty()) {
      md.append(": ")
          .append(
              unstable.stream()
                  .map(r -> r.client() + " " + r.scenario() + " r" + r.round())
                  .reduce((a, b) -> a + ", " + b)
                  .orElse(""));
    }
    md.append('\n');
    List<Rec> cut =
        recs.stream().filter(r -> r.values().getOrDefault("unfinished", 0.0) > 0).toList();
    if (!cut.isEmpty()) {
      md.append("\nCalls still in flight 5 s after the measurement's end, left out of it: ")
          .append(
              cut.stream()
                  .map(
                      r ->
                          String.format(
                              Locale.ROOT,
                              "%s %s r%d (%.0f)",
                              r.client(),
                              r.scenario(),
                              r.round(),
                              r.values().get("unfinished")))
                  .reduce((a, b) -> a + ", " + b)
                  .orElse(""))
          .append('\n');
    }
    List<Rec> failures = recs.stream().filter(r -> !r.ok()).toList();
    md.append("\nFailures: ").append(failures.size()).append('\n');
    for (Rec r : failures) {
      md.append("- ")
          .append(r.client())
          .append(' ')
          .append(r.scenario())
          .append(" round ")
          .append(r.round())
          .append(": ")
          .append(r.error())
          .append('\n');
    }
    double[] others =
        seen.values().stream()
            .filter(s -> s.samples() > 0)
            .mapToDouble(Disturbance.Seen::meanOthersPct)
            .sorted()
            .toArray();
    if (others.length > 0) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nOthers' CPU during each measurement (%% of the machine): min %.1f, median %.1f,"
                  + " max %.1f over %d result lines%n",
              others[0],
              others[others.length / 2],
              others[others.length - 1],
              others.length));
    }
    return md.toString();
  }

  /** One row per JVM and metric: round, value, ratio, dropped (with the reason), disturbance. */
  static String csv(
      List<Rec> recs, Map<Rec, Disturbance.Seen> seen, Map<String, Map<Integer, String>> dropped) {
    StringBuilder csv =
        new StringBuilder(
            "client,scenario,round,metric,value,ratio_to_raw_vertx,stable,others_mean_pct,"
                + "others_max_pct,dropped\n");
    for (Rec r : recs) {
      if (!r.ok()) {
        continue;
      }
      Disturbance.Seen s = seen.get(r);
      String reason = dropped.getOrDefault(r.scenario(), Map.of()).get(r.round());
      Rec base =
          recs.stream()
              .filter(
                  x ->
                      x.ok()
                          && x.client().equals(BASELINE)
                          && x.scenario().equals(r.scenario())
                          && x.round() == r.round())
              .findFirst()
              .orElse(null);
      for (String[] m : METRICS) {
        if (!m[0].equals(r.scenario()) || !r.values().containsKey(m[1])) {
          continue;
        }
        double v = r.values().get(m[1]);
        String ratio = "";
        Double bv = base == null ? null : base.values().get(m[1]);
        if (bv != null && bv != 0) {
          ratio = String.format(Locale.ROOT, "%.4f", v / bv);
        }
        csv.append(r.client())
            .append(',')
            .append(r.scenario())
            .append(',')
            .append(r.round())
            .append(',')
            .append(m[1])
            .append(',')
            .append(fmt(v))
            .append(',')
            .append(ratio)
            .append(',')
            .append(r.stable())
            .append(',')
            .append(
                s == null || s.samples() == 0
                    ? ""
                    : String.format(Locale.ROOT, "%.1f", s.meanOthersPct()))
            .append(',')
            .append(
                s == null || s.samples() == 0
                    ? ""
                    : String.format(Locale.ROOT, "%.1f", s.maxOthersPct()))
            .append(",\"")
            .append(reason == null ? "" : reason.replace('"', '\''))
            .append("\"\n");
      }
    }
    return csv.toString();
  }

  static Double median(List<Double> v) {
    if (v.isEmpty()) {
      return null;
    }
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  static String fmt(double d) {
    if (Math.abs(d) >= 100) {
      return String.format(Locale.ROOT, "%.0f", d);
    }
    return String.format(Locale.ROOT, "%.3g", d);
  }

  private Summarize() {}
}

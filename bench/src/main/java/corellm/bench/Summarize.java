package corellm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the JSON lines of a run and writes the medians per client and scenario, with ratios to
 * raw-vertx, as CSV and as a Markdown table. Usage: {@code Summarize raw.jsonl summary.csv
 * summary.md}
 */
public final class Summarize {
  static final List<String> CLIENTS =
      List.of(
          "raw-vertx",
          "core-llm",
          "core-llm-nometrics",
          "core-llm-metrics",
          "langchain4j",
          "spring-ai",
          "ollama4j");

  /** scenario, metric, higher is better */
  static final String[][] METRICS = {
    {"s1", "cpu_us_per_token", "low"},
    {"s1", "wall_us_per_token", "low"},
    {"s1", "alloc_bytes_per_token", "low"},
    {"s2c1", "req_per_s", "high"},
    {"s2c1", "p50_ms", "low"},
    {"s2c1", "p99_ms", "low"},
    {"s2c1", "cpu_us_per_req", "low"},
    {"s2c64", "req_per_s", "high"},
    {"s2c64", "p50_ms", "low"},
    {"s2c64", "p99_ms", "low"},
    {"s2c64", "cpu_us_per_req", "low"},
    {"s2c64", "max_live_threads", "low"},
    {"s3", "tokens_per_s", "high"},
    {"s3", "max_live_threads", "low"},
    {"s3", "max_heap_used_mb", "low"},
    {"s3", "vm_hwm_mb", "low"},
    {"s4", "req_per_s", "high"},
    {"s4", "cpu_ms_per_req", "low"},
    {"s4", "alloc_kb_per_req", "low"},
    {"s4", "alloc_kb_per_req_gc", "low"},
  };

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    // client -> scenario -> metric -> values
    Map<String, Map<String, Map<String, List<Double>>>> values = new TreeMap<>();
    Map<String, Map<String, List<String>>> errors = new TreeMap<>();
    List<Double> loads = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = json.readTree(line);
      String client = n.path("client").asText();
      String scenario = n.path("scenario").asText();
      loads.add(n.path("load_before").asDouble());
      if (!n.path("ok").asBoolean()) {
        errors
            .computeIfAbsent(client, k -> new TreeMap<>())
            .computeIfAbsent(scenario, k -> new ArrayList<>())
            .add(n.path("error").asText());
        continue;
      }
      n.fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().isNumber()) {
                  values
                      .computeIfAbsent(client, k -> new TreeMap<>())
                      .computeIfAbsent(scenario, k -> new TreeMap<>())
                      .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                      .add(e.getValue().asDouble());
                }
              });
    }
    StringBuilder csv =
        new StringBuilder("client,scenario,metric,median,runs,ratio_to_raw_vertx,values\n");
    StringBuilder md = new StringBuilder();
    Map<String, List<String[]>> byScenario = new LinkedHashMap<>();
    for (String[] m : METRICS) {
      byScenario.computeIfAbsent(m[0], k -> new ArrayList<>()).add(m);
    }
    for (Map.Entry<String, List<String[]>> group : byScenario.entrySet()) {
      md.append("\n**").append(group.getKey()).append("**\n\n| client |");
      for (String[] m : group.getValue()) {
        md.append(' ').append(m[1]).append(" |");
      }
      md.append("\n|---|").append("---:|".repeat(group.getValue().size())).append('\n');
      for (String client : CLIENTS) {
        md.append("| ").append(client).append(" |");
        for (String[] m : group.getValue()) {
          Double med = median(values, client, m[0], m[1]);
          Double raw = median(values, "raw-vertx", m[0], m[1]);
          List<Double> all =
              values
                  .getOrDefault(client, Map.of())
                  .getOrDefault(m[0], Map.of())
                  .getOrDefault(m[1], List.of());
          if (med == null) {
            List<String> err = errors.getOrDefault(client, Map.of()).get(m[0]);
            md.append(err == null ? " n/a |" : " failed |");
            continue;
          }
          String ratio =
              raw == null || raw == 0 ? "" : String.format(Locale.ROOT, "%.2f", med / raw);
          csv.append(client)
              .append(',')
              .append(m[0])
              .append(',')
              .append(m[1])
              .append(',')
              .append(fmt(med))
              .append(',')
              .append(all.size())
              .append(',')
              .append(ratio)
              .append(",\"")
              .append(all.stream().map(Summarize::fmt).reduce((a, b) -> a + " " + b).orElse(""))
              .append("\"\n");
          md.append(' ').append(fmt(med));
          if (!ratio.isEmpty() && !client.equals("raw-vertx")) {
            md.append(" (").append(ratio).append("x)");
          }
          md.append(" |");
        }
        md.append('\n');
      }
    }
    md.append("\nFailures:\n");
    errors.forEach(
        (client, failures) ->
            failures.forEach(
                (scenario, list) ->
                    md.append("- ")
                        .append(client)
                        .append(' ')
                        .append(scenario)
                        .append(": ")
                        .append(list.size())
                        .append(" run(s): ")
                        .append(list.get(0))
                        .append('\n')));
    double[] l = loads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (l.length > 0) {
      md.append(
          String.format(
              Locale.ROOT,
              "\n1-minute load average at JVM start: min %.2f, median %.2f, max %.2f over %d JVMs%n",
              l[0],
              l[l.length / 2],
              l[l.length - 1],
              l.length));
    }
    Files.writeString(Path.of(args[1]), csv);
    Files.writeString(Path.of(args[2]), md);
    System.out.print(md);
  }

  static Double median(
      Map<String, Map<String, Map<String, List<Double>>>> values,
      String client,
      String scenario,
      String metric) {
    List<Double> v =
        values
            .getOrDefault(client, Map.of())
            .getOrDefault(scenario, Map.of())
            .getOrDefault(metric, List.of());
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

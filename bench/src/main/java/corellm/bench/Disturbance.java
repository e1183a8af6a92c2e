package corellm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How much of the machine other people used while each benchmark JVM ran. run.sh starts one monitor
 * for the whole run: every {@code --interval-ms} it reads every process's utime + stime from {@code
 * /proc/<pid>/stat} (as {@link ProcStats} does) and the steal ticks of {@code /proc/stat}, and
 * appends one line {@code {"t_ms":..., "others_pct":..., "steal_pct":..., "ours_pct":...}} in % of
 * the whole machine (100 = every CPU busy). "Ours" is the process tree under {@code --root}
 * (run.sh: the servers, the client JVMs, this monitor); everything else, plus steal, is "others".
 * Summarize then gives each JVM the samples taken while it ran ({@link #during}), and drops a round
 * in which any JVM saw more than BUSY_MAX % used by others.
 *
 * <p>Usage: {@code Disturbance --root <pid> --out samples.jsonl [--interval-ms 1000]}
 */
public final class Disturbance {
  private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

  /** One sample: the interval ending at {@code tMs} (epoch ms). */
  record Sample(long tMs, double othersPct, double stealPct, double oursPct) {}

  /** What one JVM saw: mean and max of the samples inside its run, and how many there were. */
  record Seen(double meanOthersPct, double maxOthersPct, double meanStealPct, int samples) {}

  public static void main(String[] args) throws Exception {
    long root = -1;
    Path out = null;
    long interval = 1000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Long.parseLong(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--interval-ms" -> interval = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (root < 0 || out == null) {
      throw new IllegalArgumentException("--root and --out are required");
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    Map<Long, long[]> before = snapshot();
    long steal0 = ProcStats.stealTicks();
    long t0 = System.nanoTime();
    while (true) {
      Thread.sleep(interval);
      Map<Long, long[]> now = snapshot();
      long steal1 = ProcStats.stealTicks();
      long t1 = System.nanoTime();
      double capacity = (t1 - t0) / 1e9 * TICKS_PER_SECOND * cpus / 100.0;
      Set<Long> ours = tree(now, root);
      long oursTicks = 0;
      long othersTicks = 0;
      for (Map.Entry<Long, long[]> e : now.entrySet()) {
        long[] prev = before.get(e.getKey());
        // a pid seen for the first time: count only what it used since it started inside this
        // interval would need its start time; its whole past is not ours to count, so skip it
        if (prev == null) {
          continue;
        }
        long d = Math.max(0, e.getValue()[0] - prev[0]);
        if (ours.contains(e.getKey())) {
          oursTicks += d;
        } else {
          othersTicks += d;
        }
      }
      double steal = (steal1 - steal0) / capacity;
      String line =
          String.format(
              Locale.ROOT,
              "{\"t_ms\":%d,\"others_pct\":%.1f,\"steal_pct\":%.1f,\"ours_pct\":%.1f}%n",
              System.currentTimeMillis(),
              othersTicks / capacity + steal,
              steal,
              oursTicks / capacity);
      try {
        Files.writeString(
            out,
            line,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        e.printStackTrace();
      }
      before = now;
      steal0 = steal1;
      t0 = t1;
    }
  }

  /** pid → {utime + stime ticks, parent pid}. */
  static Map<Long, long[]> snapshot() {
    Map<Long, long[]> out = new HashMap<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String s = Files.readString(d.resolve("stat"));
          String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
          // after the name: state(0) ppid(1) ... utime(11) stime(12)
          out.put(
              Long.parseLong(name),
              new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[1])});
        } catch (IOException | RuntimeException e) {
          // the process ended between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: this benchmark needs Linux /proc", e);
    }
    return out;
  }

  /** The root and all its descendants, from a snapshot's parent pids. */
  static Set<Long> tree(Map<Long, long[]> snapshot, long root) {
    Map<Long, List<Long>> children = new HashMap<>();
    snapshot.forEach((pid, v) -> children.computeIfAbsent(v[1], k -> new ArrayList<>()).add(pid));
    Set<Long> out = new HashSet<>();
    List<Long> todo = new ArrayList<>(List.of(root));
    while (!todo.isEmpty()) {
      long p = todo.remove(todo.size() - 1);
      if (out.add(p)) {
        todo.addAll(children.getOrDefault(p, List.of()));
      }
    }
    return out;
  }

  /**
   * The samples whose interval ended inside [startMs, endMs + interval) — the last one covers the
   * JVM's end — folded into what that JVM saw. No samples: NaN (not known, so not dropped).
   */
  static Seen during(List<Sample> samples, long startMs, long endMs, long intervalMs) {
    double sum = 0;
    double max = 0;
    double steal = 0;
    int n = 0;
    for (Sample s : samples) {
      if (s.tMs() > startMs && s.tMs() < endMs + intervalMs) {
        sum += s.othersPct();
        max = Math.max(max, s.othersPct());
        steal += s.stealPct();
        n++;
      }
    }
    return n == 0
        ? new Seen(Double.NaN, Double.NaN, Double.NaN, 0)
        : new Seen(sum / n, max, steal / n, n);
  }

  /** The disturbance rule: others used more than busyMax % of the machine over the JVM's run. */
  static boolean disturbed(Seen seen, double busyMaxPct) {
    return seen.samples() > 0 && seen.meanOthersPct() > busyMaxPct;
  }

  private Disturbance() {}
}

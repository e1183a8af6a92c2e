package corellm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux says about the machine and our processes: CPU ticks from {@code /proc/stat} and {@code
 * /proc/<pid>/stat}, threads and memory from {@code /proc/<pid>/status}. Lets the gateway benchmark
 * tell how busy the machine was with other people's work during each measurement.
 */
final class ProcStats {
  private ProcStats() {}

  /** Busy and total ticks of all CPUs together, from the first line of /proc/stat. */
  static long[] machineTicks() {
    String[] f = firstLine(Path.of("/proc/stat")).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }

  /** User plus system ticks of one process (0 when it is gone). */
  static long processTicks(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name is in parentheses and may hold spaces: count fields after it
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** A {@code /proc/<pid>/status} field as a number (kB for memory), or -1. */
  static long status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The process's threads by name, digits at the end folded ("vert.x-eventloop-thread-#"). */
  static Map<String, Integer> threadNames(long pid) {
    Map<String, Integer> out = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("\\d+$", "#");
          out.merge(name, 1, Integer::sum);
        } catch (IOException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  static String loadavg() {
    return firstLine(Path.of("/proc/loadavg")).trim();
  }

  private static String firstLine(Path p) {
    try {
      List<String> lines = Files.readAllLines(p);
      return lines.isEmpty() ? "" : lines.get(0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + p + ": this benchmark needs Linux /proc", e);
    }
  }

  /**
   * CPU use between two moments, in % of the whole machine (100 = every CPU busy): all of it, ours
   * (the given processes) and others (the difference: other people's work).
   */
  static final class Window {
    private final long[] pids;
    private final long[] m0;
    private final long ours0;
    private final long first0;

    /** {@code pids[0]} is also reported alone (the gateway's JVM). */
    Window(long... pids) {
      this.pids = pids;
      m0 = machineTicks();
      ours0 = ours();
      first0 = processTicks(pids[0]);
    }

    private long ours() {
      long sum = 0;
      for (long p : pids) {
        sum += processTicks(p);
      }
      return sum;
    }

    /** {machine busy %, ours %, others %, pids[0]'s %} since this window opened. */
    double[] close() {
      long[] m1 = machineTicks();
      long total = Math.max(1, m1[1] - m0[1]);
      double busy = 100.0 * (m1[0] - m0[0]) / total;
      double ours = 100.0 * (ours() - ours0) / total;
      double first = 100.0 * (processTicks(pids[0]) - first0) / total;
      return new double[] {busy, ours, Math.max(0, busy - ours), first};
    }
  }
}

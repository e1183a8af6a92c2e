package corellm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux says about the machine and our processes: CPU ticks from {@code /proc/<pid>/stat}
 * (steal from {@code /proc/stat}), threads and memory from {@code /proc/<pid>/status}. Lets the
 * gateway benchmark tell how busy the machine was with other people's work during each measurement.
 */
final class ProcStats {
  private ProcStats() {}

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

  /** Ticks of every process now, by pid (threads of a process are in its own line). */
  static Map<Long, Long> allProcessTicks() {
    Map<Long, Long> out = new java.util.HashMap<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          long pid = Long.parseLong(name);
          out.put(pid, processTicks(pid));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: this benchmark needs Linux /proc", e);
    }
    return out;
  }

  /** Steal ticks of all CPUs (time the hypervisor gave our virtual CPUs to someone else). */
  static long stealTicks() {
    String[] f = firstLine(Path.of("/proc/stat")).trim().split("\\s+");
    return f.length > 8 ? Long.parseLong(f[8]) : 0;
  }

  /**
   * CPU use between two moments, in % of the whole machine (100 = every CPU busy for the whole
   * window): ours (the given processes), others (every other process of this machine, plus steal:
   * other virtual machines on the same host CPUs) and steal alone.
   *
   * <p>Each process's own CPU time is used, not the busy ticks of /proc/stat: on this virtual
   * machine those undercount (a window in which our processes used 20% showed 2% busy). A process
   * that starts and ends inside the window is not seen.
   */
  static final class Window {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private final long[] pids;
    private final Map<Long, Long> all0;
    private final long steal0;
    private final long t0 = System.nanoTime();

    /** {@code pids[0]} is also reported alone (the gateway's JVM). */
    Window(long... pids) {
      this.pids = pids;
      all0 = allProcessTicks();
      steal0 = stealTicks();
    }

    /** {ours + others %, ours %, others % (steal included), pids[0]'s %, steal %} since opened. */
    double[] close() {
      Map<Long, Long> all1 = allProcessTicks();
      double capacity =
          (System.nanoTime() - t0) / 1e9 * TICKS_PER_SECOND * GatewayBench.CPUS / 100.0;
      long ours = 0;
      long first = 0;
      long total = 0;
      for (Map.Entry<Long, Long> e : all1.entrySet()) {
        long d = e.getValue() - all0.getOrDefault(e.getKey(), 0L);
        total += Math.max(0, d);
      }
      for (long p : pids) {
        long d = Math.max(0, all1.getOrDefault(p, 0L) - all0.getOrDefault(p, 0L));
        ours += d;
        if (p == pids[0]) {
          first = d;
        }
      }
      double steal = (stealTicks() - steal0) / capacity;
      return new double[] {
        (total / capacity) + steal,
        ours / capacity,
        (total - ours) / capacity + steal,
        first / capacity,
        steal
      };
    }
  }
}

package corellm.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** Process-level counters of the client JVM: CPU, allocation, threads, heap, RSS. */
final class Metrics {
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * Bytes freed by every collection since start (a GC-based allocation estimate that also sees dead
   * threads).
   */
  static final AtomicLong FREED = new AtomicLong();

  static {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (n, h) -> {
              if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  n.getType())) {
                return;
              }
              GarbageCollectionNotificationInfo info =
                  GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
              long before = 0;
              long after = 0;
              for (Map.Entry<String, MemoryUsage> e :
                  info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                if (isHeapPool(e.getKey())) {
                  before += e.getValue().getUsed();
                }
              }
              for (Map.Entry<String, MemoryUsage> e :
                  info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (isHeapPool(e.getKey())) {
                  after += e.getValue().getUsed();
                }
              }
              FREED.addAndGet(Math.max(0, before - after));
            },
            null,
            null);
      }
    }
  }

  private static boolean isHeapPool(String name) {
    return name.contains("Eden")
        || name.contains("Survivor")
        || name.contains("Old")
        || name.contains("Tenured");
  }

  static long cpuNanos() {
    return OS.getProcessCpuTime();
  }

  static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Allocated bytes per live thread, by thread id. */
  static Map<Long, Long> threadAllocations() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> out = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        out.put(ids[i], bytes[i]);
      }
    }
    return out;
  }

  /**
   * Bytes allocated by threads alive at the end since {@code start} (threads that died are not
   * seen).
   */
  static long allocatedSince(Map<Long, Long> start) {
    long total = 0;
    for (Map.Entry<Long, Long> e : threadAllocations().entrySet()) {
      total += e.getValue() - start.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }

  /** A field of /proc/self/status in kB (VmHWM, VmRSS), or -1. */
  static long procStatusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  static double loadAverage() {
    return OS.getSystemLoadAverage();
  }

  private Metrics() {}
}

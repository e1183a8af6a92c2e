package corellm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import corellm.bench.clients.BenchClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one scenario for one client in this JVM and appends one JSON line to the output file. run.sh
 * starts one JVM per client x scenario x round.
 *
 * <pre>
 * Bench --client raw-vertx|core-llm|ollama4j|langchain4j|spring-ai
 *       --scenario s1|s2c1|s2c64|s3|s4 [--port 11435] [--round 1] [--out results/raw.jsonl]
 *       [--quick] (shorter loops, for a smoke test)
 * </pre>
 *
 * Every loop is bounded in count and in time; a watchdog ends the JVM if a client hangs.
 */
public final class Bench {
  static final ObjectMapper JSON = new ObjectMapper();
  static boolean quick;

  public static void main(String[] args) throws Exception {
    String client = null;
    String scenario = null;
    int port = 11435;
    int round = 1;
    int pool = 1100;
    int watchdogSeconds = 240;
    Path out = Path.of("results/raw.jsonl");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--client" -> client = args[++i];
        case "--scenario" -> scenario = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--round" -> round = Integer.parseInt(args[++i]);
        case "--pool" -> pool = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--watchdog" -> watchdogSeconds = Integer.parseInt(args[++i]);
        case "--quick" -> quick = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (client == null || scenario == null) {
      throw new IllegalArgumentException("--client and --scenario are required");
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("client", client);
    r.put("scenario", scenario);
    r.put("round", round);
    r.put("jvm", Runtime.version().toString());
    r.put("cpus", Runtime.getRuntime().availableProcessors());
    r.put("xmx_mb", Runtime.getRuntime().maxMemory() >> 20);
    r.put("load_before", Metrics.loadAverage());
    Path output = out;
    int watchdogSec = watchdogSeconds;
    Map<String, Object> result = r;
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(1000L * watchdogSec);
              } catch (InterruptedException e) {
                return;
              }
              result.put("ok", false);
              result.put("error", "watchdog: no result within the time limit");
              write(output, result);
              Runtime.getRuntime().halt(3);
            },
            "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    String baseUrl = "http://127.0.0.1:" + port;
    try (BenchClient c = BenchClient.create(client, baseUrl, port, pool)) {
      switch (scenario) {
        case "s1" -> s1(c, r);
        case "s2c1" -> s2(c, 1, r);
        case "s2c64" -> s2(c, 64, r);
        case "s3" -> s3(c, r);
        case "s4" -> s4(c, r);
        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
      }
      r.put("ok", true);
    } catch (Throwable e) {
      r.put("ok", false);
      r.put("error", String.valueOf(e));
      e.printStackTrace();
    }
    r.put("load_after", Metrics.loadAverage());
    write(output, r);
    System.out.println(JSON.writeValueAsString(r));
    System.out.flush();
    if (Boolean.getBoolean("bench.exit")) {
      System.exit(0); // runs shutdown hooks, e.g. to dump a -XX:StartFlightRecording file
    }
    Runtime.getRuntime().halt(0); // some peers leave non-daemon threads behind
  }

  static synchronized void write(Path out, Map<String, Object> r) {
    try {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(
          out,
          JSON.writeValueAsString(r) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      e.printStackTrace();
    }
  }

  // ---- S1: one stream of 2,000 tokens at a time: client CPU per token ----

  static int oneStream(BenchClient c, int tokens) throws Exception {
    int n =
        c.asyncStreaming() ? c.streamAsync(tokens).get(120, TimeUnit.SECONDS) : c.stream(tokens);
    if (n != tokens) {
      throw new IllegalStateException("stream delivered " + n + " of " + tokens + " tokens");
    }
    return n;
  }

  static void s1(BenchClient c, Map<String, Object> r) throws Exception {
    int tokens = 2000;
    int warm = Integer.getInteger("bench.s1.warm", quick ? 5 : 60);
    int max = Integer.getInteger("bench.s1.streams", quick ? 10 : 100);
    long limit = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.s1.seconds", quick ? 5 : 15));
    long warmEnd =
        System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.s1.seconds", 15));
    for (int i = 0; i < warm && System.nanoTime() < warmEnd; i++) {
      oneStream(c, tokens);
    }
    Map<Long, Long> alloc0 = Metrics.threadAllocations();
    long cpu0 = Metrics.cpuNanos();
    long t0 = System.nanoTime();
    int done = 0;
    while (done < max && System.nanoTime() - t0 < limit) {
      oneStream(c, tokens);
      done++;
    }
    long wall = System.nanoTime() - t0;
    long cpu = Metrics.cpuNanos() - cpu0;
    long allocated = Metrics.allocatedSince(alloc0);
    long total = (long) done * tokens;
    r.put("alloc_bytes_per_token", (double) allocated / total);
    r.put("streams", done);
    r.put("tokens", total);
    r.put("cpu_us_per_token", cpu / 1000.0 / total);
    r.put("wall_us_per_token", wall / 1000.0 / total);
    r.put("tokens_per_s", total * 1e9 / wall);
  }

  // ---- S2: non-streamed chat, closed loop at a fixed concurrency ----

  static void s2(BenchClient c, int concurrency, Map<String, Object> r) throws Exception {
    int tokens = 20;
    int warmCount =
        Integer.getInteger("bench.s2.warmCount", quick ? 500 : (concurrency == 1 ? 3000 : 30000));
    int maxCount = quick ? 1000 : (concurrency == 1 ? 20000 : 300000);
    closedLoop(
        c,
        concurrency,
        tokens,
        warmCount,
        TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.s2.warmSeconds", 2)));
    long cpu0 = Metrics.cpuNanos();
    long[] lat =
        closedLoop(
            c,
            concurrency,
            tokens,
            maxCount,
            TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.s2.seconds", quick ? 3 : 4)));
    long cpu = Metrics.cpuNanos() - cpu0;
    int n = (int) lat[lat.length - 1];
    r.put("cpu_us_per_req", cpu / 1000.0 / n);
    long wall = lat[lat.length - 2];
    long[] sorted = Arrays.copyOf(lat, n);
    Arrays.sort(sorted);
    r.put("concurrency", concurrency);
    r.put("requests", n);
    r.put("req_per_s", n * 1e9 / wall);
    r.put("p50_ms", sorted[(int) (n * 0.50)] / 1e6);
    r.put("p99_ms", sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
    r.put("max_live_threads", Metrics.THREADS.getPeakThreadCount());
  }

  /** Returns latencies (ns) of completed requests, then wall time, then the count, in one array. */
  static long[] closedLoop(BenchClient c, int concurrency, int tokens, int max, long durationNanos)
      throws Exception {
    long[] lat = new long[max + 2];
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicReference<Throwable> error = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(concurrency);
    long t0 = System.nanoTime();
    long deadline = t0 + durationNanos;
    if (c.blocking()) {
      List<Thread> threads = new ArrayList<>();
      for (int k = 0; k < concurrency; k++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    while (error.get() == null) {
                      int i = issued.getAndIncrement();
                      if (i >= max || System.nanoTime() > deadline) {
                        break;
                      }
                      long s = System.nanoTime();
                      c.chat(tokens);
                      lat[i] = System.nanoTime() - s;
                      completed.incrementAndGet();
                    }
                  } catch (Throwable e) {
                    error.compareAndSet(null, e);
                  } finally {
                    finished.countDown();
                  }
                },
                "bench-caller-" + k);
        threads.add(t);
      }
      threads.forEach(Thread::start);
    } else {
      for (int k = 0; k < concurrency; k++) {
        issueNext(c, tokens, lat, max, deadline, issued, completed, error, finished);
      }
    }
    if (!finished.await(durationNanos / 1_000_000 + 60_000, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("closed loop did not finish");
    }
    long wall = System.nanoTime() - t0;
    if (error.get() != null) {
      throw new IllegalStateException("request failed: " + error.get(), error.get());
    }
    // compact: completed requests have a latency > 0 (indexes are issued in order)
    int n = 0;
    int top = Math.min(issued.get(), max);
    for (int i = 0; i < top; i++) {
      if (lat[i] > 0) {
        lat[n++] = lat[i];
      }
    }
    lat[lat.length - 2] = wall;
    lat[lat.length - 1] = n;
    return lat;
  }

  private static void issueNext(
      BenchClient c,
      int tokens,
      long[] lat,
      int max,
      long deadline,
      AtomicInteger issued,
      AtomicInteger completed,
      AtomicReference<Throwable> error,
      CountDownLatch finished) {
    int i = issued.getAndIncrement();
    if (i >= max || System.nanoTime() > deadline || error.get() != null) {
      finished.countDown();
      return;
    }
    long s = System.nanoTime();
    c.chatAsync(tokens)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                error.compareAndSet(null, e);
                finished.countDown();
                return;
              }
              lat[i] = System.nanoTime() - s;
              completed.incrementAndGet();
              issueNext(c, tokens, lat, max, deadline, issued, completed, error, finished);
            });
  }

  // ---- S3: 1,000 concurrent streams of 200 tokens ----

  static void s3(BenchClient c, Map<String, Object> r) throws Exception {
    int streams = quick ? 100 : 1000;
    int tokens = 200;
    int measured = quick ? 1 : 2;
    r.put("threads_before", Metrics.THREADS.getThreadCount());
    ExecutorService callers =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread t = new Thread(runnable, "bench-stream-caller");
              t.setDaemon(true);
              return t;
            });
    s3Round(c, streams, tokens, callers); // warm-up
    long[] maxThreads = {0};
    long[] maxHeap = {0};
    volatileRunning = true;
    Thread sampler =
        new Thread(
            () -> {
              while (volatileRunning) {
                maxThreads[0] = Math.max(maxThreads[0], Metrics.THREADS.getThreadCount());
                maxHeap[0] = Math.max(maxHeap[0], Metrics.heapUsed());
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-sampler");
    sampler.setDaemon(true);
    sampler.start();
    double[] rates = new double[measured];
    int failed = 0;
    for (int k = 0; k < measured; k++) {
      long t0 = System.nanoTime();
      int[] result = s3Round(c, streams, tokens, callers);
      long wall = System.nanoTime() - t0;
      rates[k] = (double) result[0] * 1e9 / wall;
      failed += result[1];
    }
    volatileRunning = false;
    sampler.join();
    r.put("streams", streams);
    r.put("tokens_per_s", Arrays.stream(rates).average().orElse(0));
    r.put("failed_streams", failed);
    r.put("max_live_threads", maxThreads[0]);
    r.put("peak_threads_jvm", Metrics.THREADS.getPeakThreadCount());
    r.put("max_heap_used_mb", maxHeap[0] / 1048576.0);
    r.put("vm_hwm_mb", Metrics.procStatusKb("VmHWM") / 1024.0);
    r.put("vm_rss_mb", Metrics.procStatusKb("VmRSS") / 1024.0);
    callers.shutdownNow();
    if (failed > 0) {
      throw new IllegalStateException(failed + " streams failed or were truncated");
    }
  }

  static volatile boolean volatileRunning;

  /** Returns {tokens received in complete streams, failed streams}. */
  static int[] s3Round(BenchClient c, int streams, int tokens, ExecutorService callers)
      throws Exception {
    List<CompletableFuture<Integer>> futures = new ArrayList<>(streams);
    for (int i = 0; i < streams; i++) {
      if (c.asyncStreaming()) {
        futures.add(c.streamAsync(tokens));
      } else {
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return c.stream(tokens);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                callers));
      }
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .get(120, TimeUnit.SECONDS);
    int received = 0;
    int failed = 0;
    Throwable first = null;
    for (CompletableFuture<Integer> f : futures) {
      try {
        int n = f.get();
        if (n == tokens) {
          received += n;
        } else {
          failed++;
        }
      } catch (Exception e) {
        failed++;
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      System.err.println("first stream failure: " + first);
    }
    return new int[] {received, failed};
  }

  // ---- S4: embeddings, 16 inputs x 768 floats per request ----

  static void s4(BenchClient c, Map<String, Object> r) throws Exception {
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      inputs.add(
          "Document " + i + ": the quick brown fox jumps over the lazy dog, again and again.");
    }
    int expected = 16 * 768;
    int warm = quick ? 20 : 100;
    int max = quick ? 50 : 200;
    for (int i = 0; i < warm; i++) {
      oneEmbed(c, inputs, expected);
    }
    System.gc();
    Thread.sleep(200);
    long freed0 = Metrics.FREED.get();
    long heap0 = Metrics.heapUsed();
    Map<Long, Long> alloc0 = Metrics.threadAllocations();
    long cpu0 = Metrics.cpuNanos();
    long t0 = System.nanoTime();
    long limit = TimeUnit.SECONDS.toNanos(quick ? 5 : 15);
    int done = 0;
    while (done < max && System.nanoTime() - t0 < limit) {
      oneEmbed(c, inputs, expected);
      done++;
    }
    long wall = System.nanoTime() - t0;
    long cpu = Metrics.cpuNanos() - cpu0;
    long threadBytes = Metrics.allocatedSince(alloc0);
    System.gc();
    Thread.sleep(300);
    long gcBytes = Metrics.FREED.get() - freed0 + Metrics.heapUsed() - heap0;
    r.put("requests", done);
    r.put("req_per_s", done * 1e9 / wall);
    r.put("ms_per_req", wall / 1e6 / done);
    r.put("cpu_ms_per_req", cpu / 1e6 / done);
    r.put("alloc_kb_per_req", threadBytes / 1024.0 / done);
    r.put("alloc_kb_per_req_gc", gcBytes / 1024.0 / done);
  }

  static void oneEmbed(BenchClient c, List<String> inputs, int expected) throws Exception {
    int n = c.blocking() ? c.embed(inputs) : c.embedAsync(inputs).get(60, TimeUnit.SECONDS);
    if (n != expected) {
      throw new IllegalStateException("embed returned " + n + " floats, expected " + expected);
    }
  }

  private Bench() {}
}

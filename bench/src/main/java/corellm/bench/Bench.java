package corellm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import corellm.bench.clients.BenchClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
 * Bench --client raw-vertx|core-llm|core-llm-routed|ollama4j|langchain4j|spring-ai
 *       --scenario s1|s1paced|s2c1|s2c64|s3|s4|s1-16k|s3-16k [--port 11435] [--paced-port 11436]
 *       [--slices-port 11437] [--round 1] [--out results/raw.jsonl]
 *       [--window-ms 2000] [--floor-s 10] [--cap-s 40] [--measure-s 10]
 *       [--quick] (short windows, for a smoke test)
 * </pre>
 *
 * <p>Every scenario is one loop of operations (a stream, a request, a round of concurrent streams,
 * an embed call) bounded by time only. Warm-up runs it in windows of {@code --window-ms} until the
 * last three windows' CPU per operation are within 5% of each other, but at least {@code --floor-s}
 * ({@link Stability}); at {@code --cap-s} the round is measured anyway and marked {@code
 * "stable":false}. Then {@code --measure-s} seconds are measured. The {@code -16k} scenarios use
 * the server that writes 16 KB slices instead of one write per NDJSON line; {@code s1paced} the one
 * that writes one line every 250 us. A watchdog ends the JVM if a client hangs.
 */
public final class Bench {
  static final ObjectMapper JSON = new ObjectMapper();
  static boolean quick;
  static long windowMs = 2000;
  static double floorS = 10;
  static double capS = 40;
  static double measureS = 10;

  /** Warm-up floor and cap of a group's later scenarios, whose code this JVM has already run. */
  static double nextFloorS = 3;

  static double nextCapS = 10;

  public static void main(String[] args) throws Exception {
    String client = null;
    String scenario = null;
    int port = 11435;
    int round = 1;
    int pool = 1100;
    int pacedPort = -1;
    int slicesPort = -1;
    int watchdogSeconds = -1;
    boolean serve = false;
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
        case "--paced-port" -> pacedPort = Integer.parseInt(args[++i]);
        case "--slices-port" -> slicesPort = Integer.parseInt(args[++i]);
        case "--window-ms" -> windowMs = Long.parseLong(args[++i]);
        case "--floor-s" -> floorS = Double.parseDouble(args[++i]);
        case "--cap-s" -> capS = Double.parseDouble(args[++i]);
        case "--measure-s" -> measureS = Double.parseDouble(args[++i]);
        case "--next-floor-s" -> nextFloorS = Double.parseDouble(args[++i]);
        case "--next-cap-s" -> nextCapS = Double.parseDouble(args[++i]);
        case "--quick" -> quick = true;
        case "--serve" -> serve = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (client == null || scenario == null) {
      throw new IllegalArgumentException("--client and --scenario are required");
    }
    if (quick) {
      windowMs = Math.min(windowMs, 500);
      floorS = Math.min(floorS, 1);
      capS = Math.min(capS, 3);
      measureS = Math.min(measureS, 2);
      nextFloorS = Math.min(nextFloorS, 1);
      nextCapS = Math.min(nextCapS, 3);
    }
    if (watchdogSeconds < 0) {
      watchdogSeconds = (int) (capS + measureS) + 120;
    }
    List<String> group = List.of(scenario.split("\\+"));
    if (!serve && group.size() > 1) {
      throw new IllegalArgumentException("a group of scenarios (" + scenario + ") needs --serve");
    }
    Ports ports =
        new Ports(
            port, pacedPort > 0 ? pacedPort : port + 1, slicesPort > 0 ? slicesPort : port + 2);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("client", client);
    r.put("scenario", scenario);
    r.put("round", round);
    r.put("jvm", Runtime.version().toString());
    r.put("cpus", Runtime.getRuntime().availableProcessors());
    r.put("xmx_mb", Runtime.getRuntime().maxMemory() >> 20);
    r.put("load_before", Metrics.loadAverage());
    r.put("t_start_ms", ManagementFactory.getRuntimeMXBean().getStartTime());
    r.put("window_ms", windowMs);
    r.put("floor_s", floorS);
    r.put("cap_s", capS);
    r.put("measure_s", measureS);
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
    if (!serve) {
      watchdog.start();
    }

    String clientName = client;
    int poolSize = pool;
    Opener open = name -> Opened.open(clientName, name, ports, poolSize);
    try {
      if (serve) {
        serve(
            group,
            open,
            r,
            output,
            watchdogSec,
            new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)),
            System.out);
      } else {
        try (Opened o = open.open(scenario)) {
          r.put("setup_s", sinceJvmStart());
          o.scenario().warmUp(r);
          o.scenario().measure(r);
          r.put("ok", true);
        }
      }
    } catch (Throwable e) {
      r.put("ok", false);
      r.put("error", String.valueOf(e));
      r.remove("served"); // a failure before the rounds: written once, as in the fresh mode
      e.printStackTrace();
    }
    r.put("load_after", Metrics.loadAverage());
    if (!serve || !Boolean.TRUE.equals(r.get("served"))) {
      r.put("t_end_ms", System.currentTimeMillis());
      write(output, r);
    }
    System.out.println(JSON.writeValueAsString(r));
    System.out.flush();
    if (Boolean.getBoolean("bench.exit")) {
      System.exit(0); // runs shutdown hooks, e.g. to dump a -XX:StartFlightRecording file
    }
    Runtime.getRuntime().halt(0); // some peers leave non-daemon threads behind
  }

  /** The three fake servers: one write per line, paced, 16 KB slices. */
  record Ports(int lines, int paced, int slices) {
    int of(String scenario) {
      if (scenario.endsWith("-16k")) {
        return slices;
      }
      return scenario.equals("s1paced") ? paced : lines;
    }
  }

  /** A client connected to the scenario's server, and the scenario driving it. */
  record Opened(AutoCloseable client, Scenario scenario) implements AutoCloseable {
    static Opened open(String client, String scenario, Ports ports, int pool) {
      int port = ports.of(scenario);
      BenchClient c = BenchClient.create(client, "http://127.0.0.1:" + port, port, pool);
      String base =
          scenario.endsWith("-16k") ? scenario.substring(0, scenario.length() - 4) : scenario;
      Scenario sc =
          switch (base) {
            case "s1" -> s1(c, 2000);
            case "s1paced" -> s1(c, 200);
            case "s2c1" -> s2(c, 1);
            case "s2c64" -> s2(c, 64);
            case "s3" -> s3(c);
            case "s4" -> s4(c);
            default -> {
              closeQuietly(c);
              throw new IllegalArgumentException("unknown scenario " + scenario);
            }
          };
      return new Opened(c, sc);
    }

    @Override
    public void close() throws Exception {
      client.close();
    }
  }

  interface Opener {
    Opened open(String scenario) throws Exception;
  }

  private static void closeQuietly(BenchClient c) {
    try {
      c.close();
    } catch (Exception e) {
      // the scenario name was wrong; that error is the one to report
    }
  }

  /** JVM start to now, in seconds: what a JVM costs before its first warm-up starts. */
  static double sinceJvmStart() {
    return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime())
        / 1000.0;
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

  /** A scenario's two phases: warm-up until stable, and one measurement (repeatable). */
  interface Scenario {
    void warmUp(Map<String, Object> r) throws Exception;

    void measure(Map<String, Object> r) throws Exception;
  }

  static final String READY = "BENCH-READY";
  static final String DONE = "BENCH-DONE";

  /**
   * Serve mode (run.sh's default). For each scenario of the group in turn: connect a client to its
   * server, warm up, print {@link #READY}, then per {@code measure <round>} line on stdin measure
   * once, append that round's line to the output and print {@link #DONE}; {@code next} closes the
   * client and goes on to the group's next scenario, {@code quit} ends. The group's later scenarios
   * run code this JVM has already compiled (a stream after a stream, a request after a request), so
   * their warm-up has the shorter floor and cap ({@code --next-floor-s}, {@code --next-cap-s}) but
   * the same stability rule. Each round's line has the warm-up's fields and the measurement's own
   * {@code t_start_ms}/{@code t_end_ms}, so the disturbance monitor's samples are matched to the
   * measurement. A measurement that does not end within the watchdog's time ends the JVM. A
   * scenario that fails before its rounds writes one line saying so and ends the JVM.
   */
  static void serve(
      List<String> group,
      Opener open,
      Map<String, Object> base,
      Path out,
      int watchdogSec,
      java.io.BufferedReader in,
      java.io.PrintStream talk)
      throws Exception {
    base.put("served", true);
    base.put("mode", "serve");
    if (group.size() > 1) {
      base.put("jvm_group", String.join("+", group));
    }
    for (int i = 0; i < group.size(); i++) {
      Map<String, Object> sb = new LinkedHashMap<>(base);
      sb.put("scenario", group.get(i));
      if (i > 0) {
        floorS = nextFloorS;
        capS = nextCapS;
        sb.put("group_index", i);
      }
      sb.put("floor_s", floorS);
      sb.put("cap_s", capS);
      long open0 = System.currentTimeMillis();
      boolean more;
      try (Opened o = open.open(group.get(i))) {
        sb.put("setup_s", i == 0 ? sinceJvmStart() : (System.currentTimeMillis() - open0) / 1000.0);
        long warm0 = System.currentTimeMillis();
        try {
          if (i > 0 && group.get(i).equals(System.getProperty("bench.failLaterWarmUp"))) {
            // run.sh's takeover by a fresh JVM, exercised on purpose (JVM_PROPS)
            throw new IllegalStateException("bench.failLaterWarmUp=" + group.get(i));
          }
          o.scenario().warmUp(sb);
        } catch (Throwable e) {
          sb.put("ok", false);
          sb.put(
              "error",
              (i > 0
                      ? "warm-up in the JVM that ran "
                          + group.get(i - 1)
                          + " (run.sh starts a fresh"
                          + " one): "
                      : "warm-up: ")
                  + e);
          sb.put("t_end_ms", System.currentTimeMillis());
          sb.remove("served");
          write(out, sb);
          e.printStackTrace();
          return;
        }
        sb.put("warmup_start_ms", warm0);
        talk.println(READY);
        talk.flush();
        more = rounds(o.scenario(), sb, out, watchdogSec, in, talk);
      }
      if (!more) {
        return;
      }
    }
  }

  /**
   * Measures once per {@code measure <round>} line; true on {@code next}, false on {@code quit} or
   * the end of input.
   */
  private static boolean rounds(
      Scenario sc,
      Map<String, Object> base,
      Path out,
      int watchdogSec,
      java.io.BufferedReader in,
      java.io.PrintStream talk)
      throws Exception {
    String line;
    while ((line = in.readLine()) != null) {
      line = line.trim();
      if (line.equals("quit")) {
        return false;
      }
      if (line.equals("next")) {
        return true;
      }
      if (!line.startsWith("measure ")) {
        continue;
      }
      Map<String, Object> r = new LinkedHashMap<>(base);
      r.put("round", Integer.parseInt(line.substring("measure ".length()).trim()));
      r.put("t_start_ms", System.currentTimeMillis());
      Thread guard =
          new Thread(
              () -> {
                try {
                  Thread.sleep(1000L * watchdogSec);
                } catch (InterruptedException e) {
                  return;
                }
                r.put("ok", false);
                r.put("error", "watchdog: no result within the time limit");
                r.put("t_end_ms", System.currentTimeMillis());
                write(out, r);
                talk.println(DONE);
                talk.flush();
                Runtime.getRuntime().halt(3);
              },
              "bench-watchdog");
      guard.setDaemon(true);
      guard.start();
      try {
        sc.measure(r);
        r.put("ok", true);
      } catch (Throwable e) {
        r.put("ok", false);
        r.put("error", String.valueOf(e));
        e.printStackTrace();
      }
      guard.interrupt();
      r.put("t_end_ms", System.currentTimeMillis());
      r.put("load_after", Metrics.loadAverage());
      r.remove("served");
      write(out, r);
      talk.println(DONE);
      talk.flush();
    }
    return false;
  }

  // ---- warm-up until stable, then a measurement bounded by time ----

  /** A scenario's loop: runs operations until the deadline (at least one), returns how many. */
  interface Work {
    long run(long deadlineNanos) throws Exception;
  }

  /** What a measurement saw. */
  record Measured(long ops, long cpuNanos, long wallNanos, long allocatedBytes) {}

  /**
   * Runs windows until {@link Stability} says stable (or the cap); records the windows' CPU per
   * operation (ns), the warm-up time and whether it settled.
   */
  static void warmUp(Work w, Map<String, Object> r) throws Exception {
    Stability s =
        new Stability(0.05, 3, (long) (floorS * 1e9), (long) (Math.max(capS, floorS) * 1e9));
    long t0 = System.nanoTime();
    Stability.Decision d;
    do {
      long cpu0 = Metrics.cpuNanos();
      long ops = w.run(System.nanoTime() + windowMs * 1_000_000);
      long cpu = Metrics.cpuNanos() - cpu0;
      d = s.add(ops > 0 ? (double) cpu / ops : Double.NaN, System.nanoTime() - t0);
    } while (d == Stability.Decision.CONTINUE);
    r.put("warmup_s", (System.nanoTime() - t0) / 1e9);
    r.put("stable", d == Stability.Decision.STABLE);
    r.put("warmup_spread", s.spread());
    r.put("warmup_cpu_ns_per_op", s.values().stream().map(v -> Math.round(v * 10) / 10.0).toList());
  }

  static Measured measure(Work w, Map<String, Object> r) throws Exception {
    Map<Long, Long> alloc0 = Metrics.threadAllocations();
    long cpu0 = Metrics.cpuNanos();
    long t0 = System.nanoTime();
    long ops = w.run(t0 + (long) (measureS * 1e9));
    long wall = System.nanoTime() - t0;
    long cpu = Metrics.cpuNanos() - cpu0;
    long allocated = Metrics.allocatedSince(alloc0);
    r.put("measured_s", wall / 1e9);
    return new Measured(ops, cpu, wall, allocated);
  }

  // ---- S1: one stream at a time: client CPU per token (s1: 2,000 tokens as fast as the server
  // writes; s1paced: 200 tokens one per 250 us, so wall time is the pace and CPU is the cost) ----

  static int oneStream(BenchClient c, int tokens) throws Exception {
    int n =
        c.asyncStreaming() ? c.streamAsync(tokens).get(120, TimeUnit.SECONDS) : c.stream(tokens);
    if (n != tokens) {
      throw new IllegalStateException("stream delivered " + n + " of " + tokens + " tokens");
    }
    return n;
  }

  static Scenario s1(BenchClient c, int tokens) {
    Work w =
        deadline -> {
          long n = 0;
          do {
            n += oneStream(c, tokens);
          } while (System.nanoTime() < deadline);
          return n;
        };
    return new Scenario() {
      @Override
      public void warmUp(Map<String, Object> r) throws Exception {
        Bench.warmUp(w, r);
      }

      @Override
      public void measure(Map<String, Object> r) throws Exception {
        Measured m = Bench.measure(w, r);
        r.put("alloc_bytes_per_token", (double) m.allocatedBytes() / m.ops());
        r.put("streams", m.ops() / tokens);
        r.put("tokens", m.ops());
        r.put("cpu_us_per_token", m.cpuNanos() / 1000.0 / m.ops());
        r.put("wall_us_per_token", m.wallNanos() / 1000.0 / m.ops());
        r.put("tokens_per_s", m.ops() * 1e9 / m.wallNanos());
      }
    };
  }

  // ---- S2: non-streamed chat, closed loop at a fixed concurrency, bounded by time only ----

  static Scenario s2(BenchClient c, int concurrency) {
    int tokens = 20;
    return new Scenario() {
      @Override
      public void warmUp(Map<String, Object> r) throws Exception {
        Bench.warmUp(
            deadline -> closedLoop(c, concurrency, tokens, deadline, new LatencyHistogram()), r);
      }

      @Override
      public void measure(Map<String, Object> r) throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        Measured m = Bench.measure(deadline -> closedLoop(c, concurrency, tokens, deadline, h), r);
        long n = m.ops();
        r.put("cpu_us_per_req", m.cpuNanos() / 1000.0 / n);
        r.put("alloc_kb_per_req", m.allocatedBytes() / 1024.0 / n);
        r.put("concurrency", concurrency);
        r.put("requests", n);
        r.put("req_per_s", n * 1e9 / m.wallNanos());
        r.put("p50_ms", h.quantileNanos(0.50) / 1e6);
        r.put("p99_ms", h.quantileNanos(0.99) / 1e6);
        r.put("max_live_threads", Metrics.THREADS.getPeakThreadCount());
        r.put("unfinished", lastUnfinished);
      }
    };
  }

  /** How long a closed loop waits after its deadline for the calls still in flight. */
  static final int DRAIN_S = 5;

  /** Callers of the last closed loop whose call had not finished {@link #DRAIN_S} after the end. */
  static volatile int lastUnfinished;

  /**
   * Keeps {@code concurrency} requests in flight until the deadline, then waits up to {@link
   * #DRAIN_S} for those in flight; records each latency; returns how many completed.
   */
  static long closedLoop(
      BenchClient c, int concurrency, int tokens, long deadline, LatencyHistogram h)
      throws Exception {
    AtomicInteger completed = new AtomicInteger();
    AtomicReference<Throwable> error = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(concurrency);
    if (c.blocking()) {
      for (int k = 0; k < concurrency; k++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    while (error.get() == null && System.nanoTime() < deadline) {
                      long s = System.nanoTime();
                      c.chat(tokens);
                      h.record(System.nanoTime() - s);
                      completed.incrementAndGet();
                    }
                  } catch (Throwable e) {
                    error.compareAndSet(null, e);
                  } finally {
                    finished.countDown();
                  }
                },
                "bench-caller-" + k);
        t.start();
      }
    } else {
      for (int k = 0; k < concurrency; k++) {
        issueNext(c, tokens, deadline, h, completed, error, finished);
      }
    }
    // the calls in flight at the deadline get DRAIN_S to finish; a client whose calls take longer
    // (ollama4j's, some of which took a minute) is measured without them, and the line says how
    // many there were rather than the whole run waiting for them
    long waitMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000) + DRAIN_S * 1000L;
    boolean drained = finished.await(waitMs, TimeUnit.MILLISECONDS);
    lastUnfinished = drained ? 0 : (int) finished.getCount();
    if (error.get() != null) {
      throw new IllegalStateException("request failed: " + error.get(), error.get());
    }
    return completed.get();
  }

  private static void issueNext(
      BenchClient c,
      int tokens,
      long deadline,
      LatencyHistogram h,
      AtomicInteger completed,
      AtomicReference<Throwable> error,
      CountDownLatch finished) {
    if (System.nanoTime() >= deadline || error.get() != null) {
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
              h.record(System.nanoTime() - s);
              completed.incrementAndGet();
              issueNext(c, tokens, deadline, h, completed, error, finished);
            });
  }

  // ---- S3: 1,000 concurrent streams of 200 tokens, rounds of them until the deadline ----

  static Scenario s3(BenchClient c) {
    int streams = quick ? 100 : 1000;
    int tokens = 200;
    ExecutorService callers =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread t = new Thread(runnable, "bench-stream-caller");
              t.setDaemon(true);
              return t;
            });
    Work w =
        deadline -> {
          long n = 0;
          do {
            int[] result = s3Round(c, streams, tokens, callers);
            if (result[1] > 0) {
              throw new IllegalStateException(result[1] + " streams failed or were truncated");
            }
            n += result[0];
          } while (System.nanoTime() < deadline);
          return n;
        };
    return new Scenario() {
      @Override
      public void warmUp(Map<String, Object> r) throws Exception {
        r.put("threads_before", Metrics.THREADS.getThreadCount());
        Bench.warmUp(w, r);
      }

      @Override
      public void measure(Map<String, Object> r) throws Exception {
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
        Measured m;
        try {
          m = Bench.measure(w, r);
        } finally {
          volatileRunning = false;
          sampler.join();
        }
        r.put("streams", streams);
        r.put("tokens", m.ops());
        r.put("tokens_per_s", m.ops() * 1e9 / m.wallNanos());
        r.put("cpu_us_per_token", m.cpuNanos() / 1000.0 / m.ops());
        r.put("failed_streams", 0);
        r.put("max_live_threads", maxThreads[0]);
        r.put("peak_threads_jvm", Metrics.THREADS.getPeakThreadCount());
        r.put("max_heap_used_mb", maxHeap[0] / 1048576.0);
        // VmHWM is the JVM's peak so far: in serve mode, over the warm-up and earlier rounds too
        r.put("vm_hwm_mb", Metrics.procStatusKb("VmHWM") / 1024.0);
        r.put("vm_rss_mb", Metrics.procStatusKb("VmRSS") / 1024.0);
      }
    };
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

  static Scenario s4(BenchClient c) {
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      inputs.add(
          "Document " + i + ": the quick brown fox jumps over the lazy dog, again and again.");
    }
    int expected = 16 * 768;
    Work w =
        deadline -> {
          long n = 0;
          do {
            oneEmbed(c, inputs, expected);
            n++;
          } while (System.nanoTime() < deadline);
          return n;
        };
    return new Scenario() {
      @Override
      public void warmUp(Map<String, Object> r) throws Exception {
        Bench.warmUp(w, r);
      }

      @Override
      public void measure(Map<String, Object> r) throws Exception {
        System.gc();
        Thread.sleep(200);
        long freed0 = Metrics.FREED.get();
        long heap0 = Metrics.heapUsed();
        Measured m = Bench.measure(w, r);
        System.gc();
        Thread.sleep(300);
        long gcBytes = Metrics.FREED.get() - freed0 + Metrics.heapUsed() - heap0;
        long done = m.ops();
        r.put("requests", done);
        r.put("req_per_s", done * 1e9 / m.wallNanos());
        r.put("ms_per_req", m.wallNanos() / 1e6 / done);
        r.put("cpu_ms_per_req", m.cpuNanos() / 1e6 / done);
        r.put("alloc_kb_per_req", m.allocatedBytes() / 1024.0 / done);
        r.put("alloc_kb_per_req_gc", gcBytes / 1024.0 / done);
      }
    };
  }

  static void oneEmbed(BenchClient c, List<String> inputs, int expected) throws Exception {
    int n = c.blocking() ? c.embed(inputs) : c.embedAsync(inputs).get(60, TimeUnit.SECONDS);
    if (n != expected) {
      throw new IllegalStateException("embed returned " + n + " floats, expected " + expected);
    }
  }

  private Bench() {}
}

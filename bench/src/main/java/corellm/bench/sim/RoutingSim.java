package corellm.bench.sim;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.GenerationOptions;
import core.llm.factory.BuiltInProviders;
import core.llm.factory.LlmProviderFactory;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Routing simulation (issue 15, "Measured, not assumed"): N simulated Ollama hosts on loopback
 * ({@link SimHost}), one Zipf-distributed, bursty workload over M models (fixed seed), sent three
 * ways in each round, interleaved (the order rotates per round), each on fresh, cold hosts:
 *
 * <ul>
 *   <li>{@code random}: uniform random host per request (LiteLLM's simple-shuffle with equal
 *       weights);
 *   <li>{@code least-inflight}: the host with the fewest requests in flight from this client, ties
 *       at random;
 *   <li>{@code core-llm}: the library's router ({@code factory.router()}), the hosts configured
 *       with {@code options.parallel} and a 1 s {@code /api/ps} poll.
 * </ul>
 *
 * The first two send through the same factory's per-host providers ({@code factory.provider}), so
 * all three use the same transport and only the choice of host differs. Every time is the real
 * Ollama time times {@code scale}. Loads are counted on the hosts.
 *
 * <p>Properties (-D): sim.hosts (4), sim.models (12), sim.budget (3 models per host), sim.parallel
 * (2 per model), sim.rounds (3), sim.seconds (120, simulated), sim.scale (0.25), sim.seed (15),
 * sim.zipf (1.0), sim.loadSeconds (1.5), sim.tokensPerSecond (40), sim.calmRate (1/s),
 * sim.burstRate (5/s), sim.strategies, sim.out (results dir).
 */
public final class RoutingSim {
  static final int HOSTS = Integer.getInteger("sim.hosts", 4);
  static final int MODELS = Integer.getInteger("sim.models", 12);
  static final int BUDGET = Integer.getInteger("sim.budget", 3);
  static final int PARALLEL = Integer.getInteger("sim.parallel", 2);
  static final int ROUNDS = Integer.getInteger("sim.rounds", 3);
  static final double SECONDS = dbl("sim.seconds", 120);
  static final double SCALE = dbl("sim.scale", 0.25);
  static final long SEED = Long.getLong("sim.seed", 15);
  static final double ZIPF = dbl("sim.zipf", 1.0);
  static final double LOAD_SECONDS = dbl("sim.loadSeconds", 1.5);
  static final double TOKENS_PER_SECOND = dbl("sim.tokensPerSecond", 40);
  static final double CALM_RATE = dbl("sim.calmRate", 1.0);
  static final double BURST_RATE = dbl("sim.burstRate", 5.0);
  static final double CALM_MEAN_S = 8;
  static final double BURST_MEAN_S = 3;
  static final List<String> STRATEGIES =
      List.of(System.getProperty("sim.strategies", "random,least-inflight,core-llm").split(","));

  static double dbl(String key, double def) {
    String v = System.getProperty(key);
    return v == null ? def : Double.parseDouble(v);
  }

  record Arrival(long atMs, String model, int tokens) {}

  /** Markov-modulated Poisson arrivals (calm / burst periods), Zipf over the models. */
  static List<Arrival> trace(long seed) {
    Random rnd = new Random(seed);
    double[] cdf = new double[MODELS];
    double sum = 0;
    for (int i = 0; i < MODELS; i++) {
      sum += 1 / Math.pow(i + 1, ZIPF);
      cdf[i] = sum;
    }
    List<Arrival> out = new ArrayList<>();
    double t = 0;
    boolean burst = false;
    double periodEnd = exp(rnd, CALM_MEAN_S);
    while (t < SECONDS) {
      double rate = burst ? BURST_RATE : CALM_RATE;
      t += exp(rnd, 1 / rate);
      while (t > periodEnd) {
        burst = !burst;
        periodEnd += exp(rnd, burst ? BURST_MEAN_S : CALM_MEAN_S);
      }
      if (t >= SECONDS) break;
      double u = rnd.nextDouble() * sum;
      int m = 0;
      while (cdf[m] < u) m++;
      int tokens = 40 + rnd.nextInt(81);
      out.add(new Arrival(Math.round(t * 1000 * SCALE), model(m), tokens));
    }
    return out;
  }

  static double exp(Random rnd, double mean) {
    return -mean * Math.log(1 - rnd.nextDouble());
  }

  static String model(int i) {
    return String.format(Locale.ROOT, "m%02d", i + 1);
  }

  record Outcome(
      long latencyNs, long ttftNs, boolean failed, String error, String model, long sentAtNs) {}

  record RunResult(
      String strategy,
      int round,
      int requests,
      int failed,
      double p50,
      double p99,
      double ttft50,
      double ttft99,
      int loads,
      int evictions,
      int[] perHost,
      double wallSeconds,
      String firstError) {}

  public static void main(String[] args) throws Exception {
    Path outDir = Path.of(System.getProperty("sim.out", "results"));
    Files.createDirectories(outDir);
    String stamp =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC)
            .format(java.time.Instant.now());
    Path raw = outDir.resolve("routing-" + stamp + ".jsonl");
    List<Arrival> trace = trace(SEED);
    int[] byModel = new int[MODELS];
    for (Arrival a : trace) byModel[Integer.parseInt(a.model().substring(1)) - 1]++;
    System.out.printf(
        Locale.ROOT,
        "routing sim: %d hosts x budget %d, %d models, parallel %d, %d requests over %.0f s"
            + " simulated (%.1f s wall, scale %.2f), per model %s%n",
        HOSTS,
        BUDGET,
        MODELS,
        PARALLEL,
        trace.size(),
        SECONDS,
        SECONDS * SCALE,
        SCALE,
        Arrays.toString(byModel));
    List<RunResult> results = new ArrayList<>();
    Vertx hostsVertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    try {
      for (int round = 1; round <= ROUNDS; round++) {
        for (int k = 0; k < STRATEGIES.size(); k++) {
          String strategy = STRATEGIES.get((k + round - 1) % STRATEGIES.size());
          RunResult r = run(hostsVertx, clientVertx, strategy, round, trace);
          results.add(r);
          String line = line(r);
          System.out.println(line);
          Files.writeString(
              raw, json(r) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
      }
    } finally {
      clientVertx.close().await();
      hostsVertx.close().await();
    }
    String md = markdown(results, trace.size());
    Files.writeString(outDir.resolve("routing-" + stamp + ".md"), md);
    System.out.println();
    System.out.println(md);
  }

  static RunResult run(
      Vertx hostsVertx, Vertx clientVertx, String strategy, int round, List<Arrival> trace)
      throws Exception {
    List<String> models = new ArrayList<>();
    Map<String, Long> loadMs = new TreeMap<>();
    for (int i = 0; i < MODELS; i++) {
      models.add(model(i));
      // 1.5 s, 2.25 s, 3 s (real), scaled
      loadMs.put(model(i), Math.round(LOAD_SECONDS * (1 + (i % 3) / 2.0) * 1000 * SCALE));
    }
    List<SimHost> hosts = new ArrayList<>();
    List<String> deployments = new ArrayList<>();
    for (int h = 0; h < HOSTS; h++) {
      SimHost host =
          new SimHost("h" + h, models, loadMs, BUDGET, PARALLEL, TOKENS_PER_SECOND / SCALE);
      deployments.add(hostsVertx.deployVerticle(host).await());
      hosts.add(host);
    }
    Path yaml = Files.createTempFile("routing-sim", ".yaml");
    StringBuilder sb = new StringBuilder("reload: { watch: false }\nproviders:\n");
    for (SimHost h : hosts) {
      sb.append("  - name: ")
          .append(h.name)
          .append("\n    type: ollama\n    baseUrl: ")
          .append(h.baseUrl())
          .append("\n    models: [")
          .append(String.join(", ", models))
          .append("]\n    options:\n      parallel: ")
          .append(PARALLEL)
          .append(
              "\n      lifecycle: { reconcileInterval: 1s, capabilityChecks: false,"
                  + " versionChecks: false }\n");
    }
    Files.writeString(yaml, sb);
    ProviderConfigManager config =
        ProviderConfigManager.create(
            clientVertx, yaml, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
    LlmProviderFactory factory = LlmProviderFactory.builder(clientVertx, config).build();
    factory.start().await();
    LlmProvider[] perHost = new LlmProvider[HOSTS];
    for (int h = 0; h < HOSTS; h++) perHost[h] = factory.provider("h" + h).await();
    LlmProvider router = factory.router();
    Thread.sleep(1200); // first /api/ps poll of every host

    Random rnd = new Random(SEED * 31 + round);
    AtomicIntegerArray inflight = new AtomicIntegerArray(HOSTS);
    List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(trace.size());
    int[] chatsBefore = hosts.stream().mapToInt(h -> h.chats.get()).toArray();
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    SimHost.T0 = t0;
    for (Arrival a : trace) {
      long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(t0 - System.nanoTime()) + a.atMs());
      clientVertx.setTimer(
          delayMs,
          id -> {
            CompletionRequest req =
                CompletionRequest.builder(a.model())
                    .user("hello")
                    .options(GenerationOptions.builder().maxTokens(a.tokens()).build())
                    .build();
            int host = -1;
            LlmProvider target;
            switch (strategy) {
              case "random" -> {
                synchronized (rnd) {
                  host = rnd.nextInt(HOSTS);
                }
                target = perHost[host];
              }
              case "least-inflight" -> {
                int best = Integer.MAX_VALUE;
                int ties = 0;
                synchronized (rnd) {
                  for (int h = 0; h < HOSTS; h++) {
                    int n = inflight.get(h);
                    if (n < best) {
                      best = n;
                      host = h;
                      ties = 1;
                    } else if (n == best && rnd.nextInt(++ties) == 0) {
                      host = h; // reservoir: uniform among the least loaded
                    }
                  }
                }
                target = perHost[host];
              }
              case "core-llm" -> target = router;
              default -> throw new IllegalArgumentException(strategy);
            }
            int chosen = host;
            if (chosen >= 0) inflight.incrementAndGet(chosen);
            send(target, req, chosen, inflight, outcomes, done);
          });
    }
    long capNs =
        TimeUnit.MILLISECONDS.toNanos(Math.round(SECONDS * SCALE * 1000)) + 120_000_000_000L;
    boolean all = done.await(capNs, TimeUnit.NANOSECONDS);
    double wall = (System.nanoTime() - t0) / 1e9;
    int loads = hosts.stream().mapToInt(h -> h.loads.get()).sum();
    int evictions = hosts.stream().mapToInt(h -> h.evictions.get()).sum();
    int[] served = new int[HOSTS];
    for (int h = 0; h < HOSTS; h++) served[h] = hosts.get(h).chats.get() - chatsBefore[h];
    List<Outcome> snapshot;
    synchronized (outcomes) {
      snapshot = new ArrayList<>(outcomes);
    }
    int failed = (int) snapshot.stream().filter(Outcome::failed).count();
    failed += trace.size() - snapshot.size(); // never finished within the cap
    long[] lat =
        snapshot.stream().filter(o -> !o.failed()).mapToLong(Outcome::latencyNs).sorted().toArray();
    long[] ttft =
        snapshot.stream()
            .filter(o -> !o.failed() && o.ttftNs() > 0)
            .mapToLong(Outcome::ttftNs)
            .sorted()
            .toArray();
    String firstError =
        snapshot.stream().filter(Outcome::failed).map(Outcome::error).findFirst().orElse(null);
    if (Boolean.getBoolean("sim.debug")) {
      snapshot.stream()
          .sorted((x, y) -> Long.compare(y.latencyNs(), x.latencyNs()))
          .limit(12)
          .forEach(
              o ->
                  System.out.printf(
                      Locale.ROOT,
                      "  slow %s %s sent at %.2fs latency %.0fms ttft %.0fms%n",
                      strategy,
                      o.model(),
                      (o.sentAtNs() - t0) / 1e9,
                      o.latencyNs() / 1e6,
                      o.ttftNs() / 1e6));
      for (SimHost h : hosts) {
        System.out.printf(
            Locale.ROOT,
            "  %s blocked %d (max wait %.0fms) loads %d%n",
            h.name,
            h.blockedCount.get(),
            h.blockedMaxNs / 1e6,
            h.loads.get());
      }
    }
    if (!all) firstError = "not all finished within the cap; " + firstError;
    factory.close().await();
    config.stop();
    for (String d : deployments) hostsVertx.undeploy(d).await();
    Files.deleteIfExists(yaml);
    return new RunResult(
        strategy,
        round,
        trace.size(),
        failed,
        pct(lat, 50),
        pct(lat, 99),
        pct(ttft, 50),
        pct(ttft, 99),
        loads,
        evictions,
        served,
        wall,
        firstError);
  }

  static void send(
      LlmProvider target,
      CompletionRequest req,
      int host,
      AtomicIntegerArray inflight,
      List<Outcome> outcomes,
      CountDownLatch done) {
    long start = System.nanoTime();
    long[] first = {0};
    AtomicInteger once = new AtomicInteger();
    Runnable release =
        () -> {
          if (host >= 0) inflight.decrementAndGet(host);
        };
    ResponseStream<CompletionDelta, CompletionResult> stream;
    try {
      stream = target.chatStream(req);
    } catch (RuntimeException e) {
      release.run();
      outcomes.add(new Outcome(0, 0, true, e.toString(), req.model(), start));
      done.countDown();
      return;
    }
    stream.exceptionHandler(
        e -> {
          if (once.getAndIncrement() == 0) {
            release.run();
            outcomes.add(
                new Outcome(System.nanoTime() - start, 0, true, e.toString(), req.model(), start));
            done.countDown();
          }
        });
    stream.endHandler(
        v -> {
          if (once.getAndIncrement() == 0) {
            release.run();
            outcomes.add(
                new Outcome(System.nanoTime() - start, first[0], false, null, req.model(), start));
            done.countDown();
          }
        });
    stream.handler(
        d -> {
          if (first[0] == 0 && !d.content().isEmpty()) first[0] = System.nanoTime() - start;
        });
  }

  /** Nearest-rank percentile in milliseconds. */
  static double pct(long[] sorted, int p) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  static String line(RunResult r) {
    return String.format(
        Locale.ROOT,
        "round %d %-15s n=%d failed=%d p50=%.0fms p99=%.0fms ttft50=%.0fms ttft99=%.0fms loads=%d"
            + " evictions=%d perHost=%s wall=%.1fs%s",
        r.round(),
        r.strategy(),
        r.requests(),
        r.failed(),
        r.p50(),
        r.p99(),
        r.ttft50(),
        r.ttft99(),
        r.loads(),
        r.evictions(),
        Arrays.toString(r.perHost()),
        r.wallSeconds(),
        r.firstError() == null ? "" : " firstError=" + r.firstError());
  }

  static String json(RunResult r) {
    return String.format(
        Locale.ROOT,
        "{\"round\":%d,\"strategy\":\"%s\",\"requests\":%d,\"failed\":%d,\"p50_ms\":%.1f,"
            + "\"p99_ms\":%.1f,\"ttft_p50_ms\":%.1f,\"ttft_p99_ms\":%.1f,\"loads\":%d,"
            + "\"evictions\":%d,\"per_host\":%s,\"wall_s\":%.1f}",
        r.round(),
        r.strategy(),
        r.requests(),
        r.failed(),
        r.p50(),
        r.p99(),
        r.ttft50(),
        r.ttft99(),
        r.loads(),
        r.evictions(),
        Arrays.toString(r.perHost()),
        r.wallSeconds());
  }

  static String markdown(List<RunResult> results, int requests) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d hosts, %d models (Zipf s=%.1f), %d models fit per host, parallel %d per model, load"
                + " %.1f-%.1f s, %.0f tokens/s, 40-120 tokens per reply, bursty arrivals (%.0f/s"
                + " calm, %.0f/s bursts), %d requests per run, seed %d. Times in milliseconds of"
                + " the simulation, which runs at %.2fx Ollama's times (divide by %.2f for real"
                + " seconds' worth).%n%n",
            HOSTS,
            MODELS,
            ZIPF,
            BUDGET,
            PARALLEL,
            LOAD_SECONDS,
            LOAD_SECONDS * 2,
            TOKENS_PER_SECOND,
            CALM_RATE,
            BURST_RATE,
            requests,
            SEED,
            SCALE,
            SCALE));
    sb.append(
        "| round | strategy | p50 ms | p99 ms | TTFT p50 ms | TTFT p99 ms | loads | evictions |"
            + " failed | requests per host |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (RunResult r : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %.0f | %.0f | %.0f | %.0f | %d | %d | %d | %s |%n",
              r.round(),
              r.strategy(),
              r.p50(),
              r.p99(),
              r.ttft50(),
              r.ttft99(),
              r.loads(),
              r.evictions(),
              r.failed(),
              Arrays.toString(r.perHost())));
    }
    sb.append(
        "\nGoal (issue 15): core-llm makes at least 3x fewer loads than least-inflight and has"
            + " a lower p99.\n\n");
    for (int round = 1; round <= ROUNDS; round++) {
      RunResult ours = find(results, "core-llm", round);
      RunResult lif = find(results, "least-inflight", round);
      if (ours == null || lif == null) continue;
      double ratio =
          ours.loads() == 0 ? Double.POSITIVE_INFINITY : lif.loads() / (double) ours.loads();
      boolean loadsOk = ratio >= 3;
      boolean p99Ok = ours.p99() < lif.p99();
      sb.append(
          String.format(
              Locale.ROOT,
              "- round %d: loads %d vs %d (%.2fx fewer: %s), p99 %.0f vs %.0f ms (%s): goal %s%n",
              round,
              ours.loads(),
              lif.loads(),
              ratio,
              loadsOk ? "ok" : "NOT MET",
              ours.p99(),
              lif.p99(),
              p99Ok ? "lower, ok" : "NOT lower",
              loadsOk && p99Ok ? "met" : "NOT met"));
    }
    return sb.toString();
  }

  static RunResult find(List<RunResult> results, String strategy, int round) {
    for (RunResult r : results) {
      if (r.strategy().equals(strategy) && r.round() == round) return r;
    }
    return null;
  }

  private RoutingSim() {}
}

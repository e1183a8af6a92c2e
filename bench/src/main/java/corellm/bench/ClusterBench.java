package corellm.bench;

import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderCreators;
import core.llm.factory.SharedRoutingState;
import core.llm.gateway.ClusterVertx;
import core.llm.gateway.Gateway;
import core.llm.gateway.GatewayOptions;
import core.llm.observability.Observability;
import core.llm.providers.config.ConfigLoader;
import core.llm.providers.config.GatewayConfig;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cost of cluster mode per request (issue 17): the same gateway configuration run as (A) one
 * gateway on a plain Vertx with {@link SharedRoutingState#local()} and (B) three gateways, each on
 * its own clustered Vertx (Hazelcast members over TCP on loopback), requests spread round robin
 * over the three, measured in the same JVM and interleaved per round.
 *
 * <p>Everything is in one JVM: on two shared CPUs one JVM costs less than five, and the fake Ollama
 * and the load generator each get one event loop of their own Vertx. The only key has a
 * requests-per-minute limit far above what is sent, so every request of B pays the cluster's
 * counters (an increment on admission, the reply's tokens added when it ends) and none is refused.
 *
 * <p>Two loads per round: a closed loop at concurrency 1 (the next request when the last one ended:
 * latency with nothing queued) and an open loop at a fixed rate, measured from each request's due
 * time (no coordinated omission). The order of A and B alternates between rounds so a drift of the
 * machine does not always favour the same set-up. CPU per request is this JVM's CPU time over the
 * run divided by the requests answered: it includes the generator and the fake Ollama (the same in
 * A and B) and the idle set-up's background (B's three members' heartbeats while A runs).
 */
public final class ClusterBench {
  static final String KEY = "cluster-bench-key-0001";
  static final String KEY_NAME = "bench";
  static final int MEMBERS = 3;

  /** Far above any load here (about 3,000 req/s at most on two CPUs): never refuses. */
  static final int REQUESTS_PER_MINUTE = 100_000_000;

  // held so java.util.logging keeps the levels set below (it holds loggers weakly)
  static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  static final Logger REQUEST_LOG = Logger.getLogger("core.llm.gateway.requests");

  final Map<String, String> args;
  final Path jsonl;
  final double othersMax;
  final long pid = ProcessHandle.current().pid();
  final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  final List<Member> members = new ArrayList<>();
  Vertx backendVertx;
  Vertx genVertx;
  Context loop;
  HttpClient client;
  int backendPort;
  Setup single;
  Setup cluster;
  final Buffer body =
      Buffer.buffer(
          "{\"model\":\""
              + FastOllamaServer.MODEL
              + "\",\"stream\":false,\"options\":{\"num_predict\":20},"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

  /** One gateway and what it runs on. */
  record Member(
      Vertx vertx, ProviderConfigManager configs, LlmProviderFactory factory, Gateway gateway) {
    void close() {
      try {
        gateway.shutdown(Duration.ZERO).await(10, TimeUnit.SECONDS);
        factory.close().await(10, TimeUnit.SECONDS);
        configs.stop().await(10, TimeUnit.SECONDS);
        vertx.close().await(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("closing a member: " + e);
      }
    }
  }

  /** A set-up under test: the gateway ports its requests go to, in turn. */
  record Setup(String name, int[] ports) {}

  ClusterBench(Map<String, String> args) {
    this.args = args;
    jsonl = Path.of(args.get("jsonl"));
    othersMax = doubleArg("others-max", 25);
  }

  int intArg(String name, int dflt) {
    return Integer.parseInt(args.getOrDefault(name, Integer.toString(dflt)));
  }

  double doubleArg(String name, double dflt) {
    return Double.parseDouble(args.getOrDefault(name, Double.toString(dflt)));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    // as llm serve: Netty logs through java.util.logging, not an SLF4J it happens to find
    io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
        io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
    // Hazelcast's membership chatter at INFO would fill the log; warnings still show. The gateway's
    // line per request (INFO) is the same work in A and B and would write a million lines: off.
    HAZELCAST_LOG.setLevel(Level.WARNING);
    REQUEST_LOG.setLevel(Level.WARNING);
    ClusterBench b = new ClusterBench(args);
    int rc = 0;
    try {
      b.start();
      b.run();
    } catch (Exception e) {
      e.printStackTrace();
      rc = 1;
    } finally {
      b.stop();
    }
    // Hazelcast leaves non-daemon threads behind in some failure paths: end regardless
    System.exit(rc);
  }

  // ---------------------------------------------------------------- set-ups

  void start() throws Exception {
    backendVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    FastOllamaServer fake = new FastOllamaServer(16 * 1024, true, 0);
    backendPort =
        backendVertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setTcpNoDelay(true)
                    .setHttp2ClearTextEnabled(false))
            .requestHandler(fake::handle)
            .listen()
            .await()
            .actualPort();
    // one event loop does all of the generator's I/O, as in GatewayBench: it takes as little of
    // the two CPUs as it can
    genVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    loop = genVertx.getOrCreateContext();
    client =
        genVertx
            .httpClientBuilder()
            .with(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true))
            .with(new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1))
            .build();

    String stamp = args.getOrDefault("stamp", "run");
    Path dir = Path.of(args.getOrDefault("out-dir", "results"));
    int base = freePortBase();
    String providers =
        """
        defaultProvider: fast
        providers:
          - name: fast
            type: ollama
            baseUrl: http://127.0.0.1:%d
            models: [%s]
        gateway:
          keys:
            - name: %s
              sha256: %s
              requestsPerMinute: %d
        """
            .formatted(
                backendPort, FastOllamaServer.MODEL, KEY_NAME, sha256Hex(KEY), REQUESTS_PER_MINUTE);
    String clusterPart =
        """
          cluster:
            name: bench-%s
            host: 127.0.0.1
            port: %d
            members: [127.0.0.1:%d, 127.0.0.1:%d, 127.0.0.1:%d]
        """
            .formatted(UUID.randomUUID(), base, base, base + 1, base + 2);
    Path singleYaml = dir.resolve("cluster-" + stamp + "-single.yaml");
    Path clusterYaml = dir.resolve("cluster-" + stamp + "-cluster.yaml");
    Files.writeString(singleYaml, providers);
    Files.writeString(clusterYaml, providers + clusterPart);

    Member a = member(Vertx.vertx(), singleYaml, SharedRoutingState.local());
    members.add(a);
    single = new Setup("single", new int[] {a.gateway.port()});

    GatewayConfig.Cluster settings =
        ConfigLoader.create(Map.of(), ProviderCreators.discover().keySet())
            .load(clusterYaml)
            .config()
            .gateway()
            .cluster();
    int[] ports = new int[MEMBERS];
    List<Member> clustered = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      // one after the other: each takes the next port of the range, as three llm serve would
      Vertx v = ClusterVertx.start(settings, new VertxOptions()).await(60, TimeUnit.SECONDS);
      Member m = member(v, clusterYaml, SharedRoutingState.clustered(v, "member-" + i));
      members.add(m);
      clustered.add(m);
      ports[i] = m.gateway.port();
    }
    cluster = new Setup("cluster", ports);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!clustered.stream().allMatch(m -> m.factory.sharedState().members().size() == MEMBERS)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the three members did not see each other within 30 s");
      }
      Thread.sleep(100);
    }
    log(
        "{\"phase\":\"setup\",\"backend_port\":%d,\"single_port\":%d,\"cluster_ports\":\"%s\","
            + "\"hazelcast_base_port\":%d,\"members_seen\":\"%s\"}",
        backendPort,
        single.ports[0],
        Arrays.toString(ports),
        base,
        clustered.get(0).factory.sharedState().members());
  }

  Member member(Vertx vertx, Path file, SharedRoutingState state) throws Exception {
    var creators = ProviderCreators.discover();
    ProviderConfigManager configs =
        ProviderConfigManager.create(vertx, file, Map.of(), creators.keySet());
    configs.start().await(30, TimeUnit.SECONDS);
    Observability obs = Observability.builder().requestLog(false).build();
    LlmProviderFactory factory =
        LlmProviderFactory.builder(vertx, configs)
            .creators(creators)
            .decorator(obs.decorator())
            .sharedState(state)
            .build();
    factory.start().await(30, TimeUnit.SECONDS);
    Gateway gateway =
        Gateway.create(vertx, factory, configs, new GatewayOptions().setPort(0), obs)
            .listen()
            .await(30, TimeUnit.SECONDS);
    return new Member(vertx, configs, factory, gateway);
  }

  void stop() {
    if (client != null) {
      client.close();
    }
    // the clustered members first, the last one alone: leaving a cluster of one is quick
    for (int i = members.size() - 1; i >= 0; i--) {
      members.get(i).close();
    }
    for (Vertx v : new Vertx[] {genVertx, backendVertx}) {
      if (v != null) {
        v.close().await();
      }
    }
  }

  /** Three consecutive free ports for the members (one run must not meet another's cluster). */
  static int freePortBase() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + (int) (Math.random() * 30_000);
      boolean free = true;
      for (int p = base; p < base + MEMBERS && free; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no three free ports in a row");
  }

  static String sha256Hex(String key) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  // ---------------------------------------------------------------- load

  /** What one run measured. */
  static final class Run {
    String setup;
    String load;
    long[] lat = new long[0];
    int sent;
    int errors;
    String lastError;
    double seconds;
    double cpuUsPerReq;
    double[] busy;
    String loadavg;

    double pct(double p) {
      return GatewayBench.percentile(lat, p);
    }

    String json() {
      return String.format(
          Locale.ROOT,
          "{\"setup\":\"%s\",\"load\":\"%s\",\"sent\":%d,\"ok\":%d,\"errors\":%d,\"seconds\":%.2f,"
              + "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,"
              + "\"cpu_us_per_req\":%.1f,\"machine_busy\":%.1f,\"ours_busy\":%.1f,"
              + "\"others_busy\":%.1f,\"steal\":%.1f,\"loadavg\":\"%s\"%s}",
          setup,
          load,
          sent,
          lat.length,
          errors,
          seconds,
          us(pct(50)),
          us(pct(90)),
          us(pct(99)),
          us(pct(100)),
          cpuUsPerReq,
          busy[0],
          busy[1],
          busy[2],
          busy[4],
          loadavg,
          lastError == null ? "" : ",\"last_error\":\"" + lastError.replace("\"", "'") + "\"");
    }
  }

  /** Recorder of one run; touched only on the generator's event loop. */
  static final class Rec {
    final GatewayBench.LongList lat = new GatewayBench.LongList();
    final CountDownLatch done = new CountDownLatch(1);
    int sent;
    int finished;
    int errors;
    boolean allSent;
    boolean closed;
    String lastError;
    int next; // round robin over the set-up's ports

    void end(long latency, Throwable failure) {
      if (closed) {
        return;
      }
      if (failure == null) {
        lat.add(latency);
      } else {
        errors++;
        lastError = String.valueOf(failure.getMessage());
      }
      finished++;
    }
  }

  /** One non-streamed /api/chat to the set-up's next gateway; {@code then} runs on the loop. */
  void send(Setup s, Rec rec, long from, Runnable then) {
    int port = s.ports[rec.next++ % s.ports.length];
    rec.sent++;
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/api/chat")
                .putHeader("content-type", "application/json")
                .putHeader("authorization", "Bearer " + KEY))
        .compose(req -> req.send(body))
        .compose(
            resp ->
                resp.body()
                    .compose(
                        b ->
                            resp.statusCode() == 200 && GatewayBench.complete(b)
                                ? Future.succeededFuture(b)
                                : Future.failedFuture("HTTP " + resp.statusCode() + ": " + b)))
        .onComplete(
            ar -> {
              rec.end(System.nanoTime() - from, ar.cause());
              then.run();
            });
  }

  /** Concurrency 1: the next request as soon as the last one ended, for {@code seconds}. */
  Run closedLoop(Setup s, double seconds) throws Exception {
    Rec rec = new Rec();
    Meter meter = new Meter();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    loop.runOnContext(
        v ->
            new Object() {
              void next() {
                if (System.nanoTime() >= end) {
                  rec.done.countDown();
                  return;
                }
                send(s, rec, System.nanoTime(), this::next);
              }
            }.next());
    boolean complete = rec.done.await((long) seconds + 30, TimeUnit.SECONDS);
    return meter.close(s, "closed-c1", rec, complete);
  }

  /**
   * {@code rate * seconds} requests due at fixed intervals, latency from the due time; the main
   * thread paces and hands each request to the generator's loop. Waits up to 30 s for the last.
   */
  Run openLoop(Setup s, int rate, double seconds) throws Exception {
    Rec rec = new Rec();
    Meter meter = new Meter();
    int n = (int) Math.round(rate * seconds);
    long period = 1_000_000_000L / rate;
    long t0 = System.nanoTime() + 1_000_000;
    Runnable check =
        () -> {
          if (rec.allSent && rec.finished == rec.sent) {
            rec.done.countDown();
          }
        };
    for (int i = 0; i < n; i++) {
      long due = t0 + i * period;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      loop.runOnContext(v -> send(s, rec, due, check));
    }
    loop.runOnContext(
        v -> {
          rec.allSent = true;
          check.run();
        });
    boolean complete = rec.done.await(30, TimeUnit.SECONDS);
    return meter.close(s, "open-" + rate, rec, complete);
  }

  /** CPU time and machine share over a run. */
  final class Meter {
    final long t0 = System.nanoTime();
    final long cpu0 = os.getProcessCpuTime();
    final ProcStats.Window window = new ProcStats.Window(pid);

    Run close(Setup s, String load, Rec rec, boolean complete) throws Exception {
      double[] busy = window.close();
      long cpu = os.getProcessCpuTime() - cpu0;
      double secs = (System.nanoTime() - t0) / 1e9;
      return onLoop(
          () -> {
            rec.closed = true;
            Run r = new Run();
            r.setup = s.name;
            r.load = load;
            r.sent = rec.sent;
            r.errors = rec.errors + (complete ? 0 : rec.sent - rec.finished);
            r.lastError = complete ? rec.lastError : "still running 30 s after the end";
            r.lat = rec.lat.sorted();
            r.seconds = secs;
            r.cpuUsPerReq = r.lat.length == 0 ? Double.NaN : cpu / 1e3 / r.lat.length;
            r.busy = busy;
            r.loadavg = ProcStats.loadavg();
            return r;
          });
    }
  }

  <T> T onLoop(Supplier<T> s) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.runOnContext(v -> f.complete(s.get()));
    return f.get(30, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- the run

  /**
   * Two-second closed-loop windows until at least warm-min-s have passed and the last three
   * windows' p50 are within 5% of each other, or warm-max-s have passed (then it says so); then a
   * few seconds of the open loop, so its connections and code paths are warm too.
   */
  String warmUp(Setup s, int rate) throws Exception {
    double min = doubleArg("warm-min-s", 10);
    double max = doubleArg("warm-max-s", 40);
    List<Double> p50s = new ArrayList<>();
    double elapsed = 0;
    boolean stable = false;
    while (!((elapsed >= min && stable) || elapsed >= max)) {
      Run w = closedLoop(s, 2);
      p50s.add(us(w.pct(50)));
      elapsed += 2;
      if (p50s.size() >= 3) {
        List<Double> last = p50s.subList(p50s.size() - 3, p50s.size());
        double lo = last.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = last.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        stable = hi <= lo * 1.05;
      }
    }
    Run open = openLoop(s, rate, 4);
    log(
        "{\"phase\":\"warmup\",\"setup\":\"%s\",\"seconds\":%.0f,\"stable\":%b,\"p50s_us\":%s,"
            + "\"open\":%s}",
        s.name, elapsed, stable, p50s, open.json());
    return String.format(
        Locale.ROOT,
        "%s: %.0f s closed loop, %s, window p50s %s µs; then 4 s open loop at %d req/s (p50 %.0f"
            + " µs, %d errors)",
        s.name,
        elapsed,
        stable ? "stable" : "NOT stable within 5%",
        p50s.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList(),
        rate,
        us(open.pct(50)),
        open.errors);
  }

  /** This JVM's CPU with every set-up up and no load: mostly the cluster members' heartbeats. */
  String idle(double seconds) throws Exception {
    Meter m = new Meter();
    Thread.sleep((long) (seconds * 1000));
    double[] busy = m.window.close();
    double cpuMs = (os.getProcessCpuTime() - m.cpu0) / 1e6;
    double secs = (System.nanoTime() - m.t0) / 1e9;
    log(
        "{\"phase\":\"idle\",\"seconds\":%.1f,\"jvm_cpu_ms\":%.1f,\"jvm_cpu_ms_per_s\":%.2f,"
            + "\"others_busy\":%.1f,\"loadavg\":\"%s\"}",
        secs, cpuMs, cpuMs / secs, busy[2], ProcStats.loadavg());
    return String.format(
        Locale.ROOT,
        "%.1f ms of CPU per second (%.1f%% of one CPU) over %.0f s",
        cpuMs / secs,
        cpuMs / secs / 10,
        secs);
  }

  void run() throws Exception {
    String started = Instant.now().toString();
    String load0 = ProcStats.loadavg();
    int rounds = intArg("rounds", 5);
    double measure = doubleArg("measure-s", 10);
    int rate = intArg("rate", 200);
    String idleBefore = idle(5);
    String warmA = warmUp(single, rate);
    String warmB = warmUp(cluster, rate);
    String counter = clusterCounter();
    String idleAfter = idle(5);

    List<String> loads = List.of("closed-c1", "open-" + rate);
    Map<String, List<Run[]>> results = new LinkedHashMap<>();
    loads.forEach(l -> results.put(l, new ArrayList<>()));
    for (int r = 1; r <= rounds; r++) {
      // A first in odd rounds, B first in even ones
      Setup first = r % 2 == 1 ? single : cluster;
      Setup second = first == single ? cluster : single;
      for (String load : loads) {
        Run x =
            load.startsWith("closed") ? closedLoop(first, measure) : openLoop(first, rate, measure);
        Run y =
            load.startsWith("closed")
                ? closedLoop(second, measure)
                : openLoop(second, rate, measure);
        Run a = first == single ? x : y;
        Run b = first == single ? y : x;
        results.get(load).add(new Run[] {a, b});
        log(
            "{\"phase\":\"round\",\"load\":\"%s\",\"round\":%d,\"first\":\"%s\",\"single\":%s,"
                + "\"cluster\":%s,\"diff_p50_us\":%.1f,\"diff_p99_us\":%.1f,"
                + "\"diff_cpu_us_per_req\":%.1f,\"disturbed\":%b}",
            load,
            r,
            first.name,
            a.json(),
            b.json(),
            us(b.pct(50)) - us(a.pct(50)),
            us(b.pct(99)) - us(a.pct(99)),
            b.cpuUsPerReq - a.cpuUsPerReq,
            disturbed(a) || disturbed(b));
      }
    }

    // once more when the JIT has long settled: the warm-up's figures include compilation
    String idleEnd = idle(5);
    String probeB = probe(members.get(1), "B (member-0, clustered)");
    String probeA = probe(members.get(0), "A (plain Vertx, local counters)");

    StringBuilder md = new StringBuilder();
    md.append("# Cluster mode benchmark ").append(args.getOrDefault("stamp", "")).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "- started %s, ended %s\n- loadavg at start %s, at end %s\n- nproc %d, Java %s; one"
                + " JVM: fake Ollama (1 event loop), load generator (1 event loop), gateway A and"
                + " the three members of B all share the same %d CPUs\n- A = one gateway, plain"
                + " Vertx, SharedRoutingState.local(); B = %d gateways on their own clustered"
                + " Vertx (Hazelcast, TCP on 127.0.0.1), SharedRoutingState.clustered, requests"
                + " round robin over the %d\n- one key (requestsPerMinute %d, never reached) on"
                + " every request: B pays the cluster's counters on every request (an increment on admission, the"
                + " reply's tokens added at the end)\n- a run is"
                + " *disturbed* when other processes (plus steal) used more than %s%% of the"
                + " machine during it\n\n",
            started,
            Instant.now(),
            load0,
            ProcStats.loadavg(),
            GatewayBench.CPUS,
            System.getProperty("java.version"),
            GatewayBench.CPUS,
            MEMBERS,
            MEMBERS,
            REQUESTS_PER_MINUTE,
            fmt(othersMax)));
    md.append("Warm-up: ").append(warmA).append("; ").append(warmB).append(".\n\n");
    md.append("Cluster counter check: ").append(counter).append(".\n\n");
    md.append("Idle JVM (all set-ups up, no load): ")
        .append(idleBefore)
        .append(" before warm-up, ")
        .append(idleAfter)
        .append(" after it, ")
        .append(idleEnd)
        .append(" after the rounds (B's members idle: their heartbeats, A has none).\n\n");
    md.append("Where B's time goes, one shared counter on a gateway's event loop, one call at a")
        .append(" time (what ClusterKeyCounters does twice per request: getCounter then increment")
        .append(" on admission, getCounter then addAndGet of the tokens at the end):\n\n")
        .append(probeB)
        .append(probeA)
        .append('\n');
    for (String load : loads) {
      md.append("## ")
          .append(
              load.startsWith("closed")
                  ? "Closed loop, concurrency 1"
                  : "Open loop, " + rate + " req/s (latency from the due time)")
          .append("\n\n");
      md.append(
          "Latency in µs; CPU/req = this JVM's CPU time over the run / requests answered (generator"
              + " and fake included, the same in A and B).\n\n"
              + "| round | first | A p50 | A p99 | B p50 | B p99 | **B−A p50** | **B−A p99** |"
              + " A CPU/req | B CPU/req | B−A CPU/req | req A/B | errors A/B | others busy A/B |"
              + " loadavg after | disturbed |\n"
              + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      List<Run[]> rs = results.get(load);
      double[] d50 = new double[rs.size()];
      double[] d99 = new double[rs.size()];
      double[] dcpu = new double[rs.size()];
      int disturbed = 0;
      int errors = 0;
      for (int i = 0; i < rs.size(); i++) {
        Run a = rs.get(i)[0];
        Run b = rs.get(i)[1];
        d50[i] = us(b.pct(50)) - us(a.pct(50));
        d99[i] = us(b.pct(99)) - us(a.pct(99));
        dcpu[i] = b.cpuUsPerReq - a.cpuUsPerReq;
        boolean dist = disturbed(a) || disturbed(b);
        disturbed += dist ? 1 : 0;
        errors += a.errors + b.errors;
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %.0f | %.0f | %.0f | %.0f | **%+.0f** | **%+.0f** | %.0f | %.0f | %+.0f"
                    + " | %d/%d | %d/%d | %s/%s %% | %s | %s |\n",
                i + 1,
                (i + 1) % 2 == 1 ? "A" : "B",
                us(a.pct(50)),
                us(a.pct(99)),
                us(b.pct(50)),
                us(b.pct(99)),
                d50[i],
                d99[i],
                a.cpuUsPerReq,
                b.cpuUsPerReq,
                dcpu[i],
                a.lat.length,
                b.lat.length,
                a.errors,
                b.errors,
                fmt(a.busy[2]),
                fmt(b.busy[2]),
                b.loadavg.split(" ")[0] + " " + b.loadavg.split(" ")[1],
                dist ? "yes" : "no"));
      }
      md.append(
          String.format(
              Locale.ROOT,
              "\nOver %d rounds: B−A p50 median %+.0f µs (%+.0f to %+.0f), p99 median %+.0f µs"
                  + " (%+.0f to %+.0f), CPU/req median %+.0f µs (%+.0f to %+.0f); %d rounds"
                  + " disturbed; %d errors.\n\n",
              rs.size(),
              median(d50),
              GatewayBench.min(d50),
              GatewayBench.max(d50),
              median(d99),
              GatewayBench.min(d99),
              GatewayBench.max(d99),
              median(dcpu),
              GatewayBench.min(dcpu),
              GatewayBench.max(dcpu),
              disturbed,
              errors));
    }
    Files.writeString(Path.of(args.get("md")), md);
    System.out.println(md);
  }

  boolean disturbed(Run r) {
    return r.busy[2] > othersMax;
  }

  /**
   * The key's request counter of this minute as the cluster holds it, read through another member
   * than the one that will answer first: proof that B's admissions went through the cluster.
   */
  String clusterCounter() throws Exception {
    long minute = System.currentTimeMillis() / 60_000;
    Vertx v = members.get(members.size() - 1).vertx;
    long sum = 0;
    for (int i = 0; i < 3; i++) {
      sum +=
          v.sharedData()
              .getCounter("core.llm.key.requests." + KEY_NAME + "." + i)
              .compose(c -> c.get())
              .await(5, TimeUnit.SECONDS);
    }
    log("{\"phase\":\"counter\",\"minute\":%d,\"requests_counted\":%d}", minute, sum);
    return String.format(
        Locale.ROOT,
        "the cluster's counters of key '%s' hold %d requests after B's warm-up (A counts in its"
            + " own memory)",
        KEY_NAME,
        sum);
  }

  /** The probe's line, or why there is none: the rounds' results are written either way. */
  String probe(Member m, String label) {
    try {
      return counterProbe(m, label);
    } catch (Exception e) {
      return "- " + label + ": probe failed: " + e + "\n";
    }
  }

  /**
   * Times {@code sharedData().getCounter} and an increment of a counter got once, one call after
   * the other on an event loop of {@code m}'s Vertx: how long the getCounter call itself holds the
   * calling thread (Vert.x's Hazelcast counter is made with a synchronous map put, so on a
   * clustered Vertx that is a blocking round trip to the counter's partition owner), how long until
   * its future completes, and how long an increment takes.
   */
  String counterProbe(Member m, String label) throws Exception {
    int n = intArg("probe-n", 2000);
    // 16 names: their partitions are spread over the members, as the keys' counters are
    String name = "core.llm.bench.probe.";
    GatewayBench.LongList inCall = new GatewayBench.LongList();
    GatewayBench.LongList got = new GatewayBench.LongList();
    GatewayBench.LongList inc = new GatewayBench.LongList();
    CompletableFuture<Void> done = new CompletableFuture<>();
    Context ctx = m.vertx.getOrCreateContext();
    ctx.runOnContext(
        v ->
            new Object() {
              int i;

              void next() {
                if (i++ == n) {
                  done.complete(null);
                  return;
                }
                long t0 = System.nanoTime();
                Future<io.vertx.core.shareddata.Counter> f =
                    m.vertx.sharedData().getCounter(name + i % 16);
                inCall.add(System.nanoTime() - t0);
                f.compose(
                        c -> {
                          long t1 = System.nanoTime();
                          got.add(t1 - t0);
                          return c.incrementAndGet()
                              .onSuccess(x -> inc.add(System.nanoTime() - t1));
                        })
                    .onComplete(
                        ar -> {
                          if (ar.failed()) {
                            done.completeExceptionally(ar.cause());
                          } else {
                            // through the loop's queue: local counters complete at once, and
                            // calling next() here would recurse 2,000 deep
                            ctx.runOnContext(x -> next());
                          }
                        });
              }
            }.next());
    done.get(120, TimeUnit.SECONDS);
    long[][] r = new long[3][];
    CompletableFuture<Void> read = new CompletableFuture<>();
    ctx.runOnContext(
        v -> {
          r[0] = inCall.sorted();
          r[1] = got.sorted();
          r[2] = inc.sorted();
          read.complete(null);
        });
    read.get(30, TimeUnit.SECONDS);
    log(
        "{\"phase\":\"counter_probe\",\"setup\":\"%s\",\"n\":%d,"
            + "\"getcounter_in_call_p50_us\":%.1f,\"getcounter_in_call_p99_us\":%.1f,"
            + "\"getcounter_future_p50_us\":%.1f,\"getcounter_future_p99_us\":%.1f,"
            + "\"increment_p50_us\":%.1f,\"increment_p99_us\":%.1f,\"loadavg\":\"%s\"}",
        label,
        n,
        us(GatewayBench.percentile(r[0], 50)),
        us(GatewayBench.percentile(r[0], 99)),
        us(GatewayBench.percentile(r[1], 50)),
        us(GatewayBench.percentile(r[1], 99)),
        us(GatewayBench.percentile(r[2], 50)),
        us(GatewayBench.percentile(r[2], 99)),
        ProcStats.loadavg());
    return String.format(
        Locale.ROOT,
        "- %s, %d calls: getCounter holds the event loop p50 %.0f µs / p99 %.0f µs (future"
            + " done p50 %.0f / p99 %.0f µs); incrementAndGet p50 %.0f µs / p99 %.0f µs\n",
        label,
        n,
        us(GatewayBench.percentile(r[0], 50)),
        us(GatewayBench.percentile(r[0], 99)),
        us(GatewayBench.percentile(r[1], 50)),
        us(GatewayBench.percentile(r[1], 99)),
        us(GatewayBench.percentile(r[2], 50)),
        us(GatewayBench.percentile(r[2], 99)));
  }

  // ---------------------------------------------------------------- helpers

  void log(String format, Object... values) throws IOException {
    String line = String.format(Locale.ROOT, format, values);
    Files.writeString(
        jsonl,
        line + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
    System.err.println(line);
  }

  static double us(double nanos) {
    return nanos / 1e3;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length == 0
        ? Double.NaN
        : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}

package corellm.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The gateway benchmark's load generator (issue: gateway overhead). It runs in its own JVM; the
 * gateway ({@code llm serve}) and the fake Ollamas run in theirs, started by {@code
 * run-gateway.sh}.
 *
 * <p>Open loop: requests are due at fixed intervals from a start time, and every latency is
 * measured from the time the request was due, not from when it was sent, so a stall in the gateway
 * (or here) shows as latency of everything scheduled during it instead of as fewer samples (no
 * coordinated omission). The main thread paces (it parks until the next due time, then hands the
 * request to the one event loop that does all I/O), so there is no thread per request.
 *
 * <p>Phases: non-streamed {@code /api/chat} at each rate, direct and through the gateway, in
 * interleaved rounds; 2,000 concurrent paced streams through the gateway (its threads and memory);
 * streamed tokens/s direct and through the gateway; time to first token direct and through it.
 */
public final class GatewayBench {
  static final String FAST_MODEL = FastOllamaServer.MODEL;
  static final int CPUS = Runtime.getRuntime().availableProcessors();

  final Map<String, String> args;
  final Vertx vertx;
  final Context loop;
  final HttpClient client;
  final Target direct;
  final Target gateway;
  final Target pacedDirect;
  final long gatewayPid;
  final long[] ourPids;
  final Path jsonl;
  final StringBuilder md = new StringBuilder();
  final double othersMax;

  record Target(String name, String host, int port) {}

  GatewayBench(Map<String, String> args) {
    this.args = args;
    // one event loop does all of the generator's I/O: the generator should take as little of the
    // two shared CPUs as it can, and one loop is enough for 2,000 req/s and 2,000 streams
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    loop = vertx.getOrCreateContext();
    int streams = intArg("streams", 2000);
    client =
        vertx
            .httpClientBuilder()
            .with(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true))
            .with(new PoolOptions().setHttp1MaxSize(streams + 100).setMaxWaitQueueSize(-1))
            .build();
    direct = target("direct", args.get("direct"));
    gateway = target("gateway", args.get("gateway"));
    pacedDirect = target("paced-direct", args.get("paced"));
    gatewayPid = Long.parseLong(args.get("gateway-pid"));
    List<Long> pids = new ArrayList<>();
    // the gateway first: ProcStats.Window reports it alone too
    pids.add(gatewayPid);
    pids.add(ProcessHandle.current().pid());
    for (String p : args.getOrDefault("server-pids", "").split(",")) {
      if (!p.isBlank()) {
        pids.add(Long.parseLong(p.trim()));
      }
    }
    ourPids = pids.stream().mapToLong(Long::longValue).toArray();
    jsonl = Path.of(args.get("jsonl"));
    othersMax = Double.parseDouble(args.getOrDefault("others-max", "25"));
  }

  static Target target(String name, String hostPort) {
    String hp = hostPort.replaceFirst("^http://", "");
    int colon = hp.lastIndexOf(':');
    return new Target(name, hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
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
    GatewayBench b = new GatewayBench(args);
    try {
      b.run();
    } finally {
      b.client.close();
      b.vertx.close();
    }
  }

  void run() throws Exception {
    String started = Instant.now().toString();
    String load0 = ProcStats.loadavg();
    List<String> phases = List.of(args.getOrDefault("phases", "unary,streams,tps,ttft").split(","));
    StringBuilder body = new StringBuilder();
    List<String> goals = new ArrayList<>();
    if (phases.contains("unary")) {
      body.append(unaryPhase(goals));
    }
    if (phases.contains("streams")) {
      body.append(streamsPhase(goals));
    }
    if (phases.contains("tps")) {
      body.append(tokensPhase(goals));
    }
    if (phases.contains("ttft")) {
      body.append(ttftPhase());
    }
    md.append("# Gateway benchmark ").append(args.getOrDefault("stamp", "")).append("\n\n");
    md.append("- started ")
        .append(started)
        .append(", ended ")
        .append(Instant.now())
        .append("\n- loadavg at start ")
        .append(load0)
        .append(", at end ")
        .append(ProcStats.loadavg())
        .append("\n- nproc ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(", Java ")
        .append(System.getProperty("java.version"))
        .append("\n- gateway pid ")
        .append(gatewayPid)
        .append(" (`llm serve`, its own JVM); fake Ollamas and this generator in their own JVMs;")
        .append(" all on the same ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs\n- a round is *disturbed* when other processes (not the gateway, the fakes")
        .append(
            " or the generator: other processes of this machine, plus steal time) used more than ")
        .append(fmt(othersMax))
        .append("% of the machine during it\n\n## Goals\n\n");
    for (String g : goals) {
      md.append("- ").append(g).append('\n');
    }
    md.append('\n').append(body);
    Files.writeString(Path.of(args.get("md")), md);
    System.out.println(md);
  }

  // ---------------------------------------------------------------- non-streamed chat

  String unaryPhase(List<String> goals) throws Exception {
    int rounds = intArg("rounds", 5);
    double measure = doubleArg("measure-s", 10);
    StringBuilder out = new StringBuilder("## Non-streamed /api/chat, open loop\n\n");
    out.append(
        "Latency from the due time to the last byte of the reply; overhead = gateway − direct of"
            + " the same round (direct measured just before). Latencies in ms; gw CPU/req is the gateway"
            + " JVM's CPU time over the round divided by its requests.\n\n");
    Buffer body =
        Buffer.buffer(
            "{\"model\":\""
                + FAST_MODEL
                + "\",\"stream\":false,\"options\":{\"num_predict\":20},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    for (String r : args.getOrDefault("rates", "500,1000,2000").split(",")) {
      int rate = Integer.parseInt(r.trim());
      String wd = warmUp(direct, body, rate);
      String wg = warmUp(gateway, body, rate);
      out.append("### ").append(rate).append(" req/s\n\n");
      out.append("Warm-up: direct ").append(wd).append("; gateway ").append(wg).append(".\n\n");
      out.append(
          "| round | direct p50 | direct p99 | gateway p50 | gateway p99 | overhead p50 | overhead"
              + " p99 | errors d/g | others busy d/g | gw CPU/req | gw threads | gw VmRSS | disturbed"
              + " |\n");
      out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      double[] o50 = new double[rounds];
      double[] o99 = new double[rounds];
      int disturbed = 0;
      int errors = 0;
      long maxThreads = 0;
      for (int i = 0; i < rounds; i++) {
        Run d = unary(direct, body, rate, measure);
        Run g = unary(gateway, body, rate, measure);
        long threads = ProcStats.status(gatewayPid, "Threads");
        long rss = ProcStats.status(gatewayPid, "VmRSS");
        maxThreads = Math.max(maxThreads, threads);
        o50[i] = ms(g.pct(50)) - ms(d.pct(50));
        o99[i] = ms(g.pct(99)) - ms(d.pct(99));
        boolean dist = d.cpu[2] > othersMax || g.cpu[2] > othersMax;
        disturbed += dist ? 1 : 0;
        errors += d.errors + g.errors;
        log(
            "{\"phase\":\"unary\",\"rate\":%d,\"round\":%d,\"direct\":%s,\"gateway\":%s,"
                + "\"overhead_p50_ms\":%.4f,\"overhead_p99_ms\":%.4f,\"gw_threads\":%d,"
                + "\"gw_vmrss_kb\":%d,\"disturbed\":%b}",
            rate, i + 1, d.json(), g.json(), o50[i], o99[i], threads, rss, dist);
        out.append(
            String.format(
                Locale.ROOT,
                "| %d | %.3f | %.3f | %.3f | %.3f | **%.3f** | %.3f | %d/%d | %s/%s %% | %.0f µs | %d |"
                    + " %d MB | %s |\n",
                i + 1,
                ms(d.pct(50)),
                ms(d.pct(99)),
                ms(g.pct(50)),
                ms(g.pct(99)),
                o50[i],
                o99[i],
                d.errors,
                g.errors,
                fmt(d.cpu[2]),
                fmt(g.cpu[2]),
                g.gatewayCpuMicrosPerRequest(),
                threads,
                rss / 1024,
                dist ? "yes" : "no"));
      }
      out.append(
          String.format(
              Locale.ROOT,
              "\nSpread over %d rounds: overhead p50 %.3f to %.3f ms, p99 %.3f to %.3f ms; %d"
                  + " disturbed; %d errors; requests per round %d.\n\n",
              rounds,
              min(o50),
              max(o50),
              min(o99),
              max(o99),
              disturbed,
              errors,
              (int) (rate * measure)));
      if (rate == 1000) {
        boolean met = max(o50) <= 0.3 && errors == 0;
        goals.add(
            String.format(
                Locale.ROOT,
                "p50 overhead ≤ 0.3 ms at 1,000 req/s in every round: **%s** (%.3f to %.3f ms,"
                    + " %d of %d rounds disturbed, %d errors)",
                met ? "met" : "missed",
                min(o50),
                max(o50),
                disturbed,
                rounds,
                errors));
      }
      goals.add(
          String.format(
              Locale.ROOT,
              "gateway threads at %d req/s (end of each round): at most %d (goal ≤ 16: **%s**)",
              rate,
              maxThreads,
              maxThreads <= 16 ? "met" : "missed"));
    }
    return out.toString();
  }

  /**
   * Two-second windows at the rate until at least warm-min-s have passed and the last three
   * windows' p50 are within 5% of each other, or warm-max-s have passed (then it says so).
   */
  String warmUp(Target t, Buffer body, int rate) throws Exception {
    double min = doubleArg("warm-min-s", 10);
    double max = doubleArg("warm-max-s", 30);
    List<Double> p50s = new ArrayList<>();
    double elapsed = 0;
    while (true) {
      Run w = unary(t, body, rate, 2);
      p50s.add(ms(w.pct(50)));
      elapsed += 2;
      boolean stable = false;
      if (p50s.size() >= 3) {
        List<Double> last = p50s.subList(p50s.size() - 3, p50s.size());
        double lo = last.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = last.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        stable = hi <= lo * 1.05;
      }
      if ((elapsed >= min && stable) || elapsed >= max) {
        String s =
            String.format(
                Locale.ROOT,
                "%.0f s, %s, window p50s %s ms",
                elapsed,
                stable ? "stable" : "NOT stable within 5%",
                p50s.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString());
        log(
            "{\"phase\":\"warmup\",\"target\":\"%s\",\"rate\":%d,\"seconds\":%.0f,\"stable\":%b}",
            t.name, rate, elapsed, stable);
        return s;
      }
    }
  }

  /** What one open-loop run measured. */
  static final class Run {
    long[] lat = new long[0];
    long[] lag = new long[0];
    int sent;
    int errors;
    String lastError;
    double[] cpu;
    String loadavg;
    String target;
    double seconds;

    double pct(double p) {
      return percentile(lat, p);
    }

    /** The gateway JVM's CPU time over the run divided by the requests sent. */
    double gatewayCpuMicrosPerRequest() {
      return sent == 0 ? Double.NaN : cpu[3] / 100 * CPUS * seconds * 1e6 / sent;
    }

    String json() {
      return String.format(
          Locale.ROOT,
          "{\"target\":\"%s\",\"sent\":%d,\"ok\":%d,\"errors\":%d,\"p50_ms\":%.4f,\"p90_ms\":%.4f,"
              + "\"p99_ms\":%.4f,\"max_ms\":%.4f,\"send_lag_p99_ms\":%.4f,\"machine_busy\":%.1f,"
              + "\"ours_busy\":%.1f,\"others_busy\":%.1f,\"gateway_busy\":%.1f,\"steal\":%.1f,"
              + "\"gateway_cpu_us_per_req\":%.1f,\"loadavg\":\"%s\"%s}",
          target,
          sent,
          lat.length,
          errors,
          ms(pct(50)),
          ms(pct(90)),
          ms(pct(99)),
          ms(pct(100)),
          ms(percentile(lag, 99)),
          cpu[0],
          cpu[1],
          cpu[2],
          cpu[3],
          cpu[4],
          gatewayCpuMicrosPerRequest(),
          loadavg,
          lastError == null ? "" : ",\"last_error\":\"" + lastError.replace("\"", "'") + "\"");
    }
  }

  /** Recorder of one run; touched only on the event loop. */
  static final class Rec {
    final LongList lat = new LongList();
    final LongList lag = new LongList();
    final CountDownLatch done = new CountDownLatch(1);
    int sent;
    int finished;
    int errors;
    boolean allSent;
    boolean closed;
    String lastError;

    void finish() {
      finished++;
      if (allSent && finished == sent) {
        done.countDown();
      }
    }

    void fail(Throwable e) {
      errors++;
      lastError = String.valueOf(e.getMessage());
    }
  }

  Run unary(Target t, Buffer body, int rate, double seconds) throws Exception {
    return openLoop(
        t,
        rate,
        seconds,
        (rec, due) ->
            client
                .request(options(t))
                .compose(req -> req.send(body))
                .compose(
                    resp ->
                        resp.body()
                            .compose(
                                b ->
                                    resp.statusCode() == 200 && complete(b)
                                        ? Future.succeededFuture(b)
                                        : Future.failedFuture(
                                            "HTTP " + resp.statusCode() + ": " + b)))
                .onComplete(
                    ar -> {
                      if (rec.closed) {
                        return;
                      }
                      if (ar.succeeded()) {
                        rec.lat.add(System.nanoTime() - due);
                      } else {
                        rec.fail(ar.cause());
                      }
                      rec.finish();
                    }));
  }

  /** A whole non-streamed reply: done, with the 20th token (the same 20 tokens on both paths). */
  static boolean complete(Buffer reply) {
    String s = reply.toString(StandardCharsets.ISO_8859_1);
    return s.contains("\"done\":true") && s.contains(" tok19\"");
  }

  interface Sender {
    void send(Rec rec, long dueNanos);
  }

  /**
   * Sends {@code rate * seconds} requests due at fixed intervals; waits for all to end (up to 30 s
   * after the last is due; what is still running then counts as failed).
   */
  Run openLoop(Target t, int rate, double seconds, Sender sender) throws Exception {
    Rec rec = new Rec();
    int n = (int) Math.round(rate * seconds);
    long period = 1_000_000_000L / rate;
    ProcStats.Window cpu = new ProcStats.Window(ourPids);
    long t0 = System.nanoTime() + 1_000_000;
    for (int i = 0; i < n; i++) {
      long due = t0 + i * period;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      loop.runOnContext(
          v -> {
            rec.sent++;
            rec.lag.add(System.nanoTime() - due);
            sender.send(rec, due);
          });
    }
    loop.runOnContext(
        v -> {
          rec.allSent = true;
          if (rec.finished == rec.sent) {
            rec.done.countDown();
          }
        });
    boolean complete = rec.done.await(30, TimeUnit.SECONDS);
    Run run =
        onLoop(
            () -> {
              rec.closed = true;
              Run r = new Run();
              r.target = t.name;
              r.sent = rec.sent;
              r.errors = rec.errors + (complete ? 0 : rec.sent - rec.finished);
              r.lastError = complete ? rec.lastError : "still running 30 s after the last was due";
              r.lat = rec.lat.sorted();
              r.lag = rec.lag.sorted();
              return r;
            });
    run.cpu = cpu.close();
    run.seconds = (System.nanoTime() - t0) / 1e9;
    run.loadavg = ProcStats.loadavg();
    return run;
  }

  RequestOptions options(Target t) {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(t.host)
        .setPort(t.port)
        .setURI("/api/chat")
        .putHeader("content-type", "application/json");
  }

  <T> T onLoop(Supplier<T> s) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.runOnContext(v -> f.complete(s.get()));
    return f.get(30, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- streams

  /** What one stream saw: tokens, whether the done line came, time to its first token. */
  static final class StreamResult {
    int tokens;
    boolean done;
    long firstNanos = -1;
    String error;
  }

  /**
   * One streamed /api/chat: counts the NDJSON lines with content and looks for the done line;
   * {@code onEnd} gets the result on the event loop.
   */
  void stream(Target t, String model, int numPredict, long due, Consumer<StreamResult> onEnd) {
    stream(t, model, numPredict, null, due, onEnd);
  }

  /**
   * {@code writes}: FastOllamaServer's framing for this stream ({@code token}: one write per line,
   * as Ollama; {@code slices}: 16 KB writes), sent as an option the gateway passes on; null for the
   * server's default.
   */
  void stream(
      Target t,
      String model,
      int numPredict,
      String writes,
      long due,
      Consumer<StreamResult> onEnd) {
    StreamResult r = new StreamResult();
    Buffer body =
        Buffer.buffer(
            "{\"model\":\""
                + model
                + "\",\"options\":{\"num_predict\":"
                + numPredict
                + (writes == null ? "" : ",\"bench_writes\":\"" + writes + "\"")
                + "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    client
        .request(options(t))
        .compose(req -> req.send(body))
        .onSuccess(
            resp -> {
              if (resp.statusCode() != 200) {
                resp.body()
                    .onComplete(
                        b -> {
                          r.error = "HTTP " + resp.statusCode() + ": " + b.result();
                          onEnd.accept(r);
                        });
                return;
              }
              RecordParser lines = RecordParser.newDelimited("\n", resp);
              lines.handler(
                  line -> {
                    if (line.length() == 0) {
                      return;
                    }
                    if (line.toString(StandardCharsets.ISO_8859_1).contains("\"done\":true")) {
                      r.done = true;
                    } else {
                      if (r.tokens++ == 0) {
                        r.firstNanos = System.nanoTime() - due;
                      }
                    }
                  });
              lines.exceptionHandler(
                  e -> {
                    r.error = String.valueOf(e);
                    onEnd.accept(r);
                  });
              lines.endHandler(v -> onEnd.accept(r));
            })
        .onFailure(
            e -> {
              r.error = String.valueOf(e);
              onEnd.accept(r);
            });
  }

  String streamsPhase(List<String> goals) throws Exception {
    int n = intArg("streams", 2000);
    int tokens = intArg("stream-tokens", 200);
    int interval = intArg("stream-interval-ms", 50);
    String model = "paced-t" + tokens + "-i" + interval + "-f20";
    AtomicInteger live = new AtomicInteger();
    int[] ended = new int[1];
    int[] ok = new int[1];
    long[] tokenSum = new long[1];
    String[] lastError = new String[1];
    CountDownLatch all = new CountDownLatch(n);
    long threads0 = ProcStats.status(gatewayPid, "Threads");
    long rss0 = ProcStats.status(gatewayPid, "VmRSS");
    ProcStats.Window cpu = new ProcStats.Window(ourPids);
    // start them at 1,000 a second (2 s), well inside one stream's length, so all overlap
    int startRate = intArg("stream-start-rate", 1000);
    long period = 1_000_000_000L / startRate;
    long t0 = System.nanoTime();
    long maxThreads = threads0;
    long maxRss = rss0;
    int maxLive = 0;
    long nextSample = t0;
    for (int i = 0; i < n; i++) {
      long due = t0 + i * period;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      loop.runOnContext(
          v -> {
            live.incrementAndGet();
            stream(
                gateway,
                model,
                tokens,
                due,
                r -> {
                  live.decrementAndGet();
                  ended[0]++;
                  tokenSum[0] += r.tokens;
                  if (r.error == null && r.done && r.tokens == tokens) {
                    ok[0]++;
                  } else if (lastError[0] == null) {
                    lastError[0] =
                        r.error != null ? r.error : "tokens " + r.tokens + ", done " + r.done;
                  }
                  all.countDown();
                });
          });
      if (System.nanoTime() >= nextSample) {
        maxThreads = Math.max(maxThreads, ProcStats.status(gatewayPid, "Threads"));
        maxRss = Math.max(maxRss, ProcStats.status(gatewayPid, "VmRSS"));
        maxLive = Math.max(maxLive, live.get());
        nextSample += 250_000_000L;
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60L + tokens * interval / 1000);
    Map<String, Integer> names = Map.of();
    while (!all.await(250, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
      long th = ProcStats.status(gatewayPid, "Threads");
      if (th > maxThreads || names.isEmpty()) {
        names = ProcStats.threadNames(gatewayPid);
      }
      maxThreads = Math.max(maxThreads, th);
      maxRss = Math.max(maxRss, ProcStats.status(gatewayPid, "VmRSS"));
      maxLive = Math.max(maxLive, live.get());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    double[] busy = cpu.close();
    long hwm = ProcStats.status(gatewayPid, "VmHWM");
    int[] res = onLoop(() -> new int[] {ended[0], ok[0], (int) tokenSum[0]});
    boolean allOk = res[1] == n;
    log(
        "{\"phase\":\"streams\",\"streams\":%d,\"tokens_each\":%d,\"interval_ms\":%d,"
            + "\"max_concurrent\":%d,\"ended\":%d,\"ok\":%d,\"tokens\":%d,\"seconds\":%.1f,"
            + "\"gw_threads_before\":%d,\"gw_threads_max\":%d,\"gw_vmrss_before_kb\":%d,"
            + "\"gw_vmrss_max_kb\":%d,\"gw_vmhwm_kb\":%d,\"machine_busy\":%.1f,"
            + "\"others_busy\":%.1f,\"gateway_busy\":%.1f,\"thread_names\":\"%s\"%s}",
        n,
        tokens,
        interval,
        maxLive,
        res[0],
        res[1],
        res[2],
        secs,
        threads0,
        maxThreads,
        rss0,
        maxRss,
        hwm,
        busy[0],
        busy[2],
        busy[3],
        names,
        lastError[0] == null ? "" : ",\"last_error\":\"" + lastError[0].replace("\"", "'") + "\"");
    goals.add(
        String.format(
            Locale.ROOT,
            "%d concurrent streams through the gateway, all complete without error: **%s** (%d of"
                + " %d ok, at most %d open at once)",
            n,
            allOk ? "met" : "missed",
            res[1],
            n,
            maxLive));
    goals.add(
        String.format(
            Locale.ROOT,
            "gateway threads during %d streams: at most %d (goal ≤ 16: **%s**)",
            n,
            maxThreads,
            maxThreads <= 16 ? "met" : "missed"));
    return String.format(
        Locale.ROOT,
        "## %d concurrent streams through the gateway\n\n"
            + "Paced fake Ollama (`%s`: %d tokens, first after 20 ms, then one every %d ms, one"
            + " NDJSON line per write); streams started at %d/s.\n\n"
            + "| streams | at most open at once | complete and correct | tokens | seconds |"
            + " gw threads before / max | gw VmRSS before / max | gw VmHWM | gw CPU | others busy |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n"
            + "| %d | %d | %d | %d | %.1f | %d / %d | %d / %d MB | %d MB | %s %% | %s %% |\n\n"
            + "Gateway threads by name at the peak: %s%s\n\n",
        n,
        model,
        tokens,
        interval,
        startRate,
        n,
        maxLive,
        res[1],
        res[2],
        secs,
        threads0,
        maxThreads,
        rss0 / 1024,
        maxRss / 1024,
        hwm / 1024,
        fmt(busy[3]),
        fmt(busy[2]),
        names,
        lastError[0] == null ? "" : ". First failure: " + lastError[0]);
  }

  // ---------------------------------------------------------------- tokens/s

  /** Streams of 2,000 unpaced tokens, one after the other, for {@code seconds}: tokens/s. */
  double[] tokensPerSecond(Target t, String writes, double seconds) throws Exception {
    CompletableFuture<double[]> result = new CompletableFuture<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    long[] counts = new long[3]; // tokens, streams, bad streams
    loop.runOnContext(
        v ->
            new Object() {
              void next() {
                stream(
                    t,
                    FAST_MODEL,
                    2000,
                    writes,
                    System.nanoTime(),
                    r -> {
                      counts[0] += r.tokens;
                      counts[1]++;
                      if (r.error != null || !r.done || r.tokens != 2000) {
                        counts[2]++;
                      }
                      if (System.nanoTime() < end) {
                        next();
                      } else {
                        double secs = (System.nanoTime() - start) / 1e9;
                        result.complete(new double[] {counts[0] / secs, counts[1], counts[2]});
                      }
                    });
              }
            }.next());
    return result.get((long) seconds + 60, TimeUnit.SECONDS);
  }

  /**
   * Tokens/s in both of FastOllamaServer's framings: one write per line, as Ollama writes (the
   * gateway then hands each line on as it comes), and 16 KB slices that cut lines anywhere (few
   * large reads: what is left is the gateway's cost per request and per byte).
   */
  String tokensPhase(List<String> goals) throws Exception {
    StringBuilder out = new StringBuilder();
    List<String> framings = List.of(args.getOrDefault("tps-writes", "token,slices").split(","));
    if (framings.contains("token")) {
      out.append(tokensPhase(goals, "token", "one write per NDJSON line, as Ollama writes"));
    }
    if (framings.contains("slices")) {
      out.append(tokensPhase(goals, "slices", "16 KB writes that cut lines anywhere"));
    }
    return out.toString();
  }

  String tokensPhase(List<String> goals, String writes, String framing) throws Exception {
    int rounds = intArg("rounds", 5);
    double secs = doubleArg("tps-s", 4);
    // the relayed path is compiled only once it runs: give each side the warm-up floor of the
    // other phases before the first round
    double warm = Math.max(secs, doubleArg("warm-min-s", 10));
    tokensPerSecond(direct, writes, warm);
    tokensPerSecond(gateway, writes, warm);
    StringBuilder out =
        new StringBuilder(
            "## Streamed tokens/s, one stream at a time, "
                + framing
                + "\n\n"
                + "FastOllamaServer streams of 2,000 tokens ("
                + framing
                + "), one after the other for "
                + fmt(secs)
                + " s per measurement, after "
                + fmt(warm)
                + " s of warm-up each.\n\n"
                + "| round | direct tokens/s | gateway tokens/s | ratio | streams d/g | bad d/g |"
                + " others busy d/g |\n|---|---|---|---|---|---|---|\n");
    double[] ratios = new double[rounds];
    int bad = 0;
    int disturbed = 0;
    for (int i = 0; i < rounds; i++) {
      ProcStats.Window wd = new ProcStats.Window(ourPids);
      double[] d = tokensPerSecond(direct, writes, secs);
      double[] cd = wd.close();
      ProcStats.Window wg = new ProcStats.Window(ourPids);
      double[] g = tokensPerSecond(gateway, writes, secs);
      double[] cg = wg.close();
      ratios[i] = g[0] / d[0];
      bad += (int) (d[2] + g[2]);
      disturbed += cd[2] > othersMax || cg[2] > othersMax ? 1 : 0;
      log(
          "{\"phase\":\"tps\",\"writes\":\"%s\",\"round\":%d,\"direct_tps\":%.0f,"
              + "\"gateway_tps\":%.0f,\"ratio\":%.3f,"
              + "\"streams_direct\":%.0f,\"streams_gateway\":%.0f,\"bad\":%.0f,"
              + "\"others_busy_direct\":%.1f,\"others_busy_gateway\":%.1f}",
          writes, i + 1, d[0], g[0], ratios[i], d[1], g[1], d[2] + g[2], cd[2], cg[2]);
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %.0f | %.0f | **%.2fx** | %.0f/%.0f | %.0f/%.0f | %s/%s %% |\n",
              i + 1,
              d[0],
              g[0],
              ratios[i],
              d[1],
              g[1],
              d[2],
              g[2],
              fmt(cd[2]),
              fmt(cg[2])));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "\nSpread: ratio %.2fx to %.2fx; %d of %d rounds disturbed.\n\n",
            min(ratios),
            max(ratios),
            disturbed,
            rounds));
    goals.add(
        String.format(
            Locale.ROOT,
            "streamed tokens/s through the gateway ≥ 0.5x direct in every round, %s: **%s** (%.2fx"
                + " to %.2fx, %d bad streams, %d of %d rounds disturbed)",
            framing,
            min(ratios) >= 0.5 && bad == 0 ? "met" : "missed",
            min(ratios),
            max(ratios),
            bad,
            disturbed,
            rounds));
    return out.toString();
  }

  // ---------------------------------------------------------------- time to first token

  Run ttft(Target t, String model, int rate, double seconds) throws Exception {
    return openLoop(
        t,
        rate,
        seconds,
        (rec, due) ->
            stream(
                t,
                model,
                5,
                due,
                r -> {
                  if (rec.closed) {
                    return;
                  }
                  if (r.error == null && r.done && r.firstNanos >= 0) {
                    rec.lat.add(r.firstNanos);
                  } else {
                    rec.fail(
                        new IllegalStateException(
                            r.error != null ? r.error : "tokens " + r.tokens + " done " + r.done));
                  }
                  rec.finish();
                }));
  }

  String ttftPhase() throws Exception {
    int rounds = intArg("rounds", 5);
    int rate = intArg("ttft-rate", 50);
    double secs = doubleArg("ttft-s", 5);
    String model = "paced-t5-i10-f20";
    ttft(pacedDirect, model, rate, secs);
    ttft(gateway, model, rate, secs);
    StringBuilder out =
        new StringBuilder(
            "## Time to first token, one hop\n\n"
                + String.format(
                    Locale.ROOT,
                    "Paced fake Ollama (`%s`: first token 20 ms after the request, 5 tokens),"
                        + " streams opened at %d/s for %s s per measurement; time from the due"
                        + " time to the first token line, in ms.\n\n",
                    model,
                    rate,
                    fmt(secs))
                + "| round | direct p50 | direct p99 | gateway p50 | gateway p99 | hop p50 | hop"
                + " p99 | errors d/g | others busy d/g |\n|---|---|---|---|---|---|---|---|---|\n");
    double[] h50 = new double[rounds];
    double[] h99 = new double[rounds];
    int disturbed = 0;
    for (int i = 0; i < rounds; i++) {
      Run d = ttft(pacedDirect, model, rate, secs);
      Run g = ttft(gateway, model, rate, secs);
      h50[i] = ms(g.pct(50)) - ms(d.pct(50));
      h99[i] = ms(g.pct(99)) - ms(d.pct(99));
      disturbed += d.cpu[2] > othersMax || g.cpu[2] > othersMax ? 1 : 0;
      log(
          "{\"phase\":\"ttft\",\"round\":%d,\"direct\":%s,\"gateway\":%s,\"hop_p50_ms\":%.4f,"
              + "\"hop_p99_ms\":%.4f}",
          i + 1, d.json(), g.json(), h50[i], h99[i]);
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %.3f | %.3f | %.3f | %.3f | **%.3f** | %.3f | %d/%d | %s/%s %% |\n",
              i + 1,
              ms(d.pct(50)),
              ms(d.pct(99)),
              ms(g.pct(50)),
              ms(g.pct(99)),
              h50[i],
              h99[i],
              d.errors,
              g.errors,
              fmt(d.cpu[2]),
              fmt(g.cpu[2])));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "\nSpread: hop p50 %.3f to %.3f ms, p99 %.3f to %.3f ms; %d of %d rounds disturbed.\n\n",
            min(h50),
            max(h50),
            min(h99),
            max(h99),
            disturbed,
            rounds));
    return out.toString();
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

  /** Nearest-rank percentile of a sorted array (p 100 = the maximum); NaN when empty. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double ms(double nanos) {
    return nanos / 1e6;
  }

  static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  /** A growable array of longs: a run at 2,000 req/s records 20,000 latencies without boxing. */
  static final class LongList {
    private long[] a = new long[1024];
    private int n;

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long[] sorted() {
      long[] out = Arrays.copyOf(a, n);
      Arrays.sort(out);
      return out;
    }
  }
}

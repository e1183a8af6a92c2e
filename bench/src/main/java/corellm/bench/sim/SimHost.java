package corellm.bench.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One simulated Ollama host on 127.0.0.1 (an ephemeral port), modelled on Ollama's scheduler:
 *
 * <ul>
 *   <li>a memory budget of {@code budget} models; loading one more evicts the least recently used
 *       idle model (none idle: the load waits until one is, as Ollama's pending queue does);
 *   <li>a load time per model; concurrent requests for a model that is loading share that one load
 *       (coalescing); a load is counted in {@link #loads};
 *   <li>{@code parallel} requests per loaded model at once (OLLAMA_NUM_PARALLEL), the rest queue;
 *   <li>a token rate per request: {@code /api/chat} streams one NDJSON line per token, then a
 *       {@code done:true} line with {@code load_duration} for requests that waited for a load.
 * </ul>
 *
 * <p>Also {@code /api/tags} (every model installed), {@code /api/ps} (loaded and loading models,
 * with {@code context_length}), {@code /api/version}, {@code /api/show}, {@code HEAD /}. All state
 * lives on the verticle's event loop: no locks.
 */
final class SimHost extends AbstractVerticle {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CREATED = "2026-12-02T12:00:00.000000000Z";

  final String name;
  final List<String> models;
  final Map<String, Long> loadMs;
  final int budget;
  final int parallel;
  final double tokenMs;
  final AtomicInteger loads = new AtomicInteger();
  final AtomicInteger evictions = new AtomicInteger();
  final AtomicInteger chats = new AtomicInteger();
  volatile int port;

  /** Requests that waited for memory (every loaded model busy), and the longest such wait. */
  final AtomicInteger blockedCount = new AtomicInteger();

  volatile long blockedMaxNs;

  /** Loaded or loading models in LRU order (access order: least recently used first). */
  private final LinkedHashMap<String, Runner> runners = new LinkedHashMap<>(16, 0.75f, true);

  /** Requests for a cold model that could not load yet: every slot of memory is busy. */
  private final ArrayDeque<Req> blocked = new ArrayDeque<>();

  private HttpServer server;

  SimHost(
      String name,
      List<String> models,
      Map<String, Long> loadMs,
      int budget,
      int parallel,
      double tokensPerSecond) {
    this.name = name;
    this.models = models;
    this.loadMs = loadMs;
    this.budget = budget;
    this.parallel = parallel;
    this.tokenMs = 1000.0 / tokensPerSecond;
  }

  final class Runner {
    final String model;
    boolean loaded;
    long loadStartedNanos;
    int active;
    final List<Req> waiting = new ArrayList<>();
    final ArrayDeque<Req> queue = new ArrayDeque<>();

    Runner(String model) {
      this.model = model;
    }

    boolean idle() {
      return loaded && active == 0 && queue.isEmpty();
    }
  }

  static final class Req {
    final HttpServerRequest http;
    final String model;
    final int tokens;
    long loadNanos;
    boolean gone;
    long timer = -1;
    long blockedAt;

    /** An empty generate (the router's shared load): answered once the model is loaded. */
    boolean load() {
      return tokens == 0;
    }

    Req(HttpServerRequest http, String model, int tokens) {
      this.http = http;
      this.model = model;
      this.tokens = tokens;
    }
  }

  @Override
  public void start(Promise<Void> started) {
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setTcpNoDelay(true)
                    .setHttp2ClearTextEnabled(false))
            .requestHandler(this::handle);
    server.listen().onSuccess(s -> port = s.actualPort()).<Void>mapEmpty().onComplete(started);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  private void handle(HttpServerRequest req) {
    switch (req.path()) {
      case "/api/chat" -> req.body().onSuccess(b -> chat(req, b));
      case "/api/generate" -> req.body().onSuccess(b -> load(req, b));
      case "/api/tags" -> json(req.response(), tags());
      case "/api/ps" -> json(req.response(), ps());
      case "/api/version" -> json(req.response(), "{\"version\":\"0.12.10\"}");
      case "/api/show" ->
          json(
              req.response(),
              "{\"capabilities\":[\"completion\"],\"details\":{\"family\":\"llama\"},"
                  + "\"model_info\":{\"llama.context_length\":8192}}");
      case "/" -> req.response().putHeader("content-type", "text/plain").end("Ollama is running");
      default ->
          req.response()
              .setStatusCode(404)
              .putHeader("content-type", "application/json")
              .end("{\"error\":\"404 page not found\"}");
    }
  }

  private static void json(HttpServerResponse r, String body) {
    r.putHeader("content-type", "application/json; charset=utf-8").end(body);
  }

  private static String digest(String model) {
    return String.format("%064x", (long) model.hashCode() & 0xffffffffL);
  }

  private String tags() {
    StringBuilder sb = new StringBuilder("{\"models\":[");
    for (int i = 0; i < models.size(); i++) {
      String m = models.get(i);
      if (i > 0) sb.append(',');
      sb.append("{\"name\":\"").append(m).append("\",\"model\":\"").append(m);
      sb.append("\",\"modified_at\":\"")
          .append(CREATED)
          .append("\",\"size\":1000000,\"digest\":\"");
      sb.append(digest(m)).append("\",\"details\":{\"format\":\"gguf\",\"family\":\"llama\"}}");
    }
    return sb.append("]}").toString();
  }

  private String ps() {
    StringBuilder sb = new StringBuilder("{\"models\":[");
    boolean first = true;
    for (Runner r : runners.values()) {
      if (!first) sb.append(',');
      first = false;
      sb.append("{\"name\":\"").append(r.model).append("\",\"model\":\"").append(r.model);
      sb.append("\",\"size\":1000000,\"size_vram\":1000000,\"digest\":\"").append(digest(r.model));
      sb.append("\",\"details\":{\"format\":\"gguf\",\"family\":\"llama\",\"parent_model\":\"\"},");
      sb.append("\"expires_at\":\"2099-01-01T00:00:00Z\",\"context_length\":4096}");
    }
    return sb.append("]}").toString();
  }

  private void chat(HttpServerRequest http, Buffer body) {
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (Exception e) {
      http.response().setStatusCode(400).end("{\"error\":\"invalid JSON\"}");
      return;
    }
    String model = root.path("model").asText("").replace(":latest", "");
    if (!models.contains(model)) {
      http.response()
          .setStatusCode(404)
          .putHeader("content-type", "application/json")
          .end("{\"error\":\"model '" + model + "' not found\"}");
      return;
    }
    chats.incrementAndGet();
    int tokens = root.path("options").path("num_predict").asInt(64);
    Req req = new Req(http, model, Math.max(1, tokens));
    http.response()
        .closeHandler(
            v -> {
              req.gone = true;
              if (req.timer >= 0) {
                vertx.cancelTimer(req.timer);
                finish(req);
              }
            });
    admit(req);
  }

  /**
   * {@code /api/generate} without a prompt, as the router's shared load sends it: loads the model
   * (one load however many ask, as for a chat) and answers {@code done_reason: "load"} without
   * taking one of its parallel slots.
   */
  private void load(HttpServerRequest http, Buffer body) {
    String model;
    try {
      model = JSON.readTree(body.getBytes()).path("model").asText("").replace(":latest", "");
    } catch (Exception e) {
      http.response().setStatusCode(400).end("{\"error\":\"invalid JSON\"}");
      return;
    }
    if (!models.contains(model)) {
      http.response()
          .setStatusCode(404)
          .putHeader("content-type", "application/json")
          .end("{\"error\":\"model '" + model + "' not found\"}");
      return;
    }
    Req req = new Req(http, model, 0);
    http.response().closeHandler(v -> req.gone = true);
    admit(req);
  }

  private void loaded(Req q) {
    if (q.gone) {
      return;
    }
    json(
        q.http.response(),
        "{\"model\":\""
            + q.model
            + "\",\"created_at\":\""
            + CREATED
            + "\",\"response\":\"\",\"done\":true,\"done_reason\":\"load\",\"load_duration\":"
            + q.loadNanos
            + "}");
  }

  /** A request for its model: join the runner (loaded or loading) or start a load. */
  private void admit(Req req) {
    Runner r = runners.get(req.model); // touches the LRU order
    if (r == null) {
      if (req.blockedAt == 0) {
        debug("cold", req);
      }
      if (runners.size() >= budget && !evictOne()) {
        if (req.blockedAt == 0) {
          req.blockedAt = System.nanoTime();
          blockedCount.incrementAndGet();
        }
        blocked.add(req); // memory full of busy models: wait until one is idle
        debug("blocked", req);
        return;
      }
      r = new Runner(req.model);
      runners.put(req.model, r);
      startLoad(r);
    }
    if (!r.loaded) {
      r.waiting.add(req);
    } else if (req.load()) {
      loaded(req);
    } else {
      r.queue.add(req);
      pump(r);
    }
  }

  static final boolean DEBUG = Boolean.getBoolean("sim.debug");

  /** When the run started (set by the simulation): the debug lines' times count from here. */
  static volatile long T0 = System.nanoTime();

  /** With sim.debug: what happened to a request for a cold model, and this host's runners. */
  private void debug(String what, Req req) {
    if (DEBUG) {
      System.out.printf(
          java.util.Locale.ROOT,
          "  %s %s %s%s at %.2fs: %s%n",
          what,
          name,
          req.model,
          req.load() ? " (load)" : "",
          (System.nanoTime() - T0) / 1e9,
          state());
    }
  }

  /** Each runner as model[loaded or loading, active/queued]: for the debug lines. */
  private String state() {
    StringBuilder sb = new StringBuilder();
    for (Runner r : runners.values()) {
      sb.append(r.model)
          .append(r.loaded ? "[" : "[loading ")
          .append(r.active)
          .append('/')
          .append(r.queue.size() + r.waiting.size())
          .append("] ");
    }
    return sb.append("blocked ").append(blocked.size()).toString();
  }

  private boolean evictOne() {
    for (Iterator<Runner> it = runners.values().iterator(); it.hasNext(); ) {
      Runner r = it.next();
      if (r.idle()) {
        it.remove();
        evictions.incrementAndGet();
        return true;
      }
    }
    return false;
  }

  private void startLoad(Runner r) {
    loads.incrementAndGet();
    r.loadStartedNanos = System.nanoTime();
    vertx.setTimer(
        loadMs.getOrDefault(r.model, 500L),
        t -> {
          r.loaded = true;
          long took = System.nanoTime() - r.loadStartedNanos;
          for (Req q : r.waiting) {
            q.loadNanos = took;
            if (q.load()) {
              loaded(q);
            } else {
              r.queue.add(q);
            }
          }
          r.waiting.clear();
          pump(r);
          unblock(); // a model that is loaded and idle can be evicted for a blocked load
        });
  }

  private void pump(Runner r) {
    while (r.active < parallel && !r.queue.isEmpty()) {
      Req q = r.queue.poll();
      if (q.gone) {
        continue;
      }
      r.active++;
      generate(r, q);
    }
  }

  private void generate(Runner r, Req q) {
    HttpServerResponse resp = q.http.response();
    resp.setChunked(true).putHeader("content-type", "application/x-ndjson");
    long started = System.nanoTime();
    int[] sent = {0};
    q.timer =
        vertx.setPeriodic(
            Math.max(1, Math.round(tokenMs)),
            t -> {
              if (q.gone) {
                return;
              }
              sent[0]++;
              if (sent[0] < q.tokens) {
                resp.write(
                    "{\"model\":\""
                        + q.model
                        + "\",\"created_at\":\""
                        + CREATED
                        + "\",\"message\":{\"role\":\"assistant\",\"content\":\"tok \"},\"done\":false}\n");
                return;
              }
              vertx.cancelTimer(t);
              q.timer = -1;
              long total = System.nanoTime() - started + q.loadNanos;
              String done =
                  "{\"model\":\""
                      + q.model
                      + "\",\"created_at\":\""
                      + CREATED
                      + "\",\"message\":{\"role\":\"assistant\",\"content\":\"end\"},\"done\":true,"
                      + "\"done_reason\":\"stop\",\"total_duration\":"
                      + total
                      + (q.loadNanos > 0 ? ",\"load_duration\":" + q.loadNanos : "")
                      + ",\"prompt_eval_count\":12,\"prompt_eval_duration\":1000,\"eval_count\":"
                      + q.tokens
                      + ",\"eval_duration\":"
                      + (System.nanoTime() - started)
                      + "}\n";
              resp.end(done);
              finish(q);
            });
  }

  private void finish(Req q) {
    Runner r = runners.get(q.model);
    if (r != null && r.active > 0) {
      r.active--;
      pump(r);
    }
    unblock();
  }

  private void unblock() {
    int n = blocked.size();
    for (int i = 0; i < n; i++) {
      Req q = blocked.poll();
      if (q.gone) {
        continue;
      }
      Runner r = runners.get(q.model);
      if (r == null && runners.size() >= budget && !evictOne()) {
        blocked.add(q);
        continue;
      }
      if (q.blockedAt > 0) {
        blockedMaxNs = Math.max(blockedMaxNs, System.nanoTime() - q.blockedAt);
      }
      admit(q);
    }
  }
}

package corellm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Ollama that streams at a model's pace: one NDJSON line per write, the first after a fixed
 * delay (prompt evaluation), then one every interval, the way Ollama emits tokens as they are
 * generated. For the gateway benchmark's 2,000 concurrent streams and its time-to-first-token.
 *
 * <p>The pace is in the model name, {@code paced-t<tokens>-i<interval ms>-f<first ms>} (e.g. {@code
 * paced-t200-i50-f20}), because a gateway maps requests onto its own types and need not pass
 * unknown options through; the name always arrives. Other names get the server's defaults.
 *
 * <p>One timer per stream, on its connection's event loop: no thread per stream. A write that fills
 * the socket waits for the drain before the next token is scheduled, so a slow reader slows its
 * stream instead of growing a buffer. A client that leaves ends its stream's timer.
 *
 * <p>Usage: {@code PacedOllamaServer [--port 11436] [--tokens 200] [--interval-ms 50] [--first-ms
 * 20]}
 */
public final class PacedOllamaServer {
  private static final Pattern PACE = Pattern.compile("paced-t(\\d+)-i(\\d+)-f(\\d+)");

  private final Vertx vertx;
  private final int tokens;
  private final long intervalMs;
  private final long firstMs;
  private final AtomicLong streams = new AtomicLong();
  private final AtomicLong live = new AtomicLong();

  /**
   * Models asked for so far: "installed" and "loaded" from then on (/api/tags, /api/ps), as a host
   * that has them in memory reports them, so a router's residency poll does not see them vanish.
   */
  private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private PacedOllamaServer(Vertx vertx, int tokens, long intervalMs, long firstMs) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.intervalMs = intervalMs;
    this.firstMs = firstMs;
  }

  public static void main(String[] args) {
    int port = 11436;
    int tokens = 200;
    long interval = 50;
    long first = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--tokens" -> tokens = Integer.parseInt(args[++i]);
        case "--interval-ms" -> interval = Long.parseLong(args[++i]);
        case "--first-ms" -> first = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    int p = port;
    start(Vertx.vertx(), p, tokens, interval, first)
        .onSuccess(s -> System.out.println("PacedOllamaServer listening on 127.0.0.1:" + p))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }

  /** Listens on 127.0.0.1:{@code port} (0: a free one) with these defaults for other models. */
  static Future<HttpServer> start(
      Vertx vertx, int port, int tokens, long intervalMs, long firstMs) {
    PacedOllamaServer server = new PacedOllamaServer(vertx, tokens, intervalMs, firstMs);
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setAcceptBacklog(4096)
                .setTcpNoDelay(true)
                .setHttp2ClearTextEnabled(false))
        .requestHandler(server::handle)
        .listen();
  }

  private void handle(HttpServerRequest req) {
    switch (req.path()) {
      case "/api/chat" -> req.body().onSuccess(body -> chat(req, body));
      // a preload (no prompt), as a router sends before the first chat of a model it does not
      // know to be loaded: answered at once, in Ollama's shape (ollama-api.md, model lifecycle)
      case "/api/generate" -> req.body().onSuccess(body -> load(req, body));
      case "/api/version" -> json(req.response(), "{\"version\":\"0.12.10\"}");
      case "/api/tags", "/api/ps" -> json(req.response(), models());
      case "/bench/stats" ->
          json(req.response(), "{\"streams\":" + streams.get() + ",\"live\":" + live.get() + "}");
      case "/" -> req.response().putHeader("content-type", "text/plain").end("Ollama is running");
      default ->
          req.response()
              .setStatusCode(404)
              .putHeader("content-type", "application/json")
              .end("{\"error\":\"404 page not found\"}");
    }
  }

  /** The models seen, as /api/tags and /api/ps list them (the fields a router reads). */
  private String models() {
    com.fasterxml.jackson.databind.node.ArrayNode list = FastOllamaServer.JSON.createArrayNode();
    for (String name : seen) {
      list.addObject()
          .put("name", name)
          .put("model", name)
          .put("size", 1_000_000_000L)
          .put("digest", "0".repeat(64))
          .put("expires_at", "2999-01-01T00:00:00Z")
          .put("context_length", 4096);
    }
    return "{\"models\":" + list + "}";
  }

  private void load(HttpServerRequest req, Buffer body) {
    String model;
    try {
      model = FastOllamaServer.JSON.readTree(body.getBytes()).path("model").asText("");
    } catch (java.io.IOException e) {
      model = "";
    }
    if (!model.isEmpty()) {
      seen.add(model);
    }
    json(
        req.response(),
        "{\"model\":"
            + FastOllamaServer.JSON.valueToTree(model)
            + ",\"created_at\":\"2025-06-01T12:00:00.123456789Z\",\"response\":\"\","
            + "\"done\":true,\"done_reason\":\"load\"}");
  }

  private static void json(HttpServerResponse resp, String body) {
    resp.putHeader("content-type", "application/json; charset=utf-8").end(body);
  }

  private void chat(HttpServerRequest req, Buffer body) {
    JsonNode root;
    try {
      root = FastOllamaServer.JSON.readTree(body.getBytes());
    } catch (Exception e) {
      req.response().setStatusCode(400).end("{\"error\":\"invalid JSON\"}");
      return;
    }
    String model = root.path("model").asText("");
    if (!model.isEmpty()) {
      seen.add(model);
    }
    Matcher m = PACE.matcher(model);
    int n = m.matches() ? Integer.parseInt(m.group(1)) : tokens;
    long every = m.matches() ? Long.parseLong(m.group(2)) : intervalMs;
    long first = m.matches() ? Long.parseLong(m.group(3)) : firstMs;
    HttpServerResponse resp = req.response();
    if (root.has("stream") && !root.get("stream").asBoolean(true)) {
      // a unary reply comes when the whole answer would have been generated
      vertx.setTimer(
          Math.max(1, first + every * Math.max(0, n - 1)),
          t -> {
            if (!resp.closed()) {
              json(resp, FastOllamaServer.unaryBody(n).toString());
            }
          });
      return;
    }
    streams.incrementAndGet();
    live.incrementAndGet();
    resp.setChunked(true).putHeader("content-type", "application/x-ndjson");
    Stream s = new Stream(resp, n, every);
    resp.closeHandler(v -> s.stop());
    s.timer = vertx.setTimer(Math.max(1, first), t -> s.next());
  }

  /** One paced stream: its next token index and pending timer. Runs on one event loop. */
  private final class Stream {
    final HttpServerResponse resp;
    final int total;
    final long every;
    int sent;
    long timer = -1;
    boolean stopped;

    Stream(HttpServerResponse resp, int total, long every) {
      this.resp = resp;
      this.total = total;
      this.every = every;
    }

    void next() {
      timer = -1;
      if (stopped) {
        return;
      }
      if (sent == total) {
        resp.end(FastOllamaServer.finalLine(total));
        stop();
        return;
      }
      resp.write(FastOllamaServer.tokenLine(sent++));
      if (resp.writeQueueFull()) {
        resp.drainHandler(v -> schedule());
      } else {
        schedule();
      }
    }

    void schedule() {
      if (!stopped) {
        timer = vertx.setTimer(Math.max(1, every), t -> next());
      }
    }

    void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      live.decrementAndGet();
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }
}

package corellm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake Ollama that costs as little as possible, so the benchmark measures clients and not the
 * server. Runs in its own JVM, listens on 127.0.0.1 only.
 *
 * <ul>
 *   <li>{@code POST /api/chat}, streamed (default): {@code options.num_predict} tokens (default
 *       2,000) as NDJSON, one ~130-byte line per token like Ollama's, then a {@code done:true} line
 *       with metrics. By default each line is its own write, hence its own HTTP chunk, as Ollama
 *       (Go's net/http) writes and flushes one chunk per line. The variant {@code --slices} (or
 *       {@code ?writes=slices}) sends the body in 16 KB slices that cut lines anywhere, so clients
 *       must frame and per-chunk costs are hidden. {@code --pace-us 250} writes one line every 250
 *       µs (a real model's pace), from a pacer thread onto the connection's event loop.
 *   <li>{@code POST /api/chat} with {@code stream:false}: one object, content of num_predict tokens
 *       (default 20).
 *   <li>{@code POST /api/embed}: one vector per input (default 16 if none), {@code dimensions}
 *       floats each (default 768), printed like Ollama's float32s.
 *   <li>{@code GET /api/version}, {@code GET /api/tags}, {@code HEAD /}, {@code GET /bench/stats}.
 * </ul>
 *
 * <p>Bodies are built once per shape and cached; writes respect the socket's back-pressure.
 *
 * <p>Usage: {@code FastOllamaServer [--port 11435] [--instances 2] [--slices] [--slice 16384]
 * [--pace-us 0]}
 */
public final class FastOllamaServer {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CREATED_AT = "2025-06-01T12:00:00.123456789Z";
  static final String MODEL = "llama3.2:1b";

  final ConcurrentHashMap<Integer, List<Buffer>> batched = new ConcurrentHashMap<>();
  final ConcurrentHashMap<Integer, List<Buffer>> perToken = new ConcurrentHashMap<>();
  final ConcurrentHashMap<Integer, Buffer> unary = new ConcurrentHashMap<>();
  final ConcurrentHashMap<Long, Buffer> embeds = new ConcurrentHashMap<>();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong streams = new AtomicLong();
  final int slice;
  final boolean slicesDefault;
  final long paceNanos;

  FastOllamaServer(int slice, boolean slicesDefault, long paceNanos) {
    this.slice = slice;
    this.slicesDefault = slicesDefault;
    this.paceNanos = paceNanos;
  }

  public static void main(String[] args) {
    int port = 11435;
    int instances = 2;
    int slice = 16 * 1024;
    boolean slices = false;
    long paceUs = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        case "--slice" -> slice = Integer.parseInt(args[++i]);
        case "--per-token" -> slices = false; // the default since issue 13; kept for old scripts
        case "--slices" -> slices = true;
        case "--pace-us" -> paceUs = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    FastOllamaServer server = new FastOllamaServer(slice, slices, paceUs * 1000);
    Vertx vertx = Vertx.vertx();
    int p = port;
    vertx
        .deployVerticle(
            () ->
                new AbstractVerticle() {
                  @Override
                  public void start(io.vertx.core.Promise<Void> started) {
                    vertx
                        .createHttpServer(
                            new HttpServerOptions()
                                .setHost("127.0.0.1")
                                .setPort(p)
                                .setAcceptBacklog(4096)
                                .setTcpNoDelay(true)
                                // Ollama (Go net/http) ignores h2c upgrades: stay on HTTP/1.1 like
                                // it does
                                .setHttp2ClearTextEnabled(false))
                        .requestHandler(server::handle)
                        .listen()
                        .<Void>mapEmpty()
                        .onComplete(started);
                  }
                },
            new DeploymentOptions().setInstances(instances))
        .onSuccess(
            id ->
                System.out.println(
                    "FastOllamaServer listening on 127.0.0.1:"
                        + p
                        + (server.slicesDefault ? " (16 KB slices)" : " (one write per line)")
                        + (server.paceNanos > 0
                            ? " paced " + server.paceNanos / 1000 + " us"
                            : "")))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }

  void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    String path = req.path();
    switch (path) {
      case "/api/chat" -> req.body().onSuccess(body -> chat(req, body));
      case "/api/embed" -> req.body().onSuccess(body -> embed(req, body));
      case "/api/show" -> req.body().onSuccess(body -> show(req, body));
      case "/api/ps" ->
          json(
              req.response(),
              "{\"models\":[{\"name\":\""
                  + MODEL
                  + "\",\"model\":\""
                  + MODEL
                  + "\",\"size\":1,\"digest\":\"abc\",\"expires_at\":\"2099-01-01T00:00:00Z\""
                  + ",\"size_vram\":1,\"context_length\":4096}]}");
      case "/api/version" -> json(req.response(), "{\"version\":\"0.12.10\"}");
      case "/api/tags" ->
          json(
              req.response(),
              "{\"models\":[{\"name\":\""
                  + MODEL
                  + "\",\"model\":\""
                  + MODEL
                  + "\",\"modified_at\":\""
                  + CREATED_AT
                  + "\",\"size\":1,\"digest\":\"abc\"}]}");
      case "/bench/stats" ->
          json(
              req.response(),
              "{\"requests\":" + requests.get() + ",\"streams\":" + streams.get() + "}");
      case "/" -> req.response().putHeader("content-type", "text/plain").end("Ollama is running");
      default ->
          req.response()
              .setStatusCode(404)
              .putHeader("content-type", "application/json")
              .end("{\"error\":\"404 page not found\"}");
    }
  }

  private static void json(HttpServerResponse resp, String body) {
    resp.putHeader("content-type", "application/json; charset=utf-8").end(body);
  }

  private void chat(HttpServerRequest req, Buffer body) {
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (Exception e) {
      req.response().setStatusCode(400).end("{\"error\":\"invalid JSON\"}");
      return;
    }
    JsonNode options = root.path("options");
    boolean stream = !root.has("stream") || root.get("stream").asBoolean(true);
    int tokens = options.path("num_predict").asInt(stream ? 2000 : 20);
    if (tokens <= 0) {
      tokens = stream ? 2000 : 20;
    }
    HttpServerResponse resp = req.response();
    if (!stream) {
      Buffer out = unary.computeIfAbsent(tokens, FastOllamaServer::unaryBody);
      resp.putHeader("content-type", "application/json; charset=utf-8").end(out);
      return;
    }
    streams.incrementAndGet();
    boolean sliced =
        "slices".equals(req.getParam("writes"))
            || (slicesDefault
                && !"token".equals(req.getParam("writes"))
                && !"token".equals(options.path("bench_writes").asText(null)));
    List<Buffer> parts =
        sliced
            ? batched.computeIfAbsent(tokens, n -> slices(streamBody(n), slice))
            : perToken.computeIfAbsent(tokens, FastOllamaServer::tokenLines);
    resp.setChunked(true).putHeader("content-type", "application/x-ndjson");
    if (paceNanos > 0 && !sliced) {
      paced(resp, parts);
      return;
    }
    write(resp, parts, 0);
  }

  /**
   * One line every {@code paceNanos}, on absolute deadlines (a late wake-up does not shift the
   * rest): a pacer thread sleeps, the connection's event loop writes (and so flushes) each line.
   */
  private void paced(HttpServerResponse resp, List<Buffer> parts) {
    io.vertx.core.Context ctx = io.vertx.core.Vertx.currentContext();
    java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();
    resp.closeHandler(v -> closed.set(true));
    Thread pacer =
        new Thread(
            () -> {
              long t0 = System.nanoTime();
              for (int i = 0; i < parts.size() && !closed.get(); i++) {
                long deadline = t0 + (i + 1) * paceNanos;
                long now;
                while ((now = System.nanoTime()) < deadline) {
                  java.util.concurrent.locks.LockSupport.parkNanos(deadline - now);
                }
                Buffer part = parts.get(i);
                boolean last = i == parts.size() - 1;
                ctx.runOnContext(
                    v -> {
                      if (closed.get()) {
                        return;
                      }
                      if (last) {
                        resp.end(part);
                      } else {
                        resp.write(part);
                      }
                    });
              }
            },
            "pacer");
    pacer.setDaemon(true);
    pacer.start();
  }

  /** Writes parts from index on, waiting for the drain handler when the socket is full. */
  private static void write(HttpServerResponse resp, List<Buffer> parts, int from) {
    int i = from;
    while (i < parts.size()) {
      if (resp.writeQueueFull()) {
        int next = i;
        resp.drainHandler(v -> write(resp, parts, next));
        return;
      }
      resp.write(parts.get(i++));
    }
    resp.end();
  }

  /**
   * Enough of /api/show for the factory's capability checks: embedding models embed, others chat.
   */
  private static void show(HttpServerRequest req, Buffer body) {
    String model;
    try {
      JsonNode root = JSON.readTree(body.getBytes());
      model = root.path("model").asText(root.path("name").asText(""));
    } catch (Exception e) {
      req.response().setStatusCode(400).end("{\"error\":\"invalid JSON\"}");
      return;
    }
    String caps = model.contains("embed") ? "[\"embedding\"]" : "[\"completion\",\"tools\"]";
    json(
        req.response(),
        "{\"modelfile\":\"\",\"parameters\":\"\",\"template\":\"{{ .Prompt }}\""
            + ",\"details\":{\"format\":\"gguf\",\"family\":\"llama\",\"parameter_size\":\"1B\""
            + ",\"quantization_level\":\"Q4_K_M\"},\"model_info\":{\"general.architecture\":\"llama\""
            + ",\"llama.context_length\":131072},\"capabilities\":"
            + caps
            + ",\"modified_at\":\""
            + CREATED_AT
            + "\"}");
  }

  private void embed(HttpServerRequest req, Buffer body) {
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (Exception e) {
      req.response().setStatusCode(400).end("{\"error\":\"invalid JSON\"}");
      return;
    }
    JsonNode input = root.path("input");
    int n = input.isArray() ? input.size() : input.isTextual() ? 1 : 16;
    int dims = root.path("dimensions").asInt(768);
    long key = ((long) n << 32) | dims;
    Buffer out = embeds.computeIfAbsent(key, k -> embedBody(n, dims));
    req.response().putHeader("content-type", "application/json; charset=utf-8").end(out);
  }

  // ---- bodies ----

  static String tokenLine(int i) {
    // ~130 bytes, like Ollama's chunks for a small model
    return "{\"model\":\""
        + MODEL
        + "\",\"created_at\":\""
        + CREATED_AT
        + "\",\"message\":{\"role\":\"assistant\",\"content\":\" tok"
        + (i % 10_000)
        + "\"},\"done\":false}\n";
  }

  static String finalLine(int tokens) {
    return "{\"model\":\""
        + MODEL
        + "\",\"created_at\":\""
        + CREATED_AT
        + "\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\""
        + ",\"total_duration\":1234567890,\"load_duration\":12345678,\"prompt_eval_count\":26"
        + ",\"prompt_eval_duration\":23456789,\"eval_count\":"
        + tokens
        + ",\"eval_duration\":987654321}\n";
  }

  static byte[] streamBody(int tokens) {
    StringBuilder sb = new StringBuilder(tokens * 132 + 400);
    for (int i = 0; i < tokens; i++) {
      sb.append(tokenLine(i));
    }
    sb.append(finalLine(tokens));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static List<Buffer> slices(byte[] body, int size) {
    List<Buffer> out = new ArrayList<>();
    for (int off = 0; off < body.length; off += size) {
      int len = Math.min(size, body.length - off);
      byte[] part = new byte[len];
      System.arraycopy(body, off, part, 0, len);
      out.add(Buffer.buffer(part));
    }
    return List.copyOf(out);
  }

  static List<Buffer> tokenLines(int tokens) {
    List<Buffer> out = new ArrayList<>(tokens + 1);
    for (int i = 0; i < tokens; i++) {
      out.add(Buffer.buffer(tokenLine(i)));
    }
    out.add(Buffer.buffer(finalLine(tokens)));
    return List.copyOf(out);
  }

  static Buffer unaryBody(int tokens) {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      content.append(" tok").append(i);
    }
    String line = finalLine(tokens).trim();
    line = line.replace("\"content\":\"\"", "\"content\":\"" + content + "\"");
    return Buffer.buffer(line);
  }

  static Buffer embedBody(int n, int dims) {
    Random random = new Random(42);
    StringBuilder sb = new StringBuilder(n * dims * 13 + 200);
    sb.append("{\"model\":\"nomic-embed-text\",\"embeddings\":[");
    for (int v = 0; v < n; v++) {
      if (v > 0) {
        sb.append(',');
      }
      sb.append('[');
      for (int d = 0; d < dims; d++) {
        if (d > 0) {
          sb.append(',');
        }
        // float32 values of an L2-normalised 768-vector, in plain decimal as Go prints them
        float x = (float) (random.nextGaussian() * 0.036);
        if (Math.abs(x) < 0.001f) {
          x = x < 0 ? -0.0012345678f : 0.0012345678f;
        }
        sb.append(Float.toString(x));
      }
      sb.append(']');
    }
    sb.append("],\"total_duration\":14143917,\"load_duration\":1019500,\"prompt_eval_count\":")
        .append(n * 8)
        .append('}');
    return Buffer.buffer(sb.toString());
  }
}

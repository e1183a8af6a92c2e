package core.llm.providers.ollama.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/** Default (unscripted) behaviour of /api/chat, /api/generate, /api/embed and /api/embeddings. */
final class Inference {
  private final ModelStore store;
  private final FakeClock clock;

  Inference(ModelStore store, FakeClock clock) {
    this.store = store;
    this.clock = clock;
  }

  void chat(Exchange ex, JsonObject body) {
    completion(ex, body, true);
  }

  void generate(Exchange ex, JsonObject body) {
    completion(ex, body, false);
  }

  private void completion(Exchange ex, JsonObject body, boolean chat) {
    String name = body.getValue("model") instanceof String s ? s : "";
    Duration ka;
    try {
      ka = KeepAlive.parse(body.getValue("keep_alive"));
    } catch (KeepAlive.Invalid e) {
      ex.error(400, e.getMessage());
      return;
    }
    Checks.Failure f = Checks.decode(body);
    if (f != null) {
      ex.error(f.status(), f.message());
      return;
    }
    if (name.isEmpty()) {
      ex.error(chat ? 400 : 404, chat ? "model is required" : "model '' not found");
      return;
    }
    if (!chat
        && Boolean.TRUE.equals(body.getValue("raw"))
        && (body.getValue("template") != null
            || body.getValue("system") != null
            || body.getValue("context") != null)) {
      ex.error(400, "raw mode does not support template, system, or context");
      return;
    }
    Optional<FakeModel> found = store.find(name);
    if (found.isEmpty()) {
      ex.error(404, "model '" + name + "' not found");
      return;
    }
    FakeModel m = found.get();
    boolean empty =
        chat
            ? !(body.getValue("messages") instanceof JsonArray a) || a.isEmpty()
            : body.getString("prompt", "").isEmpty();
    if (empty && ka != null && ka.isZero()) {
      store.unload(m);
      ex.json(200, lifecycle(name, chat, "unload"));
      return;
    }
    if (!m.has("completion")) {
      ex.error(400, "\"" + name + "\" does not support " + (chat ? "chat" : "generate"));
      return;
    }
    if (Checks.hasTools(body) && !m.has("tools")) {
      ex.error(400, ModelNames.full(name) + " does not support tools");
      return;
    }
    if (!chat && !body.getString("suffix", "").isEmpty() && !m.has("insert")) {
      ex.error(400, ModelNames.full(name) + " does not support insert");
      return;
    }
    if (Checks.thinkRequested(body) && !m.has("thinking")) {
      ex.error(400, "\"" + name + "\" does not support thinking");
      return;
    }
    if ((f = Checks.options(body)) != null) {
      ex.error(f.status(), f.message());
      return;
    }
    withModel(
        ex,
        m,
        ka,
        fresh -> {
          if (empty) {
            ex.json(200, lifecycle(name, chat, "load")).onComplete(v -> store.leave(m));
          } else {
            respond(ex, body, m, name, chat, fresh).onComplete(v -> store.leave(m));
          }
        });
  }

  /**
   * Loads the model (withholding headers during a cold load) and runs the action while "in use".
   */
  private void withModel(Exchange ex, FakeModel m, Duration ka, Consumer<Boolean> action) {
    Future<Boolean> load = store.acquire(ex.vertx, m, ka);
    // a load under way (or one that finished at once, with no load delay) is one this request
    // waited for; an already loaded model completes at once with false
    ex.record.waitedForLoad = !load.isComplete() || load.failed() || load.result();
    if (!load.isComplete()) {
      ex.record
          .closedByClient()
          .onSuccess(
              v -> {
                if (!load.isComplete()) {
                  store.abandon(ex.vertx, m);
                }
              });
    }
    load.onSuccess(
        fresh -> {
          if (ex.gone()) {
            return;
          }
          store.enter(m, ka);
          action.accept(fresh);
        });
  }

  private JsonObject lifecycle(String name, boolean chat, String reason) {
    JsonObject o =
        chat ? Chunks.chatObject(name, "", null, true) : Chunks.generateObject(name, "", true);
    return o.put("created_at", clock.nowUtc()).put("done_reason", reason);
  }

  private Future<Void> respond(
      Exchange ex, JsonObject body, FakeModel m, String name, boolean chat, boolean fresh) {
    boolean think = m.has("thinking") && !Boolean.FALSE.equals(body.getValue("think"));
    boolean tools = Checks.hasTools(body) && !m.toolCalls.isEmpty();
    boolean logprobs = Boolean.TRUE.equals(body.getValue("logprobs"));
    int top = body.getInteger("top_logprobs", 0);
    List<JsonObject> chunks = new ArrayList<>();
    if (think) {
      for (String t : tokens(m.thinking)) {
        chunks.add(chunk(name, chat, "", t));
      }
    }
    List<String> words = tokens(m.reply);
    int contentChunks = 0;
    for (int i = 0; i < words.size(); i++) {
      if (m.lastTokenOnFinal && i == words.size() - 1) {
        break;
      }
      if (m.errorAfterTokens >= 0 && contentChunks == m.errorAfterTokens) {
        break;
      }
      JsonObject c = chunk(name, chat, words.get(i), null);
      if (logprobs) {
        c.put("logprobs", new JsonArray().add(logprob(words.get(i), i, top)));
      }
      chunks.add(c);
      contentChunks++;
    }
    boolean failing = m.errorAfterTokens >= 0 && m.errorAfterTokens < words.size();
    if (tools && !m.toolCallsOnFinal && !failing) {
      JsonObject c = chunk(name, chat, "", null);
      putToolCalls(c, chat, m.toolCalls);
      chunks.add(c);
    }
    String last = m.lastTokenOnFinal && !words.isEmpty() ? words.get(words.size() - 1) : "";
    JsonObject fin =
        chunk(name, chat, last, null)
            .put("done", true)
            .put("done_reason", m.doneReason)
            .mergeIn(
                metrics(body, words.size(), fresh ? Math.max(1, m.loadDelayMs) * 1_000_000L : 0));
    if (tools && m.toolCallsOnFinal) {
      putToolCalls(fin, chat, m.toolCalls);
    }
    if (!chat && !Boolean.TRUE.equals(body.getValue("raw"))) {
      JsonArray ctx = new JsonArray();
      for (int i = 0; i < words.size() + 3; i++) {
        ctx.add(128_000 + i);
      }
      fin.put("context", ctx);
    }
    if (Boolean.FALSE.equals(body.getValue("stream"))) {
      long wait = m.tokenDelayMs * (chunks.size() + 1);
      if (failing) {
        return ex.delay(wait).compose(v -> ex.error(500, m.errorMessage));
      }
      return ex.delay(wait).compose(v -> ex.json(200, aggregate(chunks, fin, chat)));
    }
    ex.startNdjson();
    Future<Void> f = Future.succeededFuture();
    for (JsonObject c : chunks) {
      f = f.compose(v -> ex.delay(m.tokenDelayMs)).compose(v -> ex.line(c));
    }
    if (failing) {
      return f.compose(v -> ex.line(Chunks.errorLine(m.errorMessage))).compose(v -> ex.end());
    }
    return f.compose(v -> ex.delay(m.tokenDelayMs))
        .compose(v -> ex.line(fin))
        .compose(v -> ex.end());
  }

  private JsonObject chunk(String name, boolean chat, String content, String thinking) {
    JsonObject o =
        chat
            ? Chunks.chatObject(name, content, thinking, false)
            : Chunks.generateObject(name, content, false);
    if (!chat && thinking != null) {
      o.put("thinking", thinking);
    }
    return o.put("created_at", clock.nowUtc());
  }

  private static void putToolCalls(JsonObject c, boolean chat, JsonArray calls) {
    if (chat) {
      c.getJsonObject("message").put("tool_calls", calls.copy());
    } else {
      c.put("tool_calls", calls.copy());
    }
  }

  private static JsonObject logprob(String token, int i, int top) {
    JsonArray bytes = new JsonArray();
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      bytes.add(b & 0xff);
    }
    JsonObject lp =
        new JsonObject().put("token", token).put("logprob", -0.25 * (i + 1)).put("bytes", bytes);
    if (top > 0) {
      JsonArray alts = new JsonArray();
      for (int k = 0; k < top; k++) {
        alts.add(
            new JsonObject()
                .put("token", k == 0 ? token : token + k)
                .put("logprob", -0.25 * (i + 1) - k)
                .put("bytes", k == 0 ? bytes : new JsonArray()));
      }
      lp.put("top_logprobs", alts);
    }
    return lp;
  }

  private static JsonObject metrics(JsonObject body, int evalCount, long loadNs) {
    int promptTokens = Math.max(1, tokens(body.encode()).size() / 2);
    JsonObject o =
        new JsonObject().put("total_duration", 1_000_000L * (evalCount + promptTokens) + loadNs);
    if (loadNs > 0) {
      o.put("load_duration", loadNs);
    }
    o.put("prompt_eval_count", promptTokens).put("prompt_eval_duration", 250_000L * promptTokens);
    if (evalCount > 0) {
      o.put("eval_count", evalCount).put("eval_duration", 750_000L * evalCount);
    }
    return o;
  }

  private static JsonObject aggregate(List<JsonObject> chunks, JsonObject fin, boolean chat) {
    StringBuilder content = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    JsonArray logprobs = new JsonArray();
    JsonArray toolCalls = new JsonArray();
    List<JsonObject> all = new ArrayList<>(chunks);
    all.add(fin);
    for (JsonObject c : all) {
      JsonObject part = chat ? c.getJsonObject("message") : c;
      content.append(part.getString(chat ? "content" : "response", ""));
      thinking.append(part.getString("thinking", ""));
      if (part.getJsonArray("tool_calls") != null) {
        toolCalls.addAll(part.getJsonArray("tool_calls"));
      }
      if (c.getJsonArray("logprobs") != null) {
        logprobs.addAll(c.getJsonArray("logprobs"));
      }
    }
    JsonObject out = fin.copy();
    JsonObject part = chat ? out.getJsonObject("message") : out;
    part.put(chat ? "content" : "response", content.toString());
    if (thinking.length() > 0) {
      part.put("thinking", thinking.toString());
    }
    if (!toolCalls.isEmpty()) {
      part.put("tool_calls", toolCalls);
    }
    if (!logprobs.isEmpty()) {
      out.put("logprobs", logprobs);
    }
    return out;
  }

  /** Splits on spaces, keeping each space with the word that follows ("Hello", " there!"). */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String t : text.split("(?<=\\S)(?=\\s)")) {
      out.add(t);
    }
    return out;
  }

  // ---- embeddings ----

  void embed(Exchange ex, JsonObject body) {
    String name = body.getValue("model") instanceof String s ? s : "";
    Duration ka;
    try {
      ka = KeepAlive.parse(body.getValue("keep_alive"));
    } catch (KeepAlive.Invalid e) {
      ex.error(400, e.getMessage());
      return;
    }
    if (name.isEmpty()) {
      ex.error(404, "model '' not found");
      return;
    }
    List<String> inputs = new ArrayList<>();
    Object in = body.getValue("input");
    if (in instanceof String s) {
      if (!s.isEmpty()) {
        inputs.add(s);
      }
    } else if (in instanceof JsonArray arr) {
      for (Object o : arr) {
        if (!(o instanceof String s)) {
          ex.error(400, "invalid input type");
          return;
        }
        inputs.add(s);
      }
    } else if (in != null) {
      ex.error(400, "invalid input type");
      return;
    }
    Optional<FakeModel> found = store.find(name);
    if (found.isEmpty()) {
      ex.error(404, "model \"" + name + "\" not found, try pulling it first");
      return;
    }
    FakeModel m = found.get();
    if (Boolean.FALSE.equals(body.getValue("truncate"))
        && inputs.stream().anyMatch(s -> tokens(s).size() > m.contextLength)) {
      ex.error(400, "the input length exceeds the context length");
      return;
    }
    int dims = body.getInteger("dimensions", 0);
    withModel(
        ex,
        m,
        ka,
        fresh -> {
          JsonArray vectors = new JsonArray();
          int count = 0;
          for (String s : inputs) {
            vectors.add(vector(s, m.embeddingLength, dims, true));
            count += tokens(s).size();
          }
          JsonObject out = new JsonObject().put("model", name).put("embeddings", vectors);
          if (!inputs.isEmpty()) {
            out.put("total_duration", 2_000_000L * count + (fresh ? 1_000_000L : 0));
            if (fresh) {
              out.put("load_duration", 1_000_000L);
            }
            out.put("prompt_eval_count", count);
          }
          ex.json(200, out).onComplete(v -> store.leave(m));
        });
  }

  void embeddings(Exchange ex, JsonObject body) {
    String name = body.getValue("model") instanceof String s ? s : "";
    Duration ka;
    try {
      ka = KeepAlive.parse(body.getValue("keep_alive"));
    } catch (KeepAlive.Invalid e) {
      ex.error(400, e.getMessage());
      return;
    }
    if (name.isEmpty()) {
      ex.error(400, "model is required");
      return;
    }
    Optional<FakeModel> found = store.find(name);
    if (found.isEmpty()) {
      ex.error(404, "model \"" + name + "\" not found, try pulling it first");
      return;
    }
    FakeModel m = found.get();
    String prompt = body.getString("prompt", "");
    withModel(
        ex,
        m,
        ka,
        fresh -> {
          JsonArray v =
              prompt.isEmpty() ? new JsonArray() : vector(prompt, m.embeddingLength, 0, false);
          ex.json(200, new JsonObject().put("embedding", v)).onComplete(x -> store.leave(m));
        });
  }

  /** Deterministic vector for a text; L2-normalised (after truncation to dims) when asked. */
  static JsonArray vector(String text, int length, int dims, boolean normalise) {
    Random r =
        new Random(
            FakeModel.hex(text)
                .substring(0, 15)
                .chars()
                .asLongStream()
                .reduce(17, (a, b) -> a * 31 + b));
    int n = dims > 0 && dims < length ? dims : length;
    double[] v = new double[n];
    for (int i = 0; i < length; i++) {
      double x = r.nextGaussian();
      if (i < n) {
        v[i] = x;
      }
    }
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    JsonArray out = new JsonArray();
    for (double x : v) {
      out.add(normalise ? (double) (float) (x / norm) : x * 3);
    }
    return out;
  }
}

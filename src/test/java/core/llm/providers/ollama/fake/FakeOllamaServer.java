package core.llm.providers.ollama.fake;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * A fake Ollama server (native API, reference {@code /work/shared/reference/ollama-api.md}) on
 * {@code 127.0.0.1:<random port>}, written on a raw Vert.x {@link HttpServer}; test code only.
 *
 * <pre>{@code
 * FakeOllamaServer server = FakeOllamaServer.start(vertx).await();   // or .onSuccess(...)
 * server.addModel(FakeModel.named("llama3.2").capabilities("completion", "tools").reply("Hello there!"));
 * String base = server.baseUrl();                                    // http://127.0.0.1:PORT
 * server.script("/api/chat", Script.create().delayHeaders(300).line(Chunks.chatChunk("Hi")).cut());
 * server.requests();  server.openConnections();  server.clientClosedConnections();
 * server.clock().advance(Duration.ofMinutes(6));                     // keep-alive expiry, no sleep
 * server.close().await();
 * }</pre>
 *
 * <ul>
 *   <li>Models: {@link #addModel}, {@link #publish} (pullable registry), {@link #models()} (store,
 *       loaded table, {@code loadCount}, {@code preload}, {@code isLoaded}, {@code expiresAt}).
 *   <li>Scripts: {@link #script} one-shot per path (FIFO queue), {@link #scriptAlways} persistent;
 *       a script replaces the default handler entirely (any path, even unknown ones).
 *   <li>Observability: {@link #requests()}, {@link RecordedRequest#closedByClient()}, {@link
 *       #openConnections()}, {@link #awaitOpenConnections(int)}, {@link
 *       #clientClosedConnections()}, {@link #awaitClientCloses(int)}, {@link #awaitRequests(String,
 *       int)}.
 *   <li>Other knobs: {@link #version(String)}, {@link #signedIn(JsonObject)}, {@link
 *       #signedOut(String)}, {@link #progressDelayMs(long)}, {@link #blobs()}, {@link
 *       #cloudDisabled(boolean)}.
 * </ul>
 */
public final class FakeOllamaServer {
  private static final Map<String, Set<HttpMethod>> ROUTES =
      Map.ofEntries(
          Map.entry("/", Set.of(HttpMethod.GET, HttpMethod.HEAD)),
          Map.entry("/api/version", Set.of(HttpMethod.GET, HttpMethod.HEAD)),
          Map.entry("/api/status", Set.of(HttpMethod.GET)),
          Map.entry("/api/tags", Set.of(HttpMethod.GET, HttpMethod.HEAD)),
          Map.entry("/api/ps", Set.of(HttpMethod.GET)),
          Map.entry("/api/generate", Set.of(HttpMethod.POST)),
          Map.entry("/api/chat", Set.of(HttpMethod.POST)),
          Map.entry("/api/embed", Set.of(HttpMethod.POST)),
          Map.entry("/api/embeddings", Set.of(HttpMethod.POST)),
          Map.entry("/api/pull", Set.of(HttpMethod.POST)),
          Map.entry("/api/push", Set.of(HttpMethod.POST)),
          Map.entry("/api/create", Set.of(HttpMethod.POST)),
          Map.entry("/api/copy", Set.of(HttpMethod.POST)),
          Map.entry("/api/delete", Set.of(HttpMethod.DELETE)),
          Map.entry("/api/show", Set.of(HttpMethod.POST)),
          Map.entry("/api/me", Set.of(HttpMethod.POST)),
          Map.entry("/api/signout", Set.of(HttpMethod.POST)));
  private static final Set<HttpMethod> BLOB_METHODS = Set.of(HttpMethod.HEAD, HttpMethod.POST);

  private final Vertx vertx;
  private final FakeClock clock = new FakeClock();
  private final ModelStore store = new ModelStore(clock);
  private final BlobStore blobs = new BlobStore();
  private final Inference inference = new Inference(store, clock);
  private final Progress progress = new Progress(store, blobs);
  private final Admin admin = new Admin(store, blobs, clock);
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Script>> oneShot = new ConcurrentHashMap<>();
  private final Map<String, Script> persistent = new ConcurrentHashMap<>();
  private final Map<String, Function<RecordedRequest, Script>> chosen = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger clientCloses = new AtomicInteger();
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile String version = "0.33.0";
  private volatile boolean cloudDisabled;
  private HttpServer http;

  private record Waiter(IntSupplier value, IntPredicate condition, Promise<Void> promise) {}

  private FakeOllamaServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts a server on 127.0.0.1 with a random port. */
  public static Future<FakeOllamaServer> start(Vertx vertx) {
    return start(vertx, new HttpServerOptions());
  }

  /**
   * Starts a server with these options on 127.0.0.1 and a random port; e.g. {@code setSoLinger(0)}
   * makes every {@link Script#cut()} a TCP reset, as from a crashed server.
   */
  public static Future<FakeOllamaServer> start(Vertx vertx, HttpServerOptions options) {
    FakeOllamaServer s = new FakeOllamaServer(vertx);
    s.http =
        vertx
            .createHttpServer(new HttpServerOptions(options).setHost("127.0.0.1").setPort(0))
            .connectionHandler(
                conn -> {
                  s.open.incrementAndGet();
                  s.signal();
                  conn.closeHandler(
                      v -> {
                        s.open.decrementAndGet();
                        s.signal();
                      });
                })
            .requestHandler(s::handle);
    return s.http.listen().map(x -> s);
  }

  public Future<Void> close() {
    return http.close();
  }

  public int port() {
    return http.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  // ---- configuration ----

  /** Installs a model (shown by /api/tags, usable by chat/generate/embed/show/...). */
  public FakeOllamaServer addModel(FakeModel m) {
    store.install(m);
    return this;
  }

  /** Makes a model pullable: /api/pull of an unpublished name fails with "file does not exist". */
  public FakeOllamaServer publish(FakeModel m) {
    store.publish(m);
    return this;
  }

  public ModelStore models() {
    return store;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public FakeClock clock() {
    return clock;
  }

  /** Shortcut for {@code clock().advance(d)}. */
  public FakeOllamaServer advance(Duration d) {
    clock.advance(d);
    return this;
  }

  public FakeOllamaServer version(String v) {
    this.version = v;
    return this;
  }

  /** /api/me answers 200 with this profile (and /api/signout works). */
  public FakeOllamaServer signedIn(JsonObject profile) {
    admin.profile = profile;
    return this;
  }

  /** /api/me answers 401 {"error":"unauthorized","signin_url":url} (the default). */
  public FakeOllamaServer signedOut(String signinUrl) {
    admin.profile = null;
    admin.signinUrl = signinUrl;
    return this;
  }

  public FakeOllamaServer cloudDisabled(boolean disabled) {
    this.cloudDisabled = disabled;
    return this;
  }

  /** Real delay between progress lines of pull/push/create (default 0). */
  public FakeOllamaServer progressDelayMs(long ms) {
    progress.stepDelayMs = ms;
    return this;
  }

  /**
   * One-shot script for the next request on path (queued, FIFO; takes precedence over
   * scriptAlways).
   */
  public FakeOllamaServer script(String path, Script script) {
    Deque<Script> q = oneShot.computeIfAbsent(path, p -> new ArrayDeque<>());
    synchronized (q) { // polled on an event loop (nextScript) while a test may still be scripting
      q.add(script);
    }
    return this;
  }

  /** Script for every request on path until {@link #clearScripts()}. */
  public FakeOllamaServer scriptAlways(String path, Script script) {
    persistent.put(path, script);
    return this;
  }

  /**
   * For every request on path, the script {@code choose} returns for it once its body has been read
   * (e.g. a fault picked from the request's content); takes precedence over the other scripts.
   */
  public FakeOllamaServer scriptBy(String path, Function<RecordedRequest, Script> choose) {
    chosen.put(path, choose);
    return this;
  }

  public FakeOllamaServer clearScripts() {
    oneShot.clear();
    persistent.clear();
    chosen.clear();
    return this;
  }

  // ---- observability ----

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public List<RecordedRequest> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** The most recent request on path (throws when none). */
  public RecordedRequest lastRequest(String path) {
    List<RecordedRequest> l = requests(path);
    if (l.isEmpty()) {
      throw new IllegalStateException("no request on " + path);
    }
    return l.get(l.size() - 1);
  }

  /** Currently open TCP connections. */
  public int openConnections() {
    return open.get();
  }

  /** Responses whose connection the client closed before the server ended them. */
  public int clientClosedConnections() {
    return clientCloses.get();
  }

  /** Completes once exactly n connections are open (e.g. 0: nothing leaked). */
  public Future<Void> awaitOpenConnections(int n) {
    return await(open::get, c -> c == n);
  }

  /** Completes once at least n responses were abandoned by the client. */
  public Future<Void> awaitClientCloses(int n) {
    return await(clientCloses::get, c -> c >= n);
  }

  /**
   * Completes once at least n requests on path have arrived (headers read), counting those that
   * arrived before the call: a fast request cannot slip past the way a "next request" promise can.
   */
  public Future<Void> awaitRequests(String path, int n) {
    return await(() -> requests(path).size(), c -> c >= n);
  }

  public Future<Void> awaitClientClose() {
    return awaitClientCloses(1);
  }

  private Future<Void> await(IntSupplier value, IntPredicate condition) {
    Promise<Void> p = Promise.promise();
    synchronized (waiters) {
      waiters.add(new Waiter(value, condition, p));
    }
    signal();
    return p.future();
  }

  private void signal() {
    List<Waiter> ready = new ArrayList<>();
    synchronized (waiters) {
      waiters.removeIf(
          w -> {
            boolean ok = w.condition().test(w.value().getAsInt());
            if (ok) {
              ready.add(w);
            }
            return ok;
          });
    }
    ready.forEach(w -> w.promise().tryComplete());
  }

  void clientClosed(RecordedRequest r) {
    clientCloses.incrementAndGet();
    signal();
  }

  // ---- routing ----

  private void handle(HttpServerRequest req) {
    String path = req.path();
    RecordedRequest rec =
        new RecordedRequest(req.method().name(), path, req.query(), req.headers());
    requests.add(rec);
    Exchange ex = new Exchange(this, vertx, req, rec);
    signal(); // after the exchange exists: a woken test may close the connection at once
    Function<RecordedRequest, Script> choose = chosen.get(path);
    if (choose != null) {
      req.body()
          .onSuccess(
              b -> {
                rec.body = b.toString();
                choose.apply(rec).run(ex);
              });
      return;
    }
    Script script = nextScript(path);
    if (script != null) {
      req.body()
          .onSuccess(
              b -> {
                rec.body = b.toString();
                script.run(ex);
              });
      return;
    }
    if (path.startsWith("/api/blobs/")
        && path.indexOf('/', "/api/blobs/".length()) < 0
        && path.length() > "/api/blobs/".length()) {
      if (!BLOB_METHODS.contains(req.method())) {
        req.body().onComplete(b -> ex.body(405, "text/plain", "405 method not allowed"));
      } else {
        admin.blob(ex, path.substring("/api/blobs/".length()));
      }
      return;
    }
    req.body()
        .onSuccess(
            b -> {
              rec.body = b.toString();
              route(ex, path, rec.bodyText());
            });
  }

  private Script nextScript(String path) {
    Deque<Script> q = oneShot.get(path);
    if (q != null) {
      synchronized (q) {
        Script s = q.poll();
        if (s != null) {
          return s;
        }
      }
    }
    return persistent.get(path);
  }

  private void route(Exchange ex, String path, String text) {
    Set<HttpMethod> allowed = ROUTES.get(path);
    HttpMethod method = ex.req.method();
    if (allowed == null) {
      String trimmed =
          path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : null;
      if (trimmed != null && ROUTES.containsKey(trimmed)) {
        ex.resp.putHeader("Location", trimmed);
        ex.body(method == HttpMethod.GET ? 301 : 307, null, "");
        return;
      }
      ex.body(404, "text/plain", "404 page not found");
      return;
    }
    if (!allowed.contains(method)) {
      ex.body(405, "text/plain", "405 method not allowed");
      return;
    }
    switch (path) {
      case "/" -> ex.body(200, "text/plain; charset=utf-8", "Ollama is running");
      case "/api/version" -> ex.json(200, new JsonObject().put("version", version));
      case "/api/status" ->
          ex.json(
              200,
              new JsonObject()
                  .put(
                      "cloud",
                      new JsonObject()
                          .put("disabled", cloudDisabled)
                          .put("source", cloudDisabled ? "env" : "none")));
      case "/api/tags" -> ex.json(200, store.tagsJson());
      case "/api/ps" -> ex.json(200, store.psJson());
      case "/api/me" -> admin.me(ex);
      case "/api/signout" -> admin.signout(ex);
      default -> withJson(ex, path, text);
    }
  }

  private void withJson(Exchange ex, String path, String text) {
    if (text.isBlank()) {
      ex.error(400, "missing request body");
      return;
    }
    JsonObject body;
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed == null) {
        body = new JsonObject();
      } else if (parsed instanceof JsonObject o) {
        body = o;
      } else {
        ex.error(
            400,
            "json: cannot unmarshal "
                + (parsed instanceof io.vertx.core.json.JsonArray
                    ? "array"
                    : parsed instanceof String
                        ? "string"
                        : parsed instanceof Boolean ? "bool" : "number")
                + " into Go value of type api.Request");
        return;
      }
    } catch (DecodeException e) {
      ex.error(
          400, "invalid character '" + text.trim().charAt(0) + "' looking for beginning of value");
      return;
    }
    switch (path) {
      case "/api/chat" -> inference.chat(ex, body);
      case "/api/generate" -> inference.generate(ex, body);
      case "/api/embed" -> inference.embed(ex, body);
      case "/api/embeddings" -> inference.embeddings(ex, body);
      case "/api/pull" -> progress.pull(ex, body);
      case "/api/push" -> progress.push(ex, body);
      case "/api/create" -> progress.create(ex, body);
      case "/api/copy" -> admin.copy(ex, body);
      case "/api/delete" -> admin.delete(ex, body);
      case "/api/show" -> admin.show(ex, body);
      default -> ex.body(404, "text/plain", "404 page not found");
    }
  }
}

package core.llm.providers.ollama.fake;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Installed models, the pullable "registry" and the loaded-model table (what /api/ps shows).
 *
 * <p>Keep-alive rules (reference §4.6/§5): absent = 5m on a fresh load and "keep the current value"
 * on a loaded model; negative = forever (expires ~292 years ahead); zero = unload when idle. The
 * timer starts when the last in-flight request ends. Expiry is evaluated lazily against the {@link
 * FakeClock}, so tests advance the clock instead of sleeping. Concurrent cold loads of one model
 * share one load (see {@link #loadCount(String)}).
 */
public final class ModelStore {
  /** Go's maximum duration, used for "keep forever". */
  public static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

  static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);

  private final FakeClock clock;
  private final Map<String, FakeModel> installed = new LinkedHashMap<>();
  private final Map<String, FakeModel> registry = new LinkedHashMap<>();
  private final Map<String, Loaded> loaded = new LinkedHashMap<>();
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, Integer> loadCounts = new HashMap<>();

  ModelStore(FakeClock clock) {
    this.clock = clock;
  }

  /** One row of the loaded-model table. */
  static final class Loaded {
    final FakeModel model;
    Duration keepAlive;
    Instant expiresAt;
    int inFlight;

    Loaded(FakeModel model, Duration keepAlive, Instant now) {
      this.model = model;
      this.keepAlive = keepAlive;
      this.expiresAt = plus(now, keepAlive);
    }
  }

  private static final class Pending {
    final Promise<Void> promise = Promise.promise();
    int waiters = 1;
    long timerId;
  }

  static Instant plus(Instant now, Duration d) {
    return d.isNegative() || d.equals(FOREVER) ? now.plus(FOREVER) : now.plus(d);
  }

  // ---- installed models and registry ----

  public synchronized void install(FakeModel m) {
    if (m.modifiedAt == null) {
      m.modifiedAt = clock.now();
    }
    installed.put(ModelNames.key(m.name), m);
  }

  public synchronized Optional<FakeModel> find(String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(installed.get(ModelNames.key(name)));
  }

  public synchronized boolean remove(String name) {
    String k = ModelNames.key(name);
    loaded.remove(k);
    return installed.remove(k) != null;
  }

  public synchronized List<FakeModel> installed() {
    return new ArrayList<>(installed.values());
  }

  /** Makes a model available to /api/pull (it is installed only after a successful pull). */
  public synchronized void publish(FakeModel m) {
    registry.put(ModelNames.key(m.name), m);
  }

  public synchronized Optional<FakeModel> inRegistry(String name) {
    return Optional.ofNullable(registry.get(ModelNames.key(name)));
  }

  // ---- loaded-model table ----

  private void expire() {
    Instant now = clock.now();
    loaded.values().removeIf(l -> l.inFlight == 0 && !l.expiresAt.isAfter(now));
  }

  public synchronized boolean isLoaded(String name) {
    expire();
    return loaded.containsKey(ModelNames.key(name));
  }

  /** Number of real (coalesced) loads of the model since the server started. */
  public synchronized int loadCount(String name) {
    return loadCounts.getOrDefault(ModelNames.key(name), 0);
  }

  /** expires_at of a loaded model, if loaded. */
  public synchronized Optional<Instant> expiresAt(String name) {
    expire();
    return Optional.ofNullable(loaded.get(ModelNames.key(name))).map(l -> l.expiresAt);
  }

  /** Puts a model straight into the loaded table (test setup); counts as a load. */
  public synchronized void preload(String name, Duration keepAlive) {
    FakeModel m =
        find(name).orElseThrow(() -> new IllegalArgumentException("not installed: " + name));
    loadCounts.merge(ModelNames.key(name), 1, Integer::sum);
    loaded.put(ModelNames.key(name), new Loaded(m, keepAlive, clock.now()));
  }

  /**
   * Ensures the model is loaded. Completes with true if this call started a fresh load (coalesced
   * waiters get false). Fails if every waiter abandoned the load (see {@link #abandon}).
   */
  synchronized Future<Boolean> acquire(Vertx vertx, FakeModel m, Duration keepAlive) {
    expire();
    String k = ModelNames.key(m.name);
    if (loaded.containsKey(k)) {
      return Future.succeededFuture(false);
    }
    Pending p = pending.get(k);
    if (p != null) {
      p.waiters++;
      return p.promise.future().map(v -> false);
    }
    if (m.loadDelayMs <= 0) {
      finishLoad(k, m, keepAlive);
      return Future.succeededFuture(true);
    }
    Pending np = new Pending();
    pending.put(k, np);
    np.timerId =
        vertx.setTimer(
            m.loadDelayMs,
            id -> {
              synchronized (this) {
                if (pending.remove(k) != np) {
                  return;
                }
                finishLoad(k, m, keepAlive);
              }
              np.promise.tryComplete();
            });
    return np.promise.future().map(v -> true);
  }

  private void finishLoad(String k, FakeModel m, Duration keepAlive) {
    loadCounts.merge(k, 1, Integer::sum);
    loaded.put(k, new Loaded(m, keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive, clock.now()));
  }

  /** A waiter's client went away during the load; the last one aborts it (model NOT loaded). */
  synchronized void abandon(Vertx vertx, FakeModel m) {
    String k = ModelNames.key(m.name);
    Pending p = pending.get(k);
    if (p != null && --p.waiters <= 0) {
      pending.remove(k);
      vertx.cancelTimer(p.timerId);
      p.promise.tryFail("load aborted: client disconnected");
    }
  }

  /** A request starts using a loaded model. */
  synchronized void enter(FakeModel m, Duration keepAlive) {
    String k = ModelNames.key(m.name);
    Loaded l = loaded.get(k);
    if (l == null) {
      l = new Loaded(m, keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive, clock.now());
      loaded.put(k, l);
    }
    if (keepAlive != null) {
      l.keepAlive = keepAlive;
    }
    l.inFlight++;
    l.expiresAt = plus(clock.now(), l.keepAlive);
  }

  /**
   * A request stopped using the model: the keep-alive timer starts, or it unloads (keep_alive 0).
   */
  synchronized void leave(FakeModel m) {
    String k = ModelNames.key(m.name);
    Loaded l = loaded.get(k);
    if (l == null) {
      return;
    }
    l.inFlight = Math.max(0, l.inFlight - 1);
    if (l.inFlight == 0) {
      if (l.keepAlive.isZero()) {
        loaded.remove(k);
      } else {
        l.expiresAt = plus(clock.now(), l.keepAlive);
      }
    }
  }

  /** keep_alive 0 with no prompt: unload now, or when the in-flight requests finish. */
  synchronized void unload(FakeModel m) {
    String k = ModelNames.key(m.name);
    Loaded l = loaded.get(k);
    if (l == null) {
      return;
    }
    if (l.inFlight == 0) {
      loaded.remove(k);
    } else {
      l.keepAlive = Duration.ZERO;
    }
  }

  // ---- JSON views ----

  synchronized JsonObject psJson() {
    expire();
    List<Loaded> rows = new ArrayList<>(loaded.values());
    rows.sort(Comparator.comparing((Loaded l) -> l.expiresAt).reversed());
    JsonArray arr = new JsonArray();
    for (Loaded l : rows) {
      FakeModel m = l.model;
      arr.add(
          new JsonObject()
              .put("name", m.name)
              .put("model", m.name)
              .put("size", m.size)
              .put("digest", m.digest())
              .put("details", m.details())
              .put("expires_at", clock.local(l.expiresAt))
              .put("size_vram", m.size)
              .put("context_length", m.contextLength));
    }
    return new JsonObject().put("models", arr);
  }

  synchronized JsonObject tagsJson() {
    List<FakeModel> rows = new ArrayList<>(installed.values());
    rows.sort(Comparator.comparing((FakeModel m) -> m.modifiedAt).reversed());
    JsonArray arr = new JsonArray();
    for (FakeModel m : rows) {
      arr.add(
          new JsonObject()
              .put("name", m.name)
              .put("model", m.name)
              .put("modified_at", clock.local(m.modifiedAt))
              .put("size", m.size)
              .put("digest", m.digest())
              .put(
                  "details",
                  m.details()
                      .put("context_length", m.contextLength)
                      .put("embedding_length", m.embeddingLength))
              .put("capabilities", new JsonArray(new ArrayList<>(m.capabilities))));
    }
    return new JsonObject().put("models", arr);
  }
}

package core.llm.providers.ollama;

import core.llm.common.ErrorContext;
import core.llm.common.InvalidResponseException;
import core.llm.common.ModelNames;
import core.llm.common.ModelNotFoundException;
import core.llm.providers.base.Timeouts;
import core.llm.providers.ollama.models.Capabilities;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.ollama.models.ListModel;
import core.llm.providers.ollama.models.Options;
import core.llm.providers.ollama.models.ProcessModel;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.ollama.models.PullRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** {@link ModelLifecycle} over the public {@link OllamaClient} API. */
final class ModelLifecycleImpl implements ModelLifecycle {
  private static final String LOAD = "load";
  private static final String UNLOAD = "unload";

  private final Vertx vertx;
  private final OllamaClient client;

  /** Same connections, but a first-byte limit long enough for a cold load (leaving aborts it). */
  private final OllamaClient loadClient;

  private final LifecycleOptions options;
  private final ModelTracker tracker;
  private final CapabilityGuard guard;

  /** Per model (canonical name): the tail of its queue of lifecycle calls. Guarded by this. */
  private final Map<String, Slot> slots = new HashMap<>();

  private long timerId = -1;

  private static final class Slot {
    Future<?> tail = Future.succeededFuture();
    PendingLoad load;
  }

  private record PendingLoad(KeepAlive keepAlive, Options options, Future<LoadResult> future) {}

  ModelLifecycleImpl(Vertx vertx, OllamaClient client, LifecycleOptions options) {
    this.vertx = vertx;
    this.client = client;
    this.loadClient =
        client.with(Timeouts.none().withFirstByte(orNone(options.getLoadTimeout())), null);
    this.options = options;
    this.tracker =
        new ModelTracker(
            client.baseUrl(),
            options.getClock(),
            options.getEventAddress() == null ? null : vertx.eventBus(),
            options.getEventAddress());
    this.guard =
        new CapabilityGuard(client, options.isCapabilityChecks(), options.isVersionChecks());
  }

  /** Timeouts treats zero as "no limit" but null as "inherit the client's", so map null to zero. */
  private static Duration orNone(Duration d) {
    return d == null ? Duration.ZERO : d;
  }

  // ---- load, pin, unload ----

  @Override
  public Future<LoadResult> load(String model, KeepAlive keepAlive, Options loadOptions) {
    String name = ModelNames.normalize(model);
    String key = ModelNames.canonical(model);
    Promise<LoadResult> promise = Promise.promise();
    Future<?> previous;
    synchronized (this) {
      Slot slot = slots.computeIfAbsent(key, k -> new Slot());
      PendingLoad p = slot.load;
      // join the load in flight only if nothing was queued after it and it asks for the same thing
      if (p != null
          && slot.tail == p.future()
          && !p.future().isComplete()
          && Objects.equals(p.keepAlive(), keepAlive)
          && Objects.equals(p.options(), loadOptions)) {
        return p.future();
      }
      previous = slot.tail;
      slot.tail = promise.future();
      slot.load = new PendingLoad(keepAlive, loadOptions, promise.future());
    }
    run(previous, () -> doLoad(name, keepAlive, loadOptions), promise);
    return promise.future();
  }

  @Override
  public Future<LoadResult> pin(String model) {
    return load(model, KeepAlive.FOREVER, null);
  }

  @Override
  public Future<Void> unload(String model) {
    return unload(model, "unload requested");
  }

  private Future<Void> unload(String model, String reason) {
    String name = ModelNames.normalize(model);
    return enqueue(ModelNames.canonical(model), () -> doUnload(name, reason));
  }

  /**
   * Runs {@code op} after every earlier call on the same model, whatever their outcome. The op is
   * started outside the lock, because it publishes events and listeners may call back in.
   */
  private <T> Future<T> enqueue(String key, Supplier<Future<T>> op) {
    Promise<T> promise = Promise.promise();
    Future<?> previous;
    synchronized (this) {
      Slot slot = slots.computeIfAbsent(key, k -> new Slot());
      previous = slot.tail;
      slot.tail = promise.future();
      slot.load = null;
    }
    run(previous, op, promise);
    return promise.future();
  }

  /** Starts {@code op} when {@code previous} is done; called outside the lock (see enqueue). */
  private static <T> void run(Future<?> previous, Supplier<Future<T>> op, Promise<T> promise) {
    previous.onComplete(
        ignored -> {
          Future<T> f;
          try {
            f = op.get();
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          f.onComplete(promise);
        });
  }

  private Future<LoadResult> doLoad(String name, KeepAlive keepAlive, Options loadOptions) {
    if (tracker.state(name) != ModelState.LOADED || tracker.likelyEvicted(name)) {
      tracker.transition(name, ModelState.LOADING, "load requested");
    }
    long started = System.nanoTime();
    return loadRequest(name, keepAlive, loadOptions)
        .compose(
            reason -> {
              if (keepAlive != null) {
                tracker.pinned(name, keepAlive.isForever());
              }
              tracker.transition(
                  name, ModelState.LOADED, "done_reason " + (reason == null ? "(embed)" : reason));
              tracker.touch(name);
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              return refresh()
                  .map(ps -> new LoadResult(name, reason, find(ps, name).orElse(null), took))
                  .recover(e -> Future.succeededFuture(new LoadResult(name, reason, null, took)))
                  .compose(r -> enforcePolicies(Set.of(ModelNames.canonical(name))).map(r));
            },
            failure -> {
              tracker.transition(name, ModelState.FAILED, failure.getMessage());
              return refresh().transform(x -> Future.failedFuture(failure));
            });
  }

  /**
   * The load request, answering with its done_reason. An embedding-only model cannot generate, so
   * it is preloaded with an input-less embed; the capabilities come from the cached /api/show.
   */
  private Future<String> loadRequest(String name, KeepAlive keepAlive, Options loadOptions) {
    return guard
        .capabilities(name)
        .map(Optional::of)
        .recover(e -> Future.succeededFuture(Optional.empty()))
        .compose(
            caps -> {
              boolean embedOnly =
                  caps.map(
                          c ->
                              c.known()
                                  && c.has(Capabilities.EMBEDDING)
                                  && !c.capabilities().contains(Capabilities.COMPLETION))
                      .orElse(false);
              if (embedOnly) {
                EmbedRequest req =
                    EmbedRequest.builder(name).keepAlive(keepAlive).options(loadOptions).build();
                return loadClient.embed(req).map(r -> (String) null);
              }
              GenerateRequest req =
                  GenerateRequest.builder(name).keepAlive(keepAlive).options(loadOptions).build();
              return loadClient.generate(req).compose(r -> confirm(name, r.doneReason(), LOAD));
            });
  }

  private Future<Void> doUnload(String name, String reason) {
    tracker.transition(name, ModelState.UNLOADING, reason);
    GenerateRequest req = GenerateRequest.builder(name).keepAlive(KeepAlive.UNLOAD).build();
    return client
        .generate(req)
        .compose(r -> confirm(name, r.doneReason(), UNLOAD))
        .compose(
            x -> {
              tracker.pinned(name, false);
              tracker.transition(name, ModelState.UNLOADED, "done_reason unload");
              return refresh().<Void>mapEmpty().recover(e -> Future.succeededFuture());
            },
            failure -> {
              tracker.transition(name, ModelState.FAILED, failure.getMessage());
              return refresh().transform(x -> Future.failedFuture(failure));
            });
  }

  private static Future<String> confirm(String name, String got, String expected) {
    if (expected.equals(got)) {
      return Future.succeededFuture(got);
    }
    return Future.failedFuture(
        new InvalidResponseException(
            "expected done_reason \""
                + expected
                + "\" for "
                + name
                + ", got "
                + (got == null ? "none" : "\"" + got + "\""),
            ErrorContext.of("ollama", "POST /api/generate")));
  }

  // ---- residency ----

  @Override
  public Future<List<ProcessModel>> running() {
    return refresh();
  }

  @Override
  public Future<Boolean> isLoaded(String model) {
    return refresh().map(ps -> find(ps, model).isPresent());
  }

  private static Optional<ProcessModel> find(List<ProcessModel> ps, String model) {
    return ps.stream()
        .filter(
            p -> ModelNames.sameModel(p.model(), model) || ModelNames.sameModel(p.name(), model))
        .findFirst();
  }

  /**
   * /api/ps into the tracker, and /api/tags beside it (what is installed, for the router's ranks);
   * no policies (they call unload, which calls this). A failed /api/tags leaves the last list.
   */
  private Future<List<ProcessModel>> refresh() {
    client.list().onSuccess(this::installedSeen);
    return client
        .ps()
        .map(
            r -> {
              List<ProcessModel> models = r.models() == null ? List.of() : r.models();
              tracker.reconcile(models, options.getUnloadGrace());
              return models;
            });
  }

  @Override
  public Future<List<ProcessModel>> reconcile() {
    return refresh().compose(ps -> enforcePolicies(Set.of()).map(ps));
  }

  /**
   * Idle policy first (unused longer than the limit), then LRU (more than maxLoaded): both only
   * pick LOADED, unpinned models outside {@code protect}, and only among the models this process
   * loaded or used unless {@code manageAllModels} is set: other clients' models are theirs. Failed
   * unloads are left to the tracker (state FAILED, event published) so a policy never fails the
   * call that triggered it.
   */
  private Future<Void> enforcePolicies(Set<String> protect) {
    Duration idle = options.getIdleTimeout();
    int max = options.getMaxLoaded();
    if (idle == null && max <= 0) {
      return Future.succeededFuture();
    }
    Instant now = options.getClock().instant();
    boolean all = options.isManageAllModels();
    List<ModelTracker.TrackedModel> loaded =
        tracker.snapshot().stream()
            .filter(t -> t.state() == ModelState.LOADED && (all || t.ours()))
            .toList();
    Map<String, String> victims = new java.util.LinkedHashMap<>();
    List<ModelTracker.TrackedModel> candidates = new ArrayList<>();
    for (ModelTracker.TrackedModel t : loaded) {
      String key = ModelNames.canonical(t.model());
      // a model with a call of ours in flight is in use, and waiting on its queue from here could
      // form a cycle (load X awaits unload Y, queued behind load Y, which awaits unload X)
      boolean movable = !t.pinned() && !protect.contains(key) && !busy(key);
      if (movable
          && idle != null
          && t.lastUsed() != null
          && Duration.between(t.lastUsed(), now).compareTo(idle) > 0) {
        victims.put(t.model(), "idle policy: unused for more than " + idle);
      } else if (movable) {
        candidates.add(t);
      }
    }
    int remaining = loaded.size() - victims.size();
    if (max > 0 && remaining > max) {
      candidates.sort(
          Comparator.comparing(
              ModelTracker.TrackedModel::lastUsed,
              Comparator.nullsFirst(Comparator.naturalOrder())));
      for (int i = 0; i < candidates.size() && remaining > max; i++, remaining--) {
        victims.put(candidates.get(i).model(), "LRU policy: more than " + max + " models loaded");
      }
    }
    List<Future<Void>> unloads = new ArrayList<>();
    victims.forEach((m, why) -> unloads.add(unload(m, why).recover(e -> Future.succeededFuture())));
    return Future.join(unloads).mapEmpty();
  }

  private synchronized boolean busy(String key) {
    Slot slot = slots.get(key);
    return slot != null && !slot.tail.isComplete();
  }

  // ---- availability ----

  @Override
  public Future<ListModel> ensureAvailable(
      String model, PullPolicy policy, Handler<ProgressResponse> progress) {
    String name = ModelNames.normalize(model);
    return installed(name)
        .compose(
            found -> {
              boolean pull =
                  policy == PullPolicy.ALWAYS || policy == PullPolicy.IF_MISSING && found.isEmpty();
              if (!pull) {
                return found
                    .map(Future::succeededFuture)
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                new ModelNotFoundException(
                                    "model \""
                                        + name
                                        + "\" is not installed and the pull policy is NEVER; run `ollama pull "
                                        + name
                                        + "` first",
                                    ErrorContext.of("ollama", "GET /api/tags"))));
              }
              var stream = client.pullStream(PullRequest.of(name));
              if (progress != null) {
                stream.handler(progress);
              }
              return stream
                  .result()
                  .compose(
                      summary -> {
                        guard.invalidate(
                            name); // a pull can replace the model, and so its capabilities
                        return installed(name);
                      })
                  .compose(
                      after ->
                          after
                              .map(Future::succeededFuture)
                              .orElseGet(
                                  () ->
                                      Future.failedFuture(
                                          new ModelNotFoundException(
                                              "the pull of \""
                                                  + name
                                                  + "\" reported success but /api/tags does not list it",
                                              ErrorContext.of("ollama", "GET /api/tags")))));
            });
  }

  private void installedSeen(core.llm.providers.ollama.models.ListResponse r) {
    List<String> names = new ArrayList<>();
    if (r.models() != null) {
      for (ListModel m : r.models()) {
        names.add(m.model() != null ? m.model() : m.name());
      }
    }
    tracker.installed(names);
  }

  private Future<Optional<ListModel>> installed(String name) {
    return client
        .list()
        .onSuccess(this::installedSeen)
        .map(
            r ->
                r.models() == null
                    ? Optional.<ListModel>empty()
                    : r.models().stream()
                        .filter(
                            m ->
                                ModelNames.sameModel(m.model(), name)
                                    || ModelNames.sameModel(m.name(), name))
                        .findFirst());
  }

  // ---- checks ----

  @Override
  public Future<ModelCapabilities> capabilities(String model) {
    return guard.capabilities(model);
  }

  @Override
  public Future<Void> check(ChatRequest request) {
    return guard.check(request);
  }

  @Override
  public Future<Void> check(GenerateRequest request) {
    return guard.check(request);
  }

  @Override
  public Future<Void> check(EmbedRequest request) {
    return guard.check(request);
  }

  // ---- tracking and timers ----

  @Override
  public ModelTracker tracker() {
    return tracker;
  }

  @Override
  public Future<Void> start() {
    Duration every = options.getReconcileInterval();
    synchronized (this) {
      if (timerId < 0 && every != null && !every.isZero() && !every.isNegative()) {
        timerId =
            vertx.setPeriodic(
                Math.max(1, core.llm.common.TimerDelays.millis(every)), id -> reconcile());
        // a first look now, not one interval from now: until /api/ps and /api/tags answer, the
        // router ranks this host's models as unknown (not awaited: a down host must not hold up
        // start; the failure is the tracker's to report, as on every tick)
        reconcile();
      }
    }
    List<Future<LoadResult>> warm = new ArrayList<>();
    for (String m : new LinkedHashSet<>(options.getWarm())) {
      warm.add(load(m, options.getWarmKeepAlive(), null));
    }
    return Future.join(warm).mapEmpty();
  }

  @Override
  public synchronized void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  /** The periodic timer's id, -1 when none (for tests). */
  synchronized long timerId() {
    return timerId;
  }
}
